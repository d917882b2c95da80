"""Persistence: SQLAlchemy models, the session, Alembic migrations and repositories.

The only package that imports SQLAlchemy; everything else passes plain records in and out.
"""
