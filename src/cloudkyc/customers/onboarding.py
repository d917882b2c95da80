"""Onboarding one account: verify, screen, decide, store, alert, in the caller's transaction.

The record is already valid (record.py refused what is not). The verification checks
(checks.py) read the record, the account's access so far and the lists; the decision (risk.py)
weighs them under the `cip-risk` pack; the store keeps the record, the decision with every
check's evidence, and the hits; a hit also opens (or updates) a SCREEN-HIT alert for review.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudkyc.customers.checks import run_checks
from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import AccessEvent, Check, pack_ref
from cloudkyc.customers.record import CipRecord
from cloudkyc.customers.risk import decide
from cloudkyc.lists.model import Party
from cloudkyc.policy import select as select_pack
from cloudkyc.screening.screen import Screener
from cloudkyc.store import customers as repo
from cloudkyc.store.alerts import Alert, raise_alert
from cloudkyc.store.audit import digest
from cloudkyc.store.cip_models import AccessEventRow
from cloudkyc.store.parties import party_digest

SEVERITY = {"deny": "critical", "review": "high", "approve": "medium"}


def _access(session: Session, account_id: str) -> list[AccessEvent]:
    rows = session.execute(
        select(AccessEventRow).where(AccessEventRow.account_id == account_id)
    ).scalars()
    return [AccessEvent(r.account_id, r.ts, r.ip, r.kind) for r in rows]  # type: ignore[arg-type]


def stored_hit(
    role: str, name: str, party_id: str, party: Party | None, score: float, explanation: str
) -> dict[str, Any]:
    """A hit as the store keeps it, with a digest of the list entry as it stands, so that a
    reviewer's clearance lapses when the entry changes."""
    return {
        "role": role,
        "subject_name": name,
        "party_id": party_id,
        "party_sha256": party_digest(party) if party else digest(party_id),
        "score": float(score),
        "explanation": explanation,
    }


def alert_on_hits(
    session: Session,
    account_id: str,
    hits: list[dict[str, Any]],
    severity: str,
    summary: str,
    evidence: dict[str, Any],
    actor: str,
) -> None:
    """Open, or update, the account's SCREEN-HIT alert with the strongest hit's score."""
    raise_alert(
        session,
        Alert(
            rule="SCREEN-HIT",
            subject=account_id,
            severity=severity,
            score=max(h["score"] for h in hits),
            summary=summary,
            evidence=evidence,
            account_ids=[account_id],
        ),
        actor,
    )


def _hits(check: Check, screener: Screener | None) -> list[dict[str, Any]]:
    if screener is None:
        return []
    parties = {p.id: p for p in screener.index.parties}
    return [
        stored_hit(
            h["role"],
            h["name"],
            h["party_id"],
            parties.get(h["party_id"]),
            h["score"],
            h["explanation"],
        )
        for h in check.evidence.get("hits", [])
    ]


def onboard(
    session: Session,
    record: CipRecord,
    screener: Screener | None,
    actor: str,
    *,
    geo: GeoLocator,
    on: dt.date | None = None,
) -> dict[str, Any]:
    """Assess and store `record`; returns the customer as GET /v1/customers/{id} shows it."""
    day = on or dt.datetime.now(dt.UTC).date()
    checks = run_checks(record, _access(session, record.account_id), screener, on=day, geo=geo)
    risk_pack = select_pack("cip-risk", on=day)
    decision = decide(checks, risk_pack)
    by_name = {c.name: c for c in checks}
    hits = _hits(by_name["screening"], screener)
    policies = {"cip-risk": risk_pack.id}
    for kind in ("country-groups", "special-measures"):
        try:
            policies[kind] = pack_ref(select_pack(kind, on=day))["id"]
        except Exception:  # no pack of that kind in force: the checks said so already
            continue
    assessment = repo.Assessment(
        outcome=decision.outcome,
        score=decision.score,
        reasons=list(decision.reasons),
        checks=[c.to_dict() for c in checks],
        measures=list(decision.measures),
        hits=hits,
        policy=policies,
    )
    repo.save_customer(session, record, assessment, actor)
    if hits:
        screening = by_name["screening"]
        alert_on_hits(
            session,
            record.account_id,
            hits,
            SEVERITY[decision.outcome],
            screening.summary,
            {"hits": screening.evidence["hits"]},
            actor,
        )
    return repo.customer_view(session, record.account_id)
