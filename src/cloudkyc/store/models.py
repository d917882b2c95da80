"""Tables. Every change here needs an Alembic revision in store/migrations/versions/.

tests/store/test_migrations.py fails when the models and the migrations disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from cloudkyc.lists.model import MAX_ID_LENGTH, MAX_SOURCE_LENGTH

# Named constraints so migrations can alter them on every dialect (SQLite batch mode needs names).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ListSource(Base):
    """One loaded source (e.g. "ofac-sdn", "csl", "watchlist"): what was read, when, from what."""

    __tablename__ = "list_sources"

    id: Mapped[str] = mapped_column(String(MAX_SOURCE_LENGTH), primary_key=True)
    format: Mapped[str] = mapped_column(String(64))
    # [{"path": str, "sha256": str | None, "bytes": int | None}, ...] in load order
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # digest over the files' digests: equal means the source did not change
    sha256: Mapped[str] = mapped_column(String(64))
    published: Mapped[str | None] = mapped_column(String(64))
    party_count: Mapped[int] = mapped_column(Integer)
    rejected_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PartyRow(Base):
    """A restricted party: `data` is Party.to_dict(), the other columns copies for SQL filters."""

    __tablename__ = "parties"

    id: Mapped[str] = mapped_column(String(MAX_ID_LENGTH), primary_key=True)
    source: Mapped[str] = mapped_column(
        ForeignKey("list_sources.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    countries: Mapped[str] = mapped_column(Text)  # ISO alpha-2 codes joined by ","
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
