"""Alembic revisions (Alembic skips this file; it exists so the package ships them)."""
