"""The large-AI-training report of the proposed IaaS rule (15 CFR 7.308, proposed; 89 FR 5698)
for a TRAINING-RUN alert: who the foreign person is (the CIP record), the run(s) with their
compute and hardware, the evidence that they are training, and the 15-day deadline.

The rule names the report's minimum content (identity: name, address, means and source of
payment, emails, phones, IP addresses; the existence of the training run); the rest is what
a reviewer at the agency needs to check our figures: the FLOP estimate's method and inputs,
the hardware's export classification and the classifier's reasons.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from cloudkyc.errors import BadInput, NotFound
from cloudkyc.hardware.classify import classify
from cloudkyc.reports.render import generated_at, iso
from cloudkyc.store.alerts import alert_view
from cloudkyc.store.cip_models import AlertRow, CustomerRow
from cloudkyc.store.reports import access_addresses

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

RULE = "TRAINING-RUN"
TEMPLATE = "training.html.j2"
METHOD = (
    "hardware x time (Epoch AI): upper bound = chips x dense peak FLOP/s at the run's "
    "precision x seconds; central = upper bound x utilisation, the utilisation read from the "
    "run's SM activity where the telemetry has it, else the compute-accounting pack's default "
    "(0.33, Epoch AI's median)"
)


def training_report(
    session: Session, alert_id: str, on: dt.date, provider: str | None = None
) -> dict[str, Any]:
    """The report for TRAINING-RUN alert `alert_id` as of `on` (the days left count from it);
    `provider` is the filing provider's name (CLOUDKYC_PROVIDER_NAME)."""
    row = session.get(AlertRow, alert_id)
    if row is None:
        raise NotFound(f"no alert '{alert_id}'")
    if row.rule != RULE:
        raise BadInput(
            f"alert '{alert_id}' is a {row.rule} alert; the training report is for {RULE} alerts",
            field="alert_id",
        )
    evidence = row.evidence
    account = row.account_ids[0] if row.account_ids else row.subject
    due = _report_due(alert_id, evidence)
    addresses, address_count = access_addresses(session, account)
    return {
        "report": "large-ai-training",
        "title": "Report of a transaction that could result in training a large AI model "
        "by a foreign person",
        "citation": evidence.get("rule", {}).get("citation", "Proposed 15 CFR 7.308"),
        "generated": generated_at(),
        "as_of": on.isoformat(),
        "provider": {"name": provider},
        "alert": _alert(row),
        "deadline": {
            "report_days": evidence.get("report_days"),
            "report_due": due.isoformat(),
            "days_left": (due - on).days,
            "overdue": on > due,
        },
        "foreign_person": _identity(session, account, addresses, address_count),
        "runs": [_run(r) for r in evidence.get("runs", [])],
        "method": METHOD,
    }


def _report_due(alert_id: str, evidence: dict[str, Any]) -> dt.date:
    """The deadline the rule wrote into the evidence; an alert without it (an older or
    hand-made one) cannot be reported on until the pipeline raises it again."""
    due = evidence.get("report_due")
    try:
        return dt.date.fromisoformat(str(due))
    except ValueError:
        what = "has no report_due" if due is None else f"has report_due {due!r}, not a date"
        raise BadInput(
            f"the evidence of alert '{alert_id}' {what}; run the pipeline again to raise it "
            "with its deadline",
            field="report_due",
        ) from None


def _alert(row: AlertRow) -> dict[str, Any]:
    view = alert_view(row)
    keep = ("alert_id", "rule", "severity", "status", "score", "summary", "resolution")
    out = {k: view[k] for k in keep}
    out["account_ids"] = list(row.account_ids)
    out["created_at"] = iso(row.created_at)
    return out


def _identity(
    session: Session, account: str, addresses: list[dict[str, Any]], address_count: int
) -> dict[str, Any]:
    row = session.get(CustomerRow, account)  # the record and its status: no decisions, no hits
    if row is None:
        raise NotFound(f"no customer '{account}'")
    record = row.record
    customer = record["customer"]
    return {
        "account_id": account,
        "type": customer.get("type"),
        "name": customer.get("name"),
        "name_local": customer.get("name_local"),
        "address": customer.get("address"),
        "country": customer.get("country"),
        "registration_id": customer.get("registration_id"),
        "email": customer.get("email"),
        "phone": customer.get("phone"),
        "beneficial_owners": record.get("beneficial_owners") or [],
        "payment_methods": record.get("payment_methods") or [],
        "reseller": record.get("reseller") or {},
        "declared_use": record.get("declared_use"),
        "cip_status": row.status,
        "account_created_at": record.get("created_at"),
        "ip_addresses": [
            {**a, "first": iso(a["first"]), "last": iso(a["last"])} for a in addresses
        ],
        "ip_address_count": address_count,
    }


def _run(run: dict[str, Any]) -> dict[str, Any]:
    upper, central = run.get("flop_upper"), run.get("flop_central")
    return {
        **run,
        "utilisation": central / upper if upper and central is not None else None,
        "hardware": [_hardware(a) for a in run.get("accelerators", [])],
    }


def _hardware(accelerator: str) -> dict[str, Any]:
    c = classify(accelerator)
    return {
        "id": c.id,
        "name": c.resolved,
        "eccn": c.eccn,
        "paragraph": c.paragraph,
        "tpp": c.tpp,
        "performance_density": c.performance_density,
        "uncertain": c.uncertain,
        "policy": c.policy,
    }
