"""Onboarding accounts: verify, screen, decide, store, alert, in the caller's transaction.

The record is already valid (record.py refused what is not). The verification checks
(checks.py) read the record, the account's access so far and the lists; the decision (risk.py)
weighs them under the `cip-risk` pack; the store keeps the record, the decision with every
check's evidence, and the hits; a hit also opens (or updates) a SCREEN-HIT alert for review.

`onboard` takes one record (the API, `customers import`); `onboard_many` a batch (`cloudkyc
run`), with the same stored result as `onboard` on each record in turn, but with the policy
packs chosen once, the access read in one query, the checks and decisions (`assess`, which
touches no database) in forked workers, and the new customers written in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cloudkyc.customers.checks import run_checks
from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import AccessEvent, Check, CountryGroups
from cloudkyc.customers.record import CipRecord
from cloudkyc.customers.risk import Decision, decide
from cloudkyc.errors import NotFound
from cloudkyc.forked import can_fork, fork_map
from cloudkyc.lists.model import Party
from cloudkyc.policy import Pack
from cloudkyc.policy import select as select_pack
from cloudkyc.screening.screen import Screener
from cloudkyc.store import customers as repo
from cloudkyc.store.alerts import Alert, raise_alert
from cloudkyc.store.audit import digest
from cloudkyc.store.cip_models import AccessEventRow
from cloudkyc.store.parties import party_digest

SEVERITY = {"deny": "critical", "review": "high", "approve": "medium"}
CHUNK = 64  # records assessed together in a worker
PARALLEL_MIN = 500  # below this, forking workers costs more than it saves
WRITE_EVERY = 1_000  # new customers written together


@dataclass(frozen=True)
class Policy:
    """The packs in force on the day of onboarding, chosen once for a batch."""

    on: dt.date
    risk: Pack
    country_groups: CountryGroups | None
    special_measures: Pack | None

    @classmethod
    def in_force(cls, on: dt.date) -> Policy:
        groups = _pack(on, "country-groups")
        return cls(
            on,
            select_pack("cip-risk", on=on),
            CountryGroups(groups) if groups else None,
            _pack(on, "special-measures"),
        )

    def ids(self) -> dict[str, str]:
        """kind -> id of the packs applied, as a decision records them."""
        packs = {
            "cip-risk": self.risk,
            "country-groups": self.country_groups.pack if self.country_groups else None,
            "special-measures": self.special_measures,
        }
        return {kind: p.id for kind, p in packs.items() if p is not None}


def _pack(on: dt.date, kind: str) -> Pack | None:
    try:
        return select_pack(kind, on=on)
    except NotFound:  # no pack of that kind in force: the checks say so
        return None


Assessed = tuple[list[Check], Decision]


def assess(
    record: CipRecord,
    events: Iterable[AccessEvent],
    screener: Screener | None,
    geo: GeoLocator,
    policy: Policy,
) -> Assessed:
    """The checks of `record` and the decision on them: no database, no side effect."""
    checks = run_checks(
        record,
        events,
        screener,
        on=policy.on,
        geo=geo,
        country_groups=policy.country_groups,
        special_measures=policy.special_measures,
    )
    return checks, decide(checks, policy.risk)


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


def onboard(
    session: Session,
    record: CipRecord,
    screener: Screener | None,
    actor: str,
    *,
    geo: GeoLocator,
    on: dt.date | None = None,
) -> repo.Assessment:
    """Assess and store `record`, and return the assessment; GET /v1/customers/{id} shows
    the stored result (repo.customer_view)."""
    policy = Policy.in_force(on or dt.datetime.now(dt.UTC).date())
    events = _events(_access(session, [record.account_id])[record.account_id])
    checks, decision = assess(record, events, screener, geo, policy)
    assessment = _assessment(checks, decision, policy, _parties(screener))
    repo.save_customer(session, record, assessment, actor)
    _alert(session, record.account_id, checks, assessment, actor)
    return assessment


def onboard_many(
    session: Session,
    records: Sequence[CipRecord],
    screener: Screener | None,
    actor: str,
    *,
    geo: GeoLocator,
    on: dt.date,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[repo.Assessment]:
    """`onboard` on each record in turn, as far as the store can tell (the same rows, the
    audit rows in the same order), in a fraction of the time. A record whose account is not
    stored yet is written in bulk; one already stored (or met earlier in the batch) is
    replaced as `onboard` replaces it. `progress` is told how many records were assessed."""
    policy = Policy.in_force(on)
    access = _access(session, [r.account_id for r in records])
    stored = repo.stored_ids(session, (r.account_id for r in records))
    parties = _parties(screener)
    new = repo.NewCustomers(actor)
    out = []
    todo = [(r, access[r.account_id]) for r in records]
    assessed = _assess_all(todo, (screener, geo, policy), workers, progress)
    for record, (checks, decision) in zip(records, assessed, strict=True):
        assessment = _assessment(checks, decision, policy, parties)
        if record.account_id in stored:
            new.write(session)  # the account's rows as they stand before it is replaced
            repo.save_customer(session, record, assessment, actor)
        else:
            new.add(record, assessment)
            stored.add(record.account_id)
        if assessment.hits:
            new.write_audit(session)  # the customer's audit row comes before its alert's
            _alert(session, record.account_id, checks, assessment, actor)
        if len(new) >= WRITE_EVERY:
            new.write(session)  # while the workers assess the next records
        out.append(assessment)
    new.write(session)
    return out


_Row = tuple[str, dt.datetime, str, str]  # account_id, ts, ip, kind of an access event
_Todo = list[tuple[CipRecord, list[_Row]]]
_Shared = tuple[Screener | None, GeoLocator, Policy]


def _assess_all(
    todo: _Todo, shared: _Shared, workers: int, progress: Callable[[int], None] | None
) -> Iterator[Assessed]:
    """`assess` on every record, in order; in forked workers when there are enough."""
    spans = [range(i, min(i + CHUNK, len(todo))) for i in range(0, len(todo), CHUNK)]
    state = (todo, shared)
    if can_fork(workers) and len(todo) >= PARALLEL_MIN:
        results: Iterable[list[Assessed]] = fork_map(
            _assess_span, state, spans, workers, "onboarding"
        )
    else:
        results = (_assess_span(state, span) for span in spans)
    for span, done in zip(spans, results, strict=True):
        yield from done
        if progress:
            progress(len(span))


def _assess_span(state: tuple[_Todo, _Shared], span: range) -> list[Assessed]:
    todo, (screener, geo, policy) = state
    if screener is not None:  # the span's names in one pass, not record by record
        screener = screener.primed([q for i in span for _r, q in todo[i][0].screening_queries()])
    return [assess(todo[i][0], _events(todo[i][1]), screener, geo, policy) for i in span]


def _access(session: Session, account_ids: Sequence[str]) -> dict[str, list[_Row]]:
    """The access events of these accounts so far, as rows, oldest first (the workers make
    them AccessEvents: that costs more than reading them)."""
    ids = list(dict.fromkeys(account_ids))
    out: dict[str, list[_Row]] = defaultdict(list)
    row = AccessEventRow
    for start in range(0, len(ids), repo.IN_BATCH):
        query = (
            select(row.account_id, row.ts, row.ip, row.kind)
            .where(row.account_id.in_(ids[start : start + repo.IN_BATCH]))
            .order_by(row.id)
        )
        for event in session.execute(query):
            out[event[0]].append(event)
    return out


def _events(rows: list[_Row]) -> list[AccessEvent]:
    return [AccessEvent(*row) for row in rows]  # type: ignore[arg-type]


def _parties(screener: Screener | None) -> dict[str, Party]:
    return screener.index.party_by_id if screener else {}


def _assessment(
    checks: list[Check], decision: Decision, policy: Policy, parties: dict[str, Party]
) -> repo.Assessment:
    screening = next(c for c in checks if c.name == "screening")
    hits = [
        stored_hit(
            h["role"],
            h["name"],
            h["party_id"],
            parties.get(h["party_id"]),
            h["score"],
            h["explanation"],
        )
        for h in screening.evidence.get("hits", [])
    ]
    return repo.Assessment(
        outcome=decision.outcome,
        score=decision.score,
        reasons=list(decision.reasons),
        checks=[c.to_dict() for c in checks],
        measures=list(decision.measures),
        hits=hits,
        policy=policy.ids(),
    )


def _alert(
    session: Session, account_id: str, checks: list[Check], a: repo.Assessment, actor: str
) -> None:
    if not a.hits:
        return
    screening = next(c for c in checks if c.name == "screening")
    evidence = {"hits": screening.evidence["hits"]}
    alert_on_hits(
        session, account_id, a.hits, SEVERITY[a.outcome], screening.summary, evidence, actor
    )
