"""Alerts keep a fingerprint of their evidence (so a resolved finding stays resolved until its
evidence changes) and the time the pipeline's rules stopped finding them. Existing alerts get
the fingerprint of the evidence they hold.

Revision ID: 0003_alert_lifecycle
Revises: 0002_cip
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import orjson
import sqlalchemy as sa
from alembic import op

revision: str = "0003_alert_lifecycle"
down_revision: str | None = "0002_cip"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_alerts = sa.table(
    "alerts", sa.column("id", sa.String), sa.column("evidence", sa.JSON), sa.column("fingerprint")
)


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("not_observed_since", sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    for alert_id, evidence in bind.execute(sa.select(_alerts.c.id, _alerts.c.evidence)).all():
        # store/alerts.py fingerprint, frozen here: a later change there must not alter history
        fingerprint = hashlib.sha256(orjson.dumps(evidence, option=orjson.OPT_SORT_KEYS))
        bind.execute(
            _alerts.update()
            .where(_alerts.c.id == alert_id)
            .values(fingerprint=fingerprint.hexdigest())
        )
    with op.batch_alter_table("alerts") as batch:
        batch.alter_column("fingerprint", existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("not_observed_since")
        batch.drop_column("fingerprint")
