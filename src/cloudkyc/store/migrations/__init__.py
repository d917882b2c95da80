"""Alembic migrations, bundled so `cloudkyc` can upgrade its own database at first use."""
