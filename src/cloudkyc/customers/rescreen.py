"""Re-screening when a list changes, as a delta: every customer's names are screened against
the entries that were added or changed, and hits on entries that changed or left the list are
re-read; nothing else can have changed, so nothing else is screened again. A new hit opens (or
updates) the customer's SCREEN-HIT alert.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudkyc.customers.record import CipRecord
from cloudkyc.screening.screen import Query, Screener
from cloudkyc.store.alerts import Alert, raise_alert
from cloudkyc.store.cip_models import CustomerRow
from cloudkyc.store.customers import apply_hits
from cloudkyc.store.parties import ListDelta, load_parties, party_digest


@dataclass(frozen=True)
class RescreenReport:
    customers: int
    names: int
    entries: int  # list entries screened against: the added and changed ones
    new_hits: int
    alerts: int


def rescreen(session: Session, delta: ListDelta, actor: str, threshold: float) -> RescreenReport:
    if not delta:
        return RescreenReport(0, 0, 0, 0, 0)
    parties = [p for p in load_parties(session) if p.id in delta.added or p.id in delta.changed]
    screener = Screener(parties, threshold) if parties else None
    customers = list(session.execute(select(CustomerRow).order_by(CustomerRow.id)).scalars())
    now = dt.datetime.now(dt.UTC)
    names = new_hits = alerts = 0
    for customer in customers:
        record = CipRecord.model_validate(customer.record)
        subjects = record.subjects()
        names += len(subjects)
        hits: list[dict[str, Any]] = []
        if screener is not None:
            ctype = "person" if record.customer.type == "individual" else "organization"
            queries = [
                Query(
                    name,
                    country=country,
                    type=ctype if role.startswith("customer") else None,
                    registration_id=record.customer.registration_id
                    if role.startswith("customer")
                    else None,
                )
                for role, name, country in subjects
            ]
            for (role, name, _country), found in zip(
                subjects, screener.screen_batch(queries), strict=True
            ):
                hits += [
                    {
                        "role": role,
                        "subject_name": name,
                        "party_id": h.party.id,
                        "party_sha256": party_digest(h.party),
                        "score": float(h.score),
                        "explanation": h.explanation,
                    }
                    for h in found
                ]
        fresh = apply_hits(session, customer.id, hits, now, scope=set(delta.touched))
        new_hits += fresh
        if fresh:
            best = max(hits, key=lambda h: h["score"])
            raise_alert(
                session,
                Alert(
                    rule="SCREEN-HIT",
                    subject=customer.id,
                    severity="high",
                    score=best["score"],
                    summary=f"list update: {best['role']} '{best['subject_name']}' now matches "
                    f"{best['party_id']} at {best['score']:.2f}",
                    evidence={"hits": hits, "delta": _counts(delta)},
                    account_ids=[customer.id],
                ),
                actor,
            )
            alerts += 1
    return RescreenReport(len(customers), names, len(parties), new_hits, alerts)


def _counts(delta: ListDelta) -> dict[str, int]:
    return {
        "added": len(delta.added),
        "changed": len(delta.changed),
        "removed": len(delta.removed),
    }
