"""The batch pipeline behind `cloudkyc run` and `cloudkyc demo`: a data directory of
interchange files in (DESIGN.md: customers.jsonl, access.csv, usage.csv or usage.parquet or a
usage/ folder of parts, lists/, tenders/), alerts.jsonl, groups.csv, links.csv, ledger.csv,
notices.jsonl and report.html out, and the store brought up to date.

The outputs are written into a temporary directory beside the output directory and moved
into it together once every stage has run, each of them every time (empty when there was
nothing to read): the output directory always holds the files of one whole run, never a mix
of this run's and an earlier one's.

The stages, in order:
  lists    every file under lists/ is stored; customers already onboarded are re-screened
           against the entries that changed, and special measures applied again;
  CIP      access events are added once (a second ingest of the same file adds nothing);
           every record that is new, changed, or has new access is onboarded: verified,
           screened, decided, stored;
  linking  accounts joined by shared identifiers; groups over the strong links;
  ledger   compute per account and per group (the groups are needed for the group totals,
           which is why linking comes before the ledger here, not after it);
  runs     training runs, stitched only for the accounts a rule can use them for;
  tenders  the procurement notices under tenders/, their parties screened;
  rules    the red-flag rules over all of it; each finding stored as an alert, one per rule
           and subject, so a second run gives the same alerts with the same ids. A finding
           a reviewer resolved with the same evidence stays resolved (and out of
           alerts.jsonl); an open alert of the rules that no run finds any more is marked
           not observed since this run, for a reviewer to close.

A bad row in any file is reported with its file and line and the rest is processed; the
result lists what was skipped, and the report shows it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from cloudkyc.compute.engines import check_engine, get_engine
from cloudkyc.compute.ledger import OUTPUT_COLUMNS, Total, run_ledger
from cloudkyc.compute.training_runs import RunReport, detect
from cloudkyc.customers.files import read_access, read_customers
from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import AccessEvent, CountryGroups
from cloudkyc.customers.onboarding import onboard_many
from cloudkyc.customers.record import CipRecord
from cloudkyc.customers.rescreen import rescreen
from cloudkyc.detection.engine import alert_fields, evaluate, load_rules, rules_pack
from cloudkyc.detection.facts import AccountFacts, Facts, Located
from cloudkyc.detection.rules import EVALUATORS, accounts_needing_runs
from cloudkyc.errors import BadInput, CloudKycError
from cloudkyc.hardware.classify import KIND as HARDWARE_KIND
from cloudkyc.hardware.classify import classify
from cloudkyc.linking import GROUPS_HEADER, LINKS_HEADER, LinkGraph, build_links
from cloudkyc.lists.checks import unloadable
from cloudkyc.lists.formats import read_lists
from cloudkyc.policy import select
from cloudkyc.run_files import Inputs, staged
from cloudkyc.screening.screen import Screener
from cloudkyc.settings import Settings
from cloudkyc.store.alerts import Alert, mark_not_observed, raise_alert
from cloudkyc.store.customers import as_utc, record_access, record_sha256, refresh_last_access
from cloudkyc.store.db import Target, session_scope
from cloudkyc.store.monitoring import StoredAccount, record_digests, stored_accounts
from cloudkyc.store.parties import ListDelta, load_parties, replace_sources_delta
from cloudkyc.store.run_results import save_run
from cloudkyc.tabular import atomic_writer, write_csv
from cloudkyc.tenders.parties import PartyScreener
from cloudkyc.tenders.scan import scan

ACTOR = "pipeline"
ALERT_FIELDS = (
    "alert_id",
    "rule",
    "severity",
    "account_ids",
    "group_id",
    "score",
    "summary",
    "evidence",
)
STAGES = ("lists", "customers", "linking", "ledger", "runs", "tenders", "rules", "report")
# the rules whose open alerts a run marks when it no longer finds them; SCREEN-HIT alerts are
# screening's (onboarding and re-screening raise and update them), not the rules'
SWEPT_RULES = frozenset(EVALUATORS) - {"SCREEN-HIT"}


@dataclass
class PipelineResult:
    out: Path
    alerts: list[dict[str, Any]]
    skipped: list[BadInput]
    counts: dict[str, int]
    seconds: dict[str, float]
    groups: dict[str, list[str]]
    unrecorded: list[str]  # accounts with usage or access and no CIP record
    packs: dict[str, str]
    new_alerts: int = 0
    skipped_more: int = 0  # usage rows rejected beyond those listed one by one

    def by_rule(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for alert in self.alerts:
            out[alert["rule"]] += 1
        return dict(sorted(out.items()))


@dataclass
class _Run:
    """What the stages hand each other."""

    inputs: Inputs
    out: Path  # where the stages write: the staging directory, moved into --out at the end
    target: Target
    threshold: float
    workers: int
    engine_name: str
    on: dt.date
    step: Callable[[str], None]
    skipped: list[BadInput] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    packs: dict[str, str] = field(default_factory=dict)
    screener: Screener | None = None
    access_accounts: set[str] = field(default_factory=set)
    records: dict[str, CipRecord] = field(default_factory=dict)  # customers.jsonl, read
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def run_pipeline(
    data: Path,
    out: Path,
    settings: Settings,
    *,
    target: Target = None,
    engine: str = "duckdb",
    on: dt.date | None = None,
    step: Callable[[str], None] | None = None,
) -> PipelineResult:
    """Run every stage over the files of `data`, write the outputs into `out`, and return
    what was found. `target` is the store (default: the one `settings` names); `step` is told
    as each of STAGES begins. When a stage fails, `out` is left as it was."""
    check_engine(engine)  # refused before anything is read or stored
    inputs = Inputs.find(data)
    with staged(out) as stage:
        run = _Run(
            inputs=inputs,
            out=stage,
            target=target if target is not None else settings,
            threshold=settings.screen_threshold,
            workers=settings.screen_workers,
            engine_name=engine,
            on=on or dt.datetime.now(dt.UTC).date(),
            step=step or (lambda _s: None),
        )
        result = _stages(run, settings, out)
    return result


def _stages(run: _Run, settings: Settings, out: Path) -> PipelineResult:
    """STAGES in order, each writing its outputs into run.out; the result names `out`."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = round(now - clock, 2)
        clock = now

    run.step("lists")
    _lists(run)
    lap("lists")
    run.step("customers")
    _customers(run, GeoLocator(settings.geoip_mmdb))
    lap("customers")
    run.step("linking")
    with session_scope(run.target) as session:
        stored = stored_accounts(session)
    records = {  # this run's records as read (the store holds them as they are), others parsed
        a.account_id: run.records.get(a.account_id) or CipRecord.model_validate(a.record)
        for a in stored
    }
    graph = build_links(records.values(), _events(stored), select("linking", on=run.on))
    run.packs["linking"] = graph.policy["id"]
    groups = _write_groups(run, graph)
    lap("linking")
    run.step("ledger")
    engine_ = get_engine(run.engine_name)
    try:
        totals, rejected_more = _ledger(run, engine_)
        lap("ledger")
        facts = _facts(run, stored, records, graph, groups, totals)
        if run.inputs.usage:
            _hardware(engine_, facts)
        rules = rules_pack(run.on)
        run.packs["detection-rules"] = rules.id
        run.step("runs")
        _runs(run, engine_, facts, accounts_needing_runs(facts, load_rules(rules)))
        lap("runs")
    finally:
        engine_.close()
    run.step("tenders")
    facts.notices = _tenders(run)
    lap("tenders")
    run.step("rules")
    alerts, new = _alerts(run, facts, rules)
    with session_scope(run.target) as session:  # the dashboard's copy of this run's files
        save_run(session, run.out)
    lap("rules")
    result = PipelineResult(
        out=out,
        alerts=alerts,
        skipped=run.skipped,
        counts=run.counts,
        seconds=seconds,
        groups=facts.groups,
        unrecorded=sorted(
            ({t.id for t in totals if t.scope == "account"} | run.access_accounts) - set(records)
        ),
        packs=run.packs,
        new_alerts=new,
        skipped_more=rejected_more,
    )
    run.step("report")
    from cloudkyc.reports.run import write_run_report  # Jinja2 only when a report is written

    write_run_report(result, facts, run.out / "report.html")
    seconds["report"] = round(time.perf_counter() - clock, 2)
    return result


def _lists(run: _Run) -> None:
    """Store every readable list; a file that cannot be read keeps its source as stored."""
    failures: list[BadInput] = []
    results = read_lists(run.inputs.lists, failures=failures)
    run.skipped += failures
    run.skipped += [e for r in results for e in r.errors]
    unfit = unloadable(results)
    run.skipped += unfit
    unfit_sources = {str(e.file) for e in unfit}
    fit = [r for r in results if not any(str(f) in unfit_sources for f in r.files)]
    with session_scope(run.target) as session:
        delta = replace_sources_delta(session, fit) if fit else None
        done = rescreen(session, delta or ListDelta(), ACTOR, run.threshold, run.on)
        parties = load_parties(session)
    run.screener = Screener(parties, run.threshold) if parties else None
    run.counts |= {
        "list_entries": len(parties),
        "list_entries_changed": len(delta.touched) if delta else 0,
        "rescreen_new_hits": done.new_hits,
    }


def _customers(run: _Run, geo: GeoLocator) -> None:
    """Add new access events; onboard every record that is new, changed or newly accessed."""
    records = list(read_customers(run.inputs.customers, run.skipped))
    run.records = {r.account_id: r for _line, r in records}
    events = read_access(run.inputs.access, run.skipped) if run.inputs.access else []
    run.access_accounts = {e.account_id for e in events}
    with session_scope(run.target) as session:
        added = record_access(session, events, lambda ip: geo.lookup(ip).country)
        known = record_digests(session)
        due = [
            r
            for _line, r in records
            if known.get(r.account_id) != record_sha256(r) or r.account_id in added
        ]
        onboard_many(session, due, run.screener, ACTOR, geo=geo, on=run.on, workers=run.workers)
        refresh_last_access(session, (r.account_id for r in due))
    run.counts |= {
        "customers_read": len(records),
        "customers_onboarded": len(due),
        "access_events_read": len(events),
        "access_events_new": sum(added.values()),
    }


def _events(stored: list[StoredAccount]) -> list[AccessEvent]:
    return [
        AccessEvent(a.account_id, ts, ip, kind)  # type: ignore[arg-type]
        for a in stored
        for ts, ip, kind, _country in a.access
    ]


def _write_groups(run: _Run, graph: LinkGraph) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for account, gid in graph.groups().items():
        groups[gid].append(account)
    write_csv(run.out / "groups.csv", GROUPS_HEADER, graph.to_rows())
    write_csv(run.out / "links.csv", LINKS_HEADER, graph.link_rows())
    run.counts |= {"links": len(graph.links), "groups": len(groups)}
    return dict(groups)


def _ledger(run: _Run, engine: Any) -> tuple[list[Total], int]:
    if not run.inputs.usage:
        with atomic_writer(run.out / "ledger.csv") as handle:  # the header, as the engine writes it
            handle.write(",".join(OUTPUT_COLUMNS) + "\n")
        run.counts["usage_files"] = 0
        return [], 0
    pack = select("compute-accounting", on=run.on)  # the pack of the run's day, as the rules
    run.packs["compute-accounting"] = pack.id
    result = run_ledger(
        engine, run.inputs.usage, run.out / "ledger.csv", run.out / "groups.csv", pack
    )
    run.skipped += result.rejected
    run.counts |= {
        "usage_files": len(run.inputs.usage),
        "usage_rows_rejected": result.rejected_total,
    }
    return result.totals, result.rejected_total - len(result.rejected)


def _hardware(engine: Any, facts: Facts) -> None:
    """The accelerators each account used, from the ledger's groups: an account that used no
    controlled hardware needs no runs stitched for D5-CONTROLLED-COMPUTE."""
    used: dict[str, set[str]] = defaultdict(set)
    for account, accelerator in engine.query(
        "SELECT DISTINCT account_id, accelerator_id FROM usage_groups"
    ):
        used[account].add(accelerator)
    for account, accelerators in used.items():
        if account in facts.accounts:
            facts.accounts[account].accelerators = frozenset(accelerators)


def _facts(
    run: _Run,
    stored: list[StoredAccount],
    records: dict[str, CipRecord],
    graph: LinkGraph,
    groups: dict[str, list[str]],
    totals: list[Total],
) -> Facts:
    country_groups = CountryGroups(select("country-groups", on=run.on))
    run.packs["country-groups"] = country_groups.pack.id
    by_id = {(t.scope, t.id): t for t in totals}
    accounts = {
        a.account_id: AccountFacts(
            account_id=a.account_id,
            record=records[a.account_id],
            decision=a.decision,
            hits=a.hits,
            measures=a.measures,
            access=[
                Located(ts, ip, kind, country or "unknown") for ts, ip, kind, country in a.access
            ],
            total=by_id.get(("account", a.account_id)),
        )
        for a in stored
    }
    eccns: dict[str, str] = {}
    hardware_policy = select(HARDWARE_KIND, on=run.on).id

    def eccn(accelerator: str) -> str:
        if accelerator not in eccns:
            try:
                eccns[accelerator] = classify(accelerator, hardware_policy).eccn
            except CloudKycError:  # one the catalog cannot name is not known to be controlled
                eccns[accelerator] = "unknown"
        return eccns[accelerator]

    return Facts(
        accounts=accounts,
        links=graph.links,
        groups=groups,
        group_totals={g: t for (scope, g), t in by_id.items() if scope == "group"},
        country_groups=country_groups.of,
        restricted_groups=frozenset(country_groups.restricted_access_groups),
        eccn=eccn,
        on=run.on,
        unrecorded={t.id: t for t in totals if t.scope == "account" and t.id not in accounts},
    )


def _runs(run: _Run, engine: Any, facts: Facts, wanted: set[str]) -> None:
    """Training runs of the accounts in `wanted`, onto their facts."""
    run.counts["accounts_with_runs_checked"] = len(wanted)
    if not wanted or not run.inputs.usage:
        return
    pack = select("compute-accounting", on=run.on)
    found = detect(engine, run.inputs.usage, pack, accounts=wanted)
    by_account: dict[str, list[RunReport]] = defaultdict(list)
    for report in found.reports:
        by_account[report.run.account_id or ""].append(report)
    for account, reports in by_account.items():
        if account in facts.accounts:
            facts.accounts[account].runs = reports
    run.counts["runs"] = sum(len(r) for r in by_account.values())


def _tenders(run: _Run) -> list[dict[str, Any]]:
    """The notices under tenders/ (none without it), written to notices.jsonl either way."""
    notices: list[dict[str, Any]] = []
    if run.inputs.tenders is not None:
        screener = PartyScreener(run.screener) if run.screener else None
        result = scan([run.inputs.tenders], screener)
        run.skipped += result.errors + result.rejected_values
        run.skipped += [BadInput(f) for f in result.failures]
        notices = [n.to_json() for n in result.notices]
    with atomic_writer(run.out / "notices.jsonl") as handle:
        for notice in notices:
            handle.write(orjson.dumps(notice).decode("utf-8") + "\n")
    run.counts |= {
        "notices": len(notices),
        "notices_flagged": sum(bool(n["flags"]) for n in notices),
    }
    return notices


def _alerts(run: _Run, facts: Facts, pack: Any) -> tuple[list[dict[str, Any]], int]:
    """Store every finding as an alert, mark the open ones no rule found any more, and write
    alerts.jsonl; (alerts, how many were first raised in this run)."""
    found = evaluate(facts, pack)
    alerts: list[dict[str, Any]] = []
    new = dismissed = 0
    with session_scope(run.target) as session:
        for rule, finding in found:
            fields = alert_fields(rule, finding, pack)
            row, _ = raise_alert(session, Alert(**fields), ACTOR)
            if row.status == "resolved":  # a reviewer dismissed this very finding
                dismissed += 1
                continue
            new += as_utc(row.created_at) >= run.started  # onboarding may have raised it
            alerts.append(
                {
                    "alert_id": row.id,
                    **{k: fields[k] for k in ALERT_FIELDS[1:]},
                    "evidence": row.evidence,  # with the resolved alert it reopens, if any
                }
            )
        seen = {a["alert_id"] for a in alerts}
        gone = mark_not_observed(session, SWEPT_RULES, ACTOR, seen, run.started)
    run.counts |= {"alerts_resolved_before": dismissed, "alerts_not_observed": gone}
    with atomic_writer(run.out / "alerts.jsonl") as handle:
        for alert in alerts:
            line = {k: alert[k] for k in ALERT_FIELDS}  # the fields of DESIGN.md, in its order
            handle.write(orjson.dumps(line).decode("utf-8") + "\n")
    return alerts, new
