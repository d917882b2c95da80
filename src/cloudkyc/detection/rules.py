"""The built-in red-flag rules: one function per rule id of the catalog, each reading the facts
and the rule's parameters from the `detection-rules` pack, and giving its findings with the
evidence a reviewer needs to check them."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cloudkyc.compute.detect import threshold_status
from cloudkyc.compute.runs import epoch_seconds
from cloudkyc.detection.facts import AccountFacts, Facts
from cloudkyc.linking.normalize import party_key
from cloudkyc.lists.model import Party
from cloudkyc.policy import Pack, select
from cloudkyc.screening.screen import Query, Screener

SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: str  # an account id, a group id, or a shared value ("pm:<fingerprint>")
    score: float  # 0..1
    summary: str
    evidence: dict[str, Any]
    account_ids: list[str]
    group_id: str | None = None
    severity: str | None = None  # when a finding is more (or less) severe than its rule


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    citation: str
    severity: str
    params: dict[str, Any] = field(default_factory=dict)


Evaluator = Callable[[Facts, Rule, Pack], Iterator[Finding]]
EVALUATORS: dict[str, Evaluator] = {}
PARAMS: dict[str, tuple[str, ...]] = {}


def rule(rule_id: str, *params: str) -> Callable[[Evaluator], Evaluator]:
    """Register an evaluator under its catalog id with the parameters it reads from the pack
    (checked when the pack is loaded, so a pack missing one fails before the run starts)."""

    def register(fn: Evaluator) -> Evaluator:
        EVALUATORS[rule_id] = fn
        PARAMS[rule_id] = params
        return fn

    return register


def _restricted(facts: Facts, country: str | None) -> list[str]:
    if not country:
        return []
    return [g for g in facts.country_groups(country) if g in facts.restricted_groups]


@rule("SCREEN-HIT", "min_score", "critical_score")
def screen_hit(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    for acc in facts.accounts.values():
        hits = [h for h in acc.hits if h["score"] >= float(r.params["min_score"])]
        if not hits:
            continue
        best = max(hits, key=lambda h: h["score"])
        yield Finding(
            "SCREEN-HIT",
            acc.account_id,
            best["score"],
            f"{best['role']} '{best['name']}' matches {best['party_id']} at {best['score']:.2f}",
            {"hits": hits},
            [acc.account_id],
            severity="critical" if best["score"] >= float(r.params["critical_score"]) else None,
        )


@rule("GEO-MISMATCH", "min_events", "min_share", "min_admin_logins", "min_admin_share")
def geo_mismatch(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    """Most administration, or most access, from a restricted country on an account declaring
    another. A traveller's few logins from abroad are a minority of the account's own and do
    not fire; a front administered from the restricted country does."""
    p = r.params
    for acc in facts.accounts.values():
        declared = acc.record.customer.country
        if _restricted(facts, declared):
            continue  # a restricted-country customer logging in from home is not a mismatch
        located = [e for e in acc.access if len(e.country) == 2]
        from_restricted = [e for e in located if _restricted(facts, e.country)]
        if not from_restricted:
            continue
        admin = [e for e in located if e.admin]
        admin_restricted = [e for e in from_restricted if e.admin]
        admin_share = len(admin_restricted) / len(admin) if admin else 0.0
        share = len(from_restricted) / len(located)
        by_admin = len(admin_restricted) >= int(p["min_admin_logins"]) and admin_share >= float(
            p["min_admin_share"]
        )
        by_access = len(from_restricted) >= int(p["min_events"]) and share >= float(p["min_share"])
        if not (by_admin or by_access):
            continue
        countries = ", ".join(sorted({e.country for e in from_restricted}))
        yield Finding(
            "GEO-MISMATCH",
            acc.account_id,
            min(1.0, 0.5 + max(admin_share, share) / 2),
            f"declares {declared}; {len(admin_restricted)} of {len(admin)} console/ssh logins "
            f"and {share:.0%} of located access from {countries}",
            {
                "declared": declared,
                "by_country": dict(Counter(e.country for e in located)),
                "admin_share": round(admin_share, 4),
                "share": round(share, 4),
                "unlocated_events": len(acc.access) - len(located),
                "restricted": [
                    {"ts": e.ts.isoformat(), "ip": e.ip, "kind": e.kind, "country": e.country}
                    for e in from_restricted[:50]
                ],
            },
            [acc.account_id],
        )


# links that say two accounts are one customer: declared (a sub-account, one registration id)
# or the same company under slightly different names and addresses
SAME_CUSTOMER = frozenset({"registration_id", "sub_account", "fuzzy_identity"})


def _customers(facts: Facts, accounts: Iterable[str]) -> dict[str, str]:
    """account -> the first account of its customer: the accounts joined by SAME_CUSTOMER
    links or with the same name are one customer."""
    wanted = set(accounts)
    parent = {a: a for a in wanted}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for link in facts.links:
        if link.kind in SAME_CUSTOMER and link.a in wanted and link.b in wanted:
            join(link.a, link.b)
    by_name: dict[str, str] = {}
    for a in sorted(wanted):
        if a in facts.accounts:
            name = facts.accounts[a].record.customer.name.casefold()
            join(a, by_name.setdefault(name, a))
    return {a: find(a) for a in wanted}


@rule("PAYMENT-LINK")
def payment_link(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    """One payment method paying for accounts of different customers, read from the link
    graph: a fingerprint the linking pack caps as over-shared (a processor's stand-in fingerprint)
    or never links gives no alert; one customer's own accounts are not "different"."""
    by_fingerprint: dict[str, set[str]] = defaultdict(set)
    for link in facts.links:
        if link.kind == "payment_fingerprint":
            by_fingerprint[link.value].update((link.a, link.b))
    for fingerprint, linked in sorted(by_fingerprint.items()):
        accounts = sorted(a for a in linked if a in facts.accounts)
        customers = _customers(facts, accounts)
        if len(set(customers.values())) < 2:
            continue  # one customer's own accounts paying with its own card
        restricted = {a: why for a in accounts if (why := facts.accounts[a].restricted_reason)}
        yield Finding(
            "PAYMENT-LINK",
            f"pm:{fingerprint}",
            0.9 if restricted else 0.6,
            f"payment method {fingerprint} pays for {len(accounts)} accounts of "
            f"{len(set(customers.values()))} different customers",
            {
                "fingerprint": fingerprint,
                "accounts": [
                    {"account_id": a, "customer": facts.accounts[a].record.customer.name}
                    for a in accounts
                ],
                "restricted": restricted,
            },
            accounts,
            severity="high" if restricted else None,
        )


@rule("LINKED-RESTRICTED")
def linked_restricted(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    also = set(r.params.get("also_kinds", ()))
    for link in facts.links:
        if not link.strong and link.kind not in also:
            continue
        for near, far in ((link.a, link.b), (link.b, link.a)):
            if near not in facts.accounts or far not in facts.accounts:
                continue
            why = facts.accounts[far].restricted_reason
            if why and not facts.accounts[near].restricted_reason:
                found[near].append(
                    {
                        "restricted": far,
                        "why": why,
                        "link": link.kind,
                        "shared": dict(link.evidence),
                    }
                )
    for account_id, via in sorted(found.items()):
        first = via[0]
        yield Finding(
            "LINKED-RESTRICTED",
            account_id,
            min(1.0, 0.7 + 0.1 * len(via)),
            f"shares {first['link']} with {first['restricted']}, where {first['why']}",
            {"links": via},
            sorted({account_id, *(v["restricted"] for v in via)}),
        )


def _foreign(acc: AccountFacts) -> bool:
    """A foreign person's account: a customer outside the US, or a reseller's account with a
    declared end user outside it (whose training it is)."""
    countries = {acc.record.customer.country, *(u.country for u in acc.record.reseller.end_users)}
    return bool(countries - {"US"})


@rule("TRAINING-RUN", "min_flop_central", "report_days")
def training_run(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    limit = float(r.params["min_flop_central"])
    for acc in facts.accounts.values():
        runs = [
            x
            for x in acc.runs
            if _may_train(x.classification.label) and (x.run.flop_central or 0) >= limit
        ]
        if not runs or not _foreign(acc):
            continue
        sure = any(x.classification.label == "training" for x in runs)
        biggest = max(runs, key=lambda x: x.run.flop_central or 0)
        flop = biggest.run.flop_central or 0.0
        days = int(r.params["report_days"])
        # the clock starts with the transaction: the first reportable run's start, at the latest
        first = min(epoch_seconds(x.run.start_ts or 0.0) for x in runs)
        due = (dt.datetime.fromtimestamp(first, dt.UTC) + dt.timedelta(days=days)).date()
        yield Finding(
            "TRAINING-RUN",
            acc.account_id,
            min(1.0, 0.6 + 0.1 * len(runs) + flop / (limit * 100)),
            f"a {acc.record.customer.country} customer's "
            f"{'training' if sure else 'possible training (label undetermined)'} run of "
            f"{flop:.3g} FLOP (central) on {biggest.run.chips:g} chips; "
            f"report due {due.isoformat()}",
            {
                "customer": acc.record.customer.name,
                "country": acc.record.customer.country,
                "report_days": days,
                "report_due": due.isoformat(),
                "runs": [_run_evidence(x) for x in runs],
            },
            [acc.account_id],
            severity=None if sure else "medium",
        )


def _may_train(label: str) -> bool:
    """A run labelled training, or undetermined: billing-only telemetry (no utilisation, no
    interconnect traffic) leaves a large run undetermined, and a rule that waited for the
    label would go silent on it; such findings carry a lower severity and say why."""
    return label in ("training", "undetermined")


def _run_evidence(report: Any) -> dict[str, Any]:
    run = report.run
    return {
        "run_id": run.run_id,
        "start": _iso(run.start_ts),
        "end": _iso(run.end_ts),
        "hours": run.hours,
        "chips": run.chips,
        "accelerators": list(run.accelerator_ids),
        "flop_upper": run.flop_upper,
        "flop_central": run.flop_central,
        "label": report.classification.label,
        "reasons": list(report.classification.reasons),
    }


def _iso(ts: Any) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(epoch_seconds(ts), dt.UTC).isoformat(timespec="seconds")


def _crossed(flop: float, compute: Pack, r: Rule) -> list[dict[str, Any]]:
    """The thresholds of the rule's list that `flop` crosses, largest first."""
    wanted = set(r.params["thresholds"])
    return [
        dict(s)
        for s in threshold_status(flop, compute, include_all=True)
        if s["crossed"] and s["threshold"] in wanted
    ]


def _counted(facts: Facts, total: Any, accounts: list[AccountFacts]) -> tuple[float, float]:
    """(the rolling-window FLOP (central) counted toward thresholds, the share left out).

    Thresholds are about training, so compute in runs classified inference is left out: the
    count is the most the accounts' other runs put in one window (each run counted at its
    start), never more than the ledger's window. Accounts without stitched runs count whole."""
    window = float(total.window_flop_central)
    runs = sorted(
        (epoch_seconds(x.run.start_ts or 0.0), x.run.flop_central or 0.0)
        for a in accounts
        for x in a.runs
        if x.classification.label != "inference"
    )
    if not any(a.runs for a in accounts) or window <= 0:
        return window, 0.0
    span = _window_seconds(facts.on)
    best = held = 0.0
    first = 0
    for start, flop in runs:
        held += flop
        while runs[first][0] <= start - span:
            held -= runs[first][1]
            first += 1
        best = max(best, held)
    counted = min(window, best)
    return counted, 1.0 - counted / window


@lru_cache(maxsize=8)
def _window_seconds(on: dt.date) -> float:
    return float(select("compute-accounting", on=on).data["window_days"]) * 86_400


def _scopes(facts: Facts) -> Iterator[tuple[str, str, Any, list[AccountFacts]]]:
    """(scope, id, ledger total, accounts) for every account and every group with a total."""
    for a in facts.accounts.values():
        if a.total is not None:
            yield "account", a.account_id, a.total, [a]
    for gid, t in sorted(facts.group_totals.items()):
        members = [facts.accounts[m] for m in facts.groups.get(gid, []) if m in facts.accounts]
        yield "group", gid, t, members


@rule("THRESHOLD", "thresholds")
def threshold(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    """An account over a threshold on its own compute. A group's crossing is STRUCTURING when
    no member crosses alone, and is shown on the member's alert (`group`) when one does: one
    alert per account that did it, not a second one for the group it belongs to."""
    compute = select("compute-accounting", on=facts.on)
    group_of = {m: gid for gid, members in facts.groups.items() for m in members}
    for scope, ident, total, accounts in _scopes(facts):
        if scope != "account":
            continue
        counted, share = _counted(facts, total, accounts)
        crossed = _crossed(counted, compute, r)
        if not crossed:
            continue
        top = crossed[0]
        evidence = {
            "scope": scope,
            "window_flop_central": float(total.window_flop_central),
            "window_flop_upper": float(total.window_flop_upper),
            "inference_share": round(share, 4),
            "counted_flop_central": counted,
            "crossed": crossed,
        }
        gid = group_of.get(ident)
        if gid is not None and gid in facts.group_totals:
            grouped = [facts.accounts[m] for m in facts.groups[gid] if m in facts.accounts]
            evidence["group"] = {
                "group_id": gid,
                "accounts": sorted(facts.groups[gid]),
                "counted_flop_central": _counted(facts, facts.group_totals[gid], grouped)[0],
            }
        yield Finding(
            "THRESHOLD",
            ident,
            min(1.0, 0.5 + 0.1 * len(crossed)),
            f"account {ident}: {counted:.3g} FLOP of training compute (central) in the "
            f"rolling window crosses {top['threshold']} ({top['flop']:.0e})",
            evidence,
            [ident],
            group_id=gid,
        )
    for gid, _total, accounts, found in _group_crossings(facts, r):
        if not _one_customer(facts, accounts):
            continue  # STRUCTURING
        top, together = found["threshold"], sorted(found["members"])
        name = accounts[0].record.customer.name
        yield Finding(
            "THRESHOLD",
            gid,
            0.6,
            f"customer {name}: its {len(together)} accounts together hold "
            f"{found['counted_flop_central']:.3g} FLOP of training compute (central), "
            f"over {top['threshold']} ({top['flop']:.0e})",
            found | {"scope": "customer"},
            together,
            group_id=gid,
        )


def _group_crossings(
    facts: Facts, r: Rule
) -> Iterator[tuple[str, Any, list[AccountFacts], dict[str, Any]]]:
    """(group id, total, accounts, evidence) for each group whose counted compute crosses a
    threshold of the rule that none of its accounts crosses alone."""
    compute = select("compute-accounting", on=facts.on)
    for scope, gid, total, accounts in _scopes(facts):
        if scope != "group" or len(accounts) < 2:
            continue
        counted, share = _counted(facts, total, accounts)
        crossed = {c["threshold"]: c for c in _crossed(counted, compute, r)}
        own = {a.account_id: _counted(facts, a.total, [a])[0] if a.total else 0.0 for a in accounts}
        for flop in own.values():
            for c in _crossed(flop, compute, r):
                crossed.pop(c["threshold"], None)
        if not crossed:
            continue
        evidence = {
            "threshold": max(crossed.values(), key=lambda c: c["flop"]),
            "group_window_flop_central": float(total.window_flop_central),
            "inference_share": round(share, 4),
            "counted_flop_central": counted,
            "members": own,
            "links": [
                {"kind": link.kind, "a": link.a, "b": link.b, "shared": dict(link.evidence)}
                for link in facts.links
                if link.strong and link.a in own and link.b in own
            ],
        }
        yield gid, total, accounts, evidence


def _one_customer(facts: Facts, accounts: list[AccountFacts]) -> bool:
    return len(set(_customers(facts, [a.account_id for a in accounts]).values())) == 1


@rule("STRUCTURING", "thresholds")
def structuring(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    """Linked accounts of different customers that together cross a threshold none crosses
    alone. One customer's own accounts (sub-accounts, one registration id, one company under
    two spellings) crossing together are its THRESHOLD, not structuring."""
    for gid, _total, accounts, evidence in _group_crossings(facts, r):
        if _one_customer(facts, accounts):
            continue
        top, members = evidence["threshold"], sorted(evidence["members"])
        yield Finding(
            "STRUCTURING",
            gid,
            0.9,
            f"{len(members)} linked accounts together cross {top['threshold']} "
            f"({evidence['counted_flop_central']:.3g} FLOP of training compute, central); "
            "none does alone",
            evidence,
            members,
            group_id=gid,
        )


# links that make a sub-account its parent's own: one registration id, one company under two
# spellings, one company email domain (a university lab, a subsidiary's team)
OWN_SUB_ACCOUNT = frozenset({"registration_id", "fuzzy_identity", "email_domain"})


def _own_sub_accounts(facts: Facts, parent: AccountFacts, subs: list[str]) -> list[str]:
    joined = {
        link.other(parent.account_id)
        for link in facts.links
        if link.kind in OWN_SUB_ACCOUNT and parent.account_id in (link.a, link.b)
    }
    name = parent.record.customer.name.casefold()
    return [
        s
        for s in subs
        if s in joined
        or (s in facts.accounts and facts.accounts[s].record.customer.name.casefold() == name)
    ]


@rule("RESELLER-OPAQUE")
def reseller_opaque(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    """A reseller that hides who its clients are: no end users declared, sub-accounts in its
    own name, clients it did not declare, end users in a restricted country; or an account
    that serves other customers' sub-accounts without declaring itself a reseller."""
    children: dict[str, list[str]] = defaultdict(list)
    for acc in facts.accounts.values():
        if acc.record.parent_account_id:
            children[acc.record.parent_account_id].append(acc.account_id)
    for acc in facts.accounts.values():
        reseller = acc.record.reseller
        subs = sorted(children.get(acc.account_id, []))
        if not reseller.is_reseller and not subs:
            continue
        restricted: list[dict[str, Any]] = [
            {"name": u.name, "country": u.country, "groups": groups}
            for u in reseller.end_users
            if (groups := _restricted(facts, u.country))
        ]
        # a company's own sub-accounts (its teams, its environments) are ordinary; a reseller's
        # sub-account in its own name hides the client behind it, and an account that is not
        # a declared reseller but holds sub-accounts of other customers resells undeclared
        own = _own_sub_accounts(facts, acc, subs)
        others = [s for s in subs if s not in own]
        declared = {party_key(u.name, u.country) for u in reseller.end_users}
        undeclared = [
            s
            for s in others
            if s in facts.accounts
            and party_key(
                facts.accounts[s].record.customer.name, facts.accounts[s].record.customer.country
            )
            not in declared
        ]
        problems = []
        if not reseller.is_reseller:
            if others:
                problems.append(
                    f"serves {len(others)} sub-account(s) of other customers without "
                    "declaring itself a reseller"
                )
        elif not reseller.end_users:
            problems.append(
                f"declares no end users while serving {len(subs)} sub-account(s)"
                if subs
                else "declares no end users"
            )
        elif undeclared:
            problems.append(
                f"serves {len(undeclared)} sub-account(s) of clients it does not declare"
            )
        unnamed = own if reseller.is_reseller else []
        if restricted:
            problems.append(
                f"declares {len(restricted)} end user(s) in "
                f"{', '.join(sorted({u['country'] for u in restricted}))}"
            )
        if unnamed:
            problems.append(f"holds {len(unnamed)} sub-account(s) in its own name, clients unnamed")
        if not problems:
            continue
        yield Finding(
            "RESELLER-OPAQUE",
            acc.account_id,
            0.9 if restricted else 0.7,
            f"{'reseller' if reseller.is_reseller else 'account'} {acc.record.customer.name} "
            + "; ".join(problems),
            {
                "problems": problems,
                "sub_accounts": subs,
                "sub_accounts_in_own_name": unnamed,
                "sub_accounts_of_others": others if not reseller.is_reseller else [],
                "sub_accounts_of_undeclared_clients": undeclared if reseller.is_reseller else [],
                "restricted_end_users": restricted,
                "declared_end_users": len(reseller.end_users),
            },
            [acc.account_id, *subs],
        )
    yield from _unrecorded(facts)


def _unrecorded(facts: Facts) -> Iterator[Finding]:
    """Compute served to an account with no CIP record at all: a sub-account opened outside
    onboarding, or a reseller's client the provider never identified."""
    for account_id, total in sorted(facts.unrecorded.items()):
        flop = float(total.flop_central)
        yield Finding(
            "RESELLER-OPAQUE",
            account_id,
            0.8,
            f"account {account_id} used {flop:.3g} FLOP (central) and has no CIP record",
            {
                "problems": ["usage without a CIP record"],
                "flop_central": flop,
                "window_flop_central": float(total.window_flop_central),
                "intervals": total.intervals,
            },
            [account_id],
        )


def _d5_ties(acc: AccountFacts, facts: Facts, r: Rule) -> list[dict[str, Any]]:
    wanted = set(r.params["groups"])
    c = acc.record.customer
    ties: list[dict[str, Any]] = []
    if wanted.intersection(facts.country_groups(c.country)):
        ties.append({"role": "customer", "name": c.name, "country": c.country})
    # owners are added up: three 15% holders in China own 45% from D:5 together
    owners = [
        o for o in acc.record.beneficial_owners if wanted & set(facts.country_groups(o.country))
    ]
    together = sum(o.ownership_pct or 0.0 for o in owners)
    if any(o.control for o in owners) or together >= float(r.params["min_ownership_pct"]):
        ties += [
            {
                "role": "beneficial_owner",
                "name": o.name,
                "country": o.country,
                "ownership_pct": o.ownership_pct,
                "control": o.control,
                "owned_from_the_groups_together_pct": together,
            }
            for o in owners
        ]
    for u in acc.record.reseller.end_users:
        if wanted.intersection(facts.country_groups(u.country)):
            ties.append({"role": "end_user", "name": u.name, "country": u.country})
    return ties


@rule("D5-CONTROLLED-COMPUTE", "groups", "min_ownership_pct", "undetermined_min_flop_central")
def d5_controlled_compute(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    for acc in facts.accounts.values():
        ties = _d5_ties(acc, facts, r)
        if not ties:
            continue
        controlled = []
        least = float(r.params["undetermined_min_flop_central"])
        for report in acc.runs:
            label = report.classification.label
            if not _may_train(label):
                continue
            if label == "undetermined" and (report.run.flop_central or 0.0) < least:
                continue  # a notebook or a short job: too small to call training unlabelled
            eccns = {a: facts.eccn(a) for a in report.run.accelerator_ids}
            if any(e.startswith(("3A090", "4A090")) for e in eccns.values()):
                controlled.append({**_run_evidence(report), "eccn": eccns})
        if not controlled:
            continue
        sure = any(x["label"] == "training" for x in controlled)
        yield Finding(
            "D5-CONTROLLED-COMPUTE",
            acc.account_id,
            0.95,
            f"{ties[0]['role']} '{ties[0]['name']}' in {ties[0]['country']}; "
            f"{len(controlled)} training run(s) on 3A090/4A090 hardware"
            + ("" if sure else " (label undetermined)"),
            {"ties": ties, "runs": controlled},
            [acc.account_id],
            severity=None if sure else "high",
        )


@rule("TENDER-MENTION", "flags", "min_score")
def tender_mention(facts: Facts, r: Rule, pack: Pack) -> Iterator[Finding]:
    wanted = set(r.params["flags"])
    notices = [n for n in facts.notices if wanted.intersection(f["flag"] for f in n["flags"])]
    if not notices:
        return
    # the customers (and resellers' end users) as a list to screen notice parties against
    parties = []
    for acc in facts.accounts.values():
        c = acc.record.customer
        names = [n for n in (c.name, c.name_local) if n]
        parties.append(
            Party(
                id=acc.account_id,
                source="customers",
                list_name="customers",
                name=names[0],
                aliases=names[1:],
                countries=[c.country],
            )
        )
        for i, u in enumerate(acc.record.reseller.end_users):
            parties.append(
                Party(
                    id=f"{acc.account_id}#end_user{i}",
                    source="customers",
                    list_name="end users",
                    name=u.name,
                    countries=[u.country],
                )
            )
    screener = Screener(parties, float(r.params["min_score"]))
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for notice in notices:
        named = [("buyer", notice.get("buyer") or {}), ("agency", notice.get("agency") or {})]
        named += [("supplier", s) for s in notice.get("suppliers") or []]
        for role, who in named:
            name = (who or {}).get("name")
            if not name:
                continue
            for hit in screener.screen(Query(name)):
                account = hit.party.id.split("#", 1)[0]
                mentions[account].append(
                    {
                        "notice": notice.get("source_file"),
                        "project": notice.get("project_name"),
                        "role": role,
                        "name": name,
                        "matched": hit.party.name,
                        "as": "end user" if "#" in hit.party.id else "customer",
                        "score": round(hit.score, 3),
                        "flags": [f["flag"] for f in notice["flags"]],
                        "amount_cny": notice.get("award_total_cny") or notice.get("budget_cny"),
                    }
                )
    for account, found in sorted(mentions.items()):
        best = max(found, key=lambda m: m["score"])
        yield Finding(
            "TENDER-MENTION",
            account,
            best["score"],
            f"{best['as']} '{best['matched']}' is the {best['role']} of a notice buying "
            f"{', '.join(best['flags'])} ({_file_name(best['notice'])})",
            {"mentions": found},
            [account],
        )


def _file_name(path: str | None) -> str:
    """The notice's file name without the directories it was read from: a summary is shown
    to reviewers and exported, and the server's paths are not theirs to see (the evidence
    keeps the whole source_file)."""
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1]


def _may_use_controlled(acc: AccountFacts, facts: Facts) -> bool:
    """Whether the account used 3A090/4A090 hardware, or its hardware is not known."""
    return not acc.accelerators or any(
        facts.eccn(a).startswith(("3A090", "4A090")) for a in acc.accelerators
    )


def accounts_needing_runs(facts: Facts, rules: list[Rule]) -> set[str]:
    """The accounts whose training runs a rule could use, so that runs are stitched for them
    alone: a foreign account whose compute could hold a reportable run, an account tied to
    the groups of D5-CONTROLLED-COMPUTE that used any compute, and every account of a scope
    whose compute crosses a threshold of THRESHOLD or STRUCTURING (whose serving share is
    then left out)."""
    out: set[str] = set()
    compute = select("compute-accounting", on=facts.on)
    for r in rules:
        if r.id in ("THRESHOLD", "STRUCTURING"):
            for _scope, _id, total, accounts in _scopes(facts):
                if _crossed(float(total.window_flop_central), compute, r):
                    out.update(a.account_id for a in accounts)
            continue
        for acc in facts.accounts.values():
            used = float(acc.total.flop_central) if acc.total else 0.0
            if r.id == "TRAINING-RUN" and used >= float(r.params["min_flop_central"]):
                if _foreign(acc):
                    out.add(acc.account_id)
            elif (
                r.id == "D5-CONTROLLED-COMPUTE"
                and used > 0
                and _may_use_controlled(acc, facts)
                and _d5_ties(acc, facts, r)
            ):
                out.add(acc.account_id)
    return out
