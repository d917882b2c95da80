"""Re-screening when a list changes, as a delta: every customer's names are screened against
the entries that were added or changed, and hits on entries that changed or left the list are
re-read; nothing else can have changed, so nothing else is screened again. A new hit opens (or
updates) the customer's SCREEN-HIT alert.

Special measures are applied again at the same time, as of today: a measure that came into
force, or lapsed, since the customer's last decision gives a new decision citing it (and a
SPECIAL-MEASURE alert when one now applies).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudkyc.customers.checks import check_special_measures
from cloudkyc.customers.models import Check
from cloudkyc.customers.onboarding import alert_on_hits, stored_hit
from cloudkyc.customers.record import CipRecord
from cloudkyc.customers.risk import decide
from cloudkyc.errors import NotFound
from cloudkyc.policy import select as select_pack
from cloudkyc.screening.screen import Screener
from cloudkyc.store.alerts import Alert, raise_alert
from cloudkyc.store.cip_models import CustomerRow
from cloudkyc.store.customers import Assessment, apply_hits, latest_decision, redecide
from cloudkyc.store.parties import ListDelta, load_parties


@dataclass(frozen=True)
class RescreenReport:
    customers: int
    names: int
    entries: int  # list entries screened against: the added and changed ones
    new_hits: int
    alerts: int
    redecided: int = 0  # customers given a new decision because a special measure changed


SPAN = 256  # customers whose names are screened together


def reapply_measures(
    session: Session, customer: CustomerRow, record: CipRecord, on: dt.date, actor: str
) -> bool:
    """A new decision when the special measures that apply differ from the last decision's."""
    try:
        pack = select_pack("special-measures", on=on)
    except NotFound:
        pack = None
    check = check_special_measures(record, pack, on)
    latest = latest_decision(session, customer.id)
    now_ids = {m["id"] for m in check.evidence.get("applied", [])}
    before_ids = {m["id"] for m in (latest.measures if latest else [])}
    if latest is None or now_ids == before_ids:
        return False
    checks = [Check(**c) for c in latest.checks if c["name"] != "special_measures"] + [check]
    risk = select_pack("cip-risk", on=on)
    decision = decide(checks, risk)
    redecide(
        session,
        customer,
        Assessment(
            outcome=decision.outcome,
            score=decision.score,
            reasons=list(decision.reasons),
            checks=[c.to_dict() for c in checks],
            measures=list(decision.measures),
            hits=[],
            policy={**latest.policy, "cip-risk": risk.id},
        ),
        actor,
    )
    if now_ids - before_ids:
        raise_alert(
            session,
            Alert(
                rule="SPECIAL-MEASURE",
                subject=customer.id,
                severity="critical" if check.status == "fail" else "high",
                score=1.0,
                summary=check.summary,
                evidence=check.evidence,
                account_ids=[customer.id],
            ),
            actor,
        )
    return True


def rescreen(
    session: Session, delta: ListDelta, actor: str, threshold: float, on: dt.date | None = None
) -> RescreenReport:
    """Screen every customer against the entries `delta` added or changed, re-read its hits on
    the entries it touched, and apply the special measures in force on `on` (today)."""
    day = on or dt.datetime.now(dt.UTC).date()
    parties = [p for p in load_parties(session) if p.id in delta.added or p.id in delta.changed]
    screener = Screener(parties, threshold) if parties else None
    customers = list(session.execute(select(CustomerRow).order_by(CustomerRow.id)).scalars())
    now = dt.datetime.now(dt.UTC)
    names = new_hits = alerts = redecided = 0
    records = [CipRecord.model_validate(c.record) for c in customers]
    for i, (customer, record) in enumerate(zip(customers, records, strict=True)):
        if screener is not None and i % SPAN == 0:  # a span's names in one vectorised pass
            span = records[i : i + SPAN]
            primed = screener.primed([q for r in span for _role, q in r.screening_queries()])
        redecided += reapply_measures(session, customer, record, day, actor)
        subjects = record.subjects()
        names += len(subjects)
        hits: list[dict[str, Any]] = []
        if screener is not None:
            asked = record.screening_queries()
            found = primed.screen_batch([q for _role, q in asked])
            hits = [
                stored_hit(role, q.name, h.party.id, h.party, h.score, h.explanation)
                for (role, q), matches in zip(asked, found, strict=True)
                for h in matches
            ]
        fresh = apply_hits(session, customer.id, hits, now, scope=set(delta.touched))
        new_hits += fresh
        if fresh:
            best = max(hits, key=lambda h: h["score"])
            alert_on_hits(
                session,
                customer.id,
                hits,
                "high",
                f"list update: {best['role']} '{best['subject_name']}' now matches "
                f"{best['party_id']} at {best['score']:.2f}",
                {"hits": hits, "delta": _counts(delta)},
                actor,
            )
            alerts += 1
    return RescreenReport(len(customers), names, len(parties), new_hits, alerts, redecided)


def _counts(delta: ListDelta) -> dict[str, int]:
    return {
        "added": len(delta.added),
        "changed": len(delta.changed),
        "removed": len(delta.removed),
    }
