"""Customer Identification Program: customers, accounts, beneficial owners, payment methods,
end users, reseller relations, access events, screening results, decisions, alerts, cases,
the audit log (append-only: triggers refuse UPDATE and DELETE), API keys, idempotency keys.

Revision ID: 0002_cip
Revises: 0001_lists
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_cip"
down_revision: str | None = "0001_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=128), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_events")),
    )
    op.create_index("ix_access_events_account_id", "access_events", ["account_id"])
    op.create_index("ix_access_events_ts", "access_events", ["ts"])

    op.create_table(
        "alerts",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("dedup_key", sa.String(length=330), nullable=True),
        sa.Column("account_ids", sa.JSON(), nullable=False),
        sa.Column("group_id", sa.String(length=255), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_alerts_dedup_key")),
    )
    op.create_index("ix_alerts_rule", "alerts", ["rule"])
    op.create_index("ix_alerts_status", "alerts", ["status"])
    op.create_index("ix_alerts_subject", "alerts", ["subject"])

    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("alert_ids", sa.JSON(), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("name_local", sa.String(length=500), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("registration_id", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("is_reseller", sa.Boolean(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("risk_score", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
    )
    op.create_index("ix_customers_country", "customers", ["country"])
    op.create_index("ix_customers_registration_id", "customers", ["registration_id"])
    op.create_index("ix_customers_status", "customers", ["status"])

    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("parent_account_id", sa.String(length=128), nullable=True),
        sa.Column("declared_use", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_access_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_accounts_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    op.create_index("ix_accounts_customer_id", "accounts", ["customer_id"])
    op.create_index("ix_accounts_parent_account_id", "accounts", ["parent_account_id"])

    op.create_table(
        "beneficial_owners",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("ownership_pct", sa.Float(), nullable=True),
        sa.Column("control", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_beneficial_owners_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beneficial_owners")),
    )
    op.create_index("ix_beneficial_owners_customer_id", "beneficial_owners", ["customer_id"])

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_decisions_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index("ix_decisions_customer_id", "decisions", ["customer_id"])

    op.create_table(
        "end_users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_end_users_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_end_users")),
    )
    op.create_index("ix_end_users_customer_id", "end_users", ["customer_id"])

    op.create_table(
        "screening_results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("subject_name", sa.String(length=500), nullable=False),
        sa.Column("party_id", sa.String(length=255), nullable=False),
        sa.Column("party_sha256", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_screening_results_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_results")),
    )
    op.create_index("ix_screening_results_customer_id", "screening_results", ["customer_id"])
    op.create_index("ix_screening_results_party_id", "screening_results", ["party_id"])

    op.create_table(
        "payment_methods",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=128), nullable=False),
        sa.Column("fingerprint", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("holder", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_payment_methods_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_methods")),
    )
    op.create_index("ix_payment_methods_account_id", "payment_methods", ["account_id"])
    op.create_index("ix_payment_methods_fingerprint", "payment_methods", ["fingerprint"])

    op.create_table(
        "reseller_relations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reseller_account_id", sa.String(length=128), nullable=False),
        sa.Column("client_account_id", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_account_id"],
            ["accounts.id"],
            name=op.f("fk_reseller_relations_client_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reseller_relations")),
    )
    op.create_index(
        "ix_reseller_relations_client_account_id", "reseller_relations", ["client_account_id"]
    )
    op.create_index(
        "ix_reseller_relations_reseller_account_id", "reseller_relations", ["reseller_account_id"]
    )

    _audit_triggers()


AUDIT_GUARD = "audit_log is append-only"


def _audit_triggers(drop: bool = False) -> None:
    """Refuse UPDATE and DELETE on audit_log in the database itself; the hash chain catches
    whoever drops the triggers first."""
    if op.get_bind().dialect.name == "postgresql":
        if drop:
            op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
            op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
            return
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{AUDIT_GUARD}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        name = f"audit_log_no_{event.lower()}"
        if drop:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{AUDIT_GUARD}'); END"
            )


def downgrade() -> None:
    _audit_triggers(drop=True)
    op.drop_index("ix_reseller_relations_reseller_account_id", table_name="reseller_relations")
    op.drop_index("ix_reseller_relations_client_account_id", table_name="reseller_relations")

    op.drop_table("reseller_relations")
    op.drop_index("ix_payment_methods_fingerprint", table_name="payment_methods")
    op.drop_index("ix_payment_methods_account_id", table_name="payment_methods")

    op.drop_table("payment_methods")
    op.drop_index("ix_screening_results_party_id", table_name="screening_results")
    op.drop_index("ix_screening_results_customer_id", table_name="screening_results")

    op.drop_table("screening_results")
    op.drop_index("ix_end_users_customer_id", table_name="end_users")

    op.drop_table("end_users")
    op.drop_index("ix_decisions_customer_id", table_name="decisions")

    op.drop_table("decisions")
    op.drop_index("ix_beneficial_owners_customer_id", table_name="beneficial_owners")

    op.drop_table("beneficial_owners")
    op.drop_index("ix_accounts_parent_account_id", table_name="accounts")
    op.drop_index("ix_accounts_customer_id", table_name="accounts")

    op.drop_table("accounts")
    op.drop_table("idempotency_keys")
    op.drop_index("ix_customers_status", table_name="customers")
    op.drop_index("ix_customers_registration_id", table_name="customers")
    op.drop_index("ix_customers_country", table_name="customers")

    op.drop_table("customers")
    op.drop_table("cases")
    op.drop_table("audit_log")
    op.drop_table("api_keys")
    op.drop_index("ix_alerts_subject", table_name="alerts")
    op.drop_index("ix_alerts_status", table_name="alerts")
    op.drop_index("ix_alerts_rule", table_name="alerts")

    op.drop_table("alerts")
    op.drop_index("ix_access_events_ts", table_name="access_events")
    op.drop_index("ix_access_events_account_id", table_name="access_events")

    op.drop_table("access_events")
