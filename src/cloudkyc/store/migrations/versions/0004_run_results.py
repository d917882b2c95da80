"""The latest run's results for the dashboard: ledger totals and days per account and group,
groups, links and procurement notices (store/run_models.py).

Revision ID: 0004_run_results
Revises: 0003_alert_lifecycle
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_run_results"
down_revision: str | None = "0003_alert_lifecycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _flop(name: str) -> sa.Column:
    return sa.Column(name, sa.Float(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ledger_totals",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("intervals", sa.Integer(), nullable=False),
        sa.Column("chip_seconds", sa.Float(), nullable=False),
        _flop("flop_upper"),
        _flop("flop_central"),
        _flop("window_flop_upper"),
        _flop("window_flop_central"),
        sa.Column("thresholds", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "id", name=op.f("pk_ledger_totals")),
    )
    op.create_index(
        op.f("ix_ledger_totals_flop_central"), "ledger_totals", ["flop_central"], unique=False
    )
    op.create_table(
        "ledger_days",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        _flop("flop_upper"),
        _flop("flop_central"),
        _flop("window_flop_upper"),
        _flop("window_flop_central"),
        sa.PrimaryKeyConstraint("scope", "id", "day", name=op.f("pk_ledger_days")),
    )
    op.create_table(
        "group_members",
        sa.Column("account_id", sa.String(length=128), nullable=False),
        sa.Column("group_id", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_group_members")),
    )
    op.create_index(op.f("ix_group_members_group_id"), "group_members", ["group_id"], unique=False)
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_a", sa.String(length=128), nullable=False),
        sa.Column("account_b", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("strong", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("group_id", sa.String(length=128), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
    )
    for column in ("account_a", "account_b", "group_id"):
        op.create_index(op.f(f"ix_account_links_{column}"), "account_links", [column], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("buyer", sa.String(length=500), nullable=True),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(op.f("ix_notices_flagged"), "notices", ["flagged"], unique=False)


def downgrade() -> None:
    op.drop_table("notices")
    op.drop_table("account_links")
    op.drop_table("group_members")
    op.drop_table("ledger_days")
    op.drop_table("ledger_totals")
