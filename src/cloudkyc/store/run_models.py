"""Tables holding what the latest `cloudkyc run` found besides its alerts: the compute ledger
(totals and day rows per account and group), the groups of linked accounts, their links and
the procurement notices. The files of a run (ledger.csv, groups.csv, links.csv,
notices.jsonl) are its record; these rows are a copy the dashboard can query, replaced whole
by every run (store/run_results.py).

FLOP figures are floats here: whole numbers up to 1e27 do not fit a BIGINT, and a chart needs
no more than a float's 15 digits; ledger.csv keeps the exact figures.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cloudkyc.store.cip_models import ID, TEXT
from cloudkyc.store.models import Base


class LedgerTotalRow(Base):
    """An account's or a group's total (the ledger's `*,*` row)."""

    __tablename__ = "ledger_totals"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # account | group
    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    intervals: Mapped[int] = mapped_column(Integer)
    chip_seconds: Mapped[float] = mapped_column(Float)
    flop_upper: Mapped[float] = mapped_column(Float)
    flop_central: Mapped[float] = mapped_column(Float, index=True)
    window_flop_upper: Mapped[float] = mapped_column(Float)
    window_flop_central: Mapped[float] = mapped_column(Float)
    thresholds: Mapped[str] = mapped_column(Text)


class LedgerDayRow(Base):
    """One UTC day of an account's or a group's compute, with its rolling window."""

    __tablename__ = "ledger_days"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD
    flop_upper: Mapped[float] = mapped_column(Float)
    flop_central: Mapped[float] = mapped_column(Float)
    window_flop_upper: Mapped[float] = mapped_column(Float)
    window_flop_central: Mapped[float] = mapped_column(Float)


class GroupMemberRow(Base):
    """An account's group of linked accounts (groups.csv)."""

    __tablename__ = "group_members"

    account_id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(ID), index=True)


class AccountLinkRow(Base):
    """A link between two accounts with its evidence (links.csv)."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_a: Mapped[str] = mapped_column(String(ID), index=True)
    account_b: Mapped[str] = mapped_column(String(ID), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    weight: Mapped[float] = mapped_column(Float)
    strong: Mapped[bool] = mapped_column(Boolean)
    value: Mapped[str] = mapped_column(Text)
    group_id: Mapped[str | None] = mapped_column(String(ID), index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)


class NoticeRow(Base):
    """A procurement notice as `tenders scan` wrote it (notices.jsonl); `data` is the line."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str | None] = mapped_column(Text)
    buyer: Mapped[str | None] = mapped_column(String(TEXT))
    published: Mapped[str | None] = mapped_column(String(64))
    flagged: Mapped[bool] = mapped_column(Boolean, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
