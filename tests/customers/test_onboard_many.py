"""`onboard_many` (behind `cloudkyc run`) must store what `onboard` (the API) stores on each
record in turn: reviewers, alerts and the audit chain cannot tell which path onboarded a
customer. Each test runs the batch in one fresh store and the reference in another, and
compares what a person can read back: customer views, the rows behind them, alerts and the
audit log in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from cloudkyc.customers import onboarding
from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import AccessEvent
from cloudkyc.customers.onboarding import onboard, onboard_many
from cloudkyc.customers.record import CipRecord
from cloudkyc.lists import sample_list_path
from cloudkyc.lists.formats import read_list
from cloudkyc.screening import Screener
from cloudkyc.store import customers as repo
from cloudkyc.store.alerts import list_alerts
from cloudkyc.store.audit import verify
from cloudkyc.store.cip_models import (
    AccountRow,
    AuditRow,
    BeneficialOwnerRow,
    CustomerRow,
    DecisionRow,
    EndUserRow,
    PaymentMethodRow,
    ResellerRelationRow,
    ScreeningResultRow,
)
from cloudkyc.store.db import dispose_engines, session_scope

from .factory import CN_USCC, IP, SG_UEN

ON = dt.date(2024, 10, 1)  # the fictional special measures are in force: packs are fixed
ACTOR = "test:batch"
GEO = GeoLocator()


# ---- records -------------------------------------------------------------------------------


def owner(name: str, country: str, pct: float = 51, control: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "country": country,
        "address": "(fictional) address on file",
        "ownership_pct": pct,
        "control": control,
    }


def user(name: str, country: str) -> dict[str, str]:
    return {"name": name, "country": country}


def org(account_id: str, name: str, country: str, **fields: Any) -> CipRecord:
    """An organisation in `country` paying by card from there. `fields` replace top-level
    fields; `customer` holds customer fields to change (type, name_local, ...)."""
    customer = {
        "type": "organization",
        "name": name,
        "country": country,
        "address": f"(fictional) 1 Example Street, {country}",
        "email": f"ops@{account_id}.example",
        "phone": "+65 6123 4567",
    } | fields.pop("customer", {})
    raw: dict[str, Any] = {
        "account_id": account_id,
        "created_at": "2024-09-02T09:00:00Z",
        "customer": customer,
        "beneficial_owners": [owner(f"Owner of {name}", country)],
        "payment_methods": [{"fingerprint": f"pm_{account_id}", "kind": "card", "country": country}]
        if not fields.get("parent_account_id")
        else [],
        "declared_use": "model training",
    } | fields
    return CipRecord.model_validate(raw)


def person(account_id: str, name: str, country: str, **fields: Any) -> CipRecord:
    customer = {"type": "individual"} | fields.pop("customer", {})
    return org(account_id, name, country, customer=customer, beneficial_owners=[], **fields)


# account ids that hit the bundled sample list, and why
HITS = {
    "acct-05": "local name 哈尔滨工业大学 (Harbin Institute of Technology)",
    "acct-06": "beneficial owner Dawning (Sugon)",
    "acct-07": "reseller client Beijing University of Aeronautics & Astronautics",
    "acct-09": "Tobias Vantrel, an alias of a fictional listed person",
    "acct-20": "Nebula Fathom Cloud Services FZE (fictional)",
    "acct-27": "local name 红水量子贸易有限公司 (fictional Redwater Quantum)",
}

RECORDS = [
    org("acct-01", "Kestrel Analytics Pte. Ltd.", "SG", customer={"registration_id": SG_UEN}),
    org("acct-02", "Nordlicht Robotik GmbH", "DE", beneficial_owners=[owner("Jürgen Koch", "DE")]),
    org("acct-03", "Prairie Lake Bioinformatics LLC", "US", beneficial_owners=[]),
    org("acct-04", "Sakuragawa Vision K.K.", "JP", customer={"name_local": "桜川ビジョン株式会社"}),
    org(
        "acct-05",
        "Harbin Inst. of Tech. Advanced Computing Lab",
        "CN",
        customer={"name_local": "哈尔滨工业大学"},
    ),
    org(
        "acct-06",
        "Lumen Harbor Compute Limited",
        "HK",
        beneficial_owners=[
            owner("Dawning Information Industry Co., Ltd.", "CN", 35),
            owner("Chan Siu Ming", "HK", 65),
        ],
    ),
    org(
        "acct-07",
        "Meridian Bridge Cloud Services Sdn. Bhd.",
        "MY",
        reseller={
            "is_reseller": True,
            "end_users": [
                user("Tamarind Data Labs Sdn Bhd", "MY"),
                user("Beijing University of Aeronautics & Astronautics", "CN"),
            ],
        },
        declared_use="reselling GPU hours",
    ),
    org("acct-08", "Tamarind Data Labs Sdn Bhd", "MY", parent_account_id="acct-07"),
    person("acct-09", "Tobias Vantrel", "AE"),
    person("acct-10", "Emily Carter", "US"),
    person("acct-11", "Wang Fang", "CN", customer={"name_local": "王芳"}),
    org(
        "acct-12",
        "Harbourline Holdings Ltd",
        "HK",
        beneficial_owners=[owner("Example Fictional Compute Broker Ltd", "HK", control=True)],
    ),
    org(
        "acct-13",
        "Lion City Insights Pte Ltd",
        "SG",
        beneficial_owners=[owner("Example Fictional Analytics LLC", "US", 30)],
    ),
    org("acct-14", "Volga Neural Systems OOO", "RU"),
    org("acct-15", "Persepolis Data Co.", "IR"),
    org("acct-16", "Lotus Gate Computing Ltd", "MO"),
    person("acct-17", "Olivia Nguyen", "AU", declared_use=None),
    org("acct-18", "Thames Vector Ltd", "GB"),
    org("acct-19", "Deccan Compute Pvt Ltd", "IN"),
    org("acct-20", "Nebula Fathom Cloud Services FZE", "AE"),
    org("acct-21", "Shenzhen University", "CN", customer={"name_local": "深圳大学"}),
    org(
        "acct-22",
        "Straits Cloud Resale Pte Ltd",
        "SG",
        reseller={
            "is_reseller": True,
            "end_users": [user("Saigon Vision JSC", "VN"), user("Chao Phraya Labs", "TH")],
        },
    ),
    org("acct-23", "Kestrel Analytics Research", "SG", parent_account_id="acct-01"),
    org("acct-24", "Hangang Robotics Co., Ltd.", "KR"),
    person("acct-25", "João Silva", "BR"),
    org("acct-26", "Maple Tensor Inc.", "CA", reseller={"is_reseller": True, "end_users": []}),
    org(
        "acct-27",
        "Red Water Trading Ltd",
        "HK",
        customer={"name_local": "红水量子贸易有限公司"},
    ),
    org("acct-28", "Lumière Calcul SAS", "FR"),
    org("acct-29", "Polder Compute B.V.", "NL"),
    org("acct-30", "Beijing Example Compute Co.", "CN", customer={"registration_id": CN_USCC}),
]


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2024, 9, day, hour, tzinfo=dt.UTC)


# Access so far, stored before onboarding as the pipeline does: admin logins from China and
# Macau, programmatic use from the US and Australia, and a private address.
EVENTS = [
    AccessEvent("acct-01", at(3), IP["CN"], "console"),
    AccessEvent("acct-01", at(4), IP["US"], "api"),
    AccessEvent("acct-03", at(5), IP["US"], "api"),
    AccessEvent("acct-07", at(6), IP["CN"], "ssh"),
    AccessEvent("acct-10", at(7), IP["CN"], "api"),
    AccessEvent("acct-16", at(8), IP["MO"], "console"),
    AccessEvent("acct-17", at(9), IP["AU"], "ssh"),
    AccessEvent("acct-22", at(10), IP["private"], "api"),
    AccessEvent("acct-23", at(11), IP["CN"], "console"),
]


def changed(rec: CipRecord, **fields: Any) -> CipRecord:
    """`rec` resubmitted with top-level fields replaced (validated again)."""
    return CipRecord.model_validate(rec.model_dump(mode="json") | fields)


# ---- stores --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(read_list(sample_list_path()).parties, 0.80)


@pytest.fixture
def stores(db_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two fresh stores on the backend of `db_url` (SQLite; PostgreSQL when
    CLOUDKYC_TEST_POSTGRES is set): the batch's and the reference's."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        yield db_url, f"sqlite:///{tmp_path / 'reference.db'}"
        return
    other = f"{url.database}_ref"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{other}"'))
        yield db_url, url.set(database=other).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{other}"'))
        admin.dispose()


def with_access(url: str) -> None:
    with session_scope(url) as s:
        repo.record_access(s, EVENTS, lambda ip: GEO.lookup(ip).country)


def onboard_each(
    url: str, records: Sequence[CipRecord], screener: Screener
) -> list[repo.Assessment]:
    """The reference: `onboard` on each record in turn, one transaction each, as the API."""
    out = []
    for rec in records:
        with session_scope(url) as s:
            out.append(onboard(s, rec, screener, ACTOR, geo=GEO, on=ON))
    return out


def onboard_batch(
    url: str | None,
    records: Sequence[CipRecord],
    screener: Screener,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[repo.Assessment]:
    with session_scope(url) as s:
        return onboard_many(
            s, records, screener, ACTOR, geo=GEO, on=ON, workers=workers, progress=progress
        )


# ---- what a person can read back -----------------------------------------------------------

NOW_STAMPED = {"updated_at", "at"}  # when the row was written: differs between any two runs
CHILD_TABLES = (
    AccountRow,
    BeneficialOwnerRow,
    PaymentMethodRow,
    EndUserRow,
    ResellerRelationRow,
    ScreeningResultRow,
)


def view(s: Any, cid: str) -> dict[str, Any]:
    """customer_view without write times; hits sorted, as equal scores come in no set order."""
    v = {k: x for k, x in repo.customer_view(s, cid).items() if k not in NOW_STAMPED}
    v["decisions"] = [{k: x for k, x in d.items() if k != "at"} for d in v["decisions"]]
    v["screening"] = sorted(v["screening"], key=lambda h: (-h["score"], repr(h)))
    return v


def rows(s: Any, model: Any) -> list[tuple[Any, ...]]:
    """Every row of the table but its surrogate key and write times, sorted: what `view` does
    not show (payment methods, end users, relations, ...) must match too."""
    columns = [
        c
        for c in model.__table__.columns
        if c.name not in ("created_at", *NOW_STAMPED)
        and not (c.primary_key and c.autoincrement is True)
    ]
    return sorted((tuple(r) for r in s.execute(select(*columns))), key=repr)


def snapshot(url: str) -> dict[str, Any]:
    with session_scope(url) as s:
        ids = s.execute(select(CustomerRow.id).order_by(CustomerRow.id)).scalars().all()
        alerts = list_alerts(s, status=None, limit=1000)
        name = {a.id: f"{a.rule}:{a.subject}" for a in alerts}  # alert ids are random
        audit = [
            (a.seq, a.actor, a.action, a.entity, name.get(a.entity_id, a.entity_id), a.payload)
            for a in s.execute(select(AuditRow).order_by(AuditRow.seq)).scalars()
        ]
        chain = verify(s)
        return {
            "views": {cid: view(s, cid) for cid in ids},
            "tables": {m.__tablename__: rows(s, m) for m in CHILD_TABLES},
            "alerts": sorted(
                (a.rule, a.subject, a.status, a.severity, a.score, a.summary, a.evidence)
                + (a.account_ids,)
                for a in alerts
            ),
            "audit": audit,
            "chain_ok": (chain.ok, chain.problem, chain.rows),
        }


def assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Part by part, so a failure names what differs."""
    assert got["views"].keys() == want["views"].keys()
    for cid, v in want["views"].items():
        assert got["views"][cid] == v, cid
    assert got["tables"] == want["tables"]
    assert got["alerts"] == want["alerts"]
    assert got["audit"] == want["audit"]
    assert got["chain_ok"] == want["chain_ok"] == (True, None, len(want["audit"]))


def count(url: str | None, model: Any) -> int:
    with session_scope(url) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


# ---- tests ---------------------------------------------------------------------------------


def test_the_records_cover_what_onboarding_decides(
    stores: tuple[str, str], screener: Screener
) -> None:
    """A guard on the fixture: the comparison below only means something if the batch has
    hits, alerts, every outcome and access evidence in it."""
    _, reference = stores
    with_access(reference)
    onboard_each(reference, RECORDS, screener)
    got = snapshot(reference)
    hit = {cid for cid, v in got["views"].items() if v["screening"]}
    assert hit == set(HITS)
    assert {subject for _rule, subject, *_ in got["alerts"]} == set(HITS)
    assert {v["status"] for v in got["views"].values()} == {"approve", "review", "deny"}
    measures = got["views"]["acct-12"]["decisions"][0]["measures"]
    assert measures[0]["id"] == "FICTIONAL-EXAMPLE-PROHIBIT-2024"
    assert got["views"]["acct-01"]["access"]
    assert ("acct-01", "acct-23") in got["tables"]["reseller_relations"]


@pytest.mark.parametrize("write_every", [onboarding.WRITE_EVERY, 4], ids=["once", "every-4"])
def test_a_batch_stores_what_onboarding_each_record_in_turn_stores(
    stores: tuple[str, str],
    screener: Screener,
    monkeypatch: pytest.MonkeyPatch,
    write_every: int,
) -> None:
    """Also with the new customers written every few records, between alerts."""
    monkeypatch.setattr(onboarding, "WRITE_EVERY", write_every)
    batch, reference = stores
    for url in stores:
        with_access(url)
    want = onboard_each(reference, RECORDS, screener)
    assert onboard_batch(batch, RECORDS, screener) == want
    assert_same(snapshot(batch), snapshot(reference))


def test_forked_workers_store_what_one_process_stores(
    stores: tuple[str, str], screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small PARALLEL_MIN and CHUNK send this batch through the forked workers, several
    chunks each; the result must not depend on it."""
    forked, single = stores
    for url in stores:
        with_access(url)
    onboard_batch(single, RECORDS, screener, workers=1)
    monkeypatch.setattr(onboarding, "PARALLEL_MIN", 4)
    monkeypatch.setattr(onboarding, "CHUNK", 3)
    onboard_batch(forked, RECORDS, screener, workers=2)
    assert_same(snapshot(forked), snapshot(single))


def test_stored_and_repeated_accounts_are_replaced_as_onboard_replaces_them(
    stores: tuple[str, str], screener: Screener
) -> None:
    """acct-02 is stored already and comes back twice, the second time with a listed owner;
    acct-05 is stored and comes back unchanged; acct-03 comes twice in the batch, the second
    time a reseller of a listed client; acct-20 comes twice, the second time under a name that
    no longer hits. Each account keeps one customer, one decision per submission with the
    newest reflecting the newest record, and its audit rows say 'update' where onboard's do."""
    batch, reference = stores
    acct02, acct03, acct05, acct20 = RECORDS[1], RECORDS[2], RECORDS[4], RECORDS[19]
    stored = [acct02, acct05]
    listed_owner = changed(acct02, beneficial_owners=[owner("Dawning Information Industry", "CN")])
    reseller = changed(
        acct03, reseller={"is_reseller": True, "end_users": [user("Sichuan University", "CN")]}
    )
    renamed = changed(
        acct20,
        customer=acct20.customer.model_dump(mode="json") | {"name": "Dune Harbor FZE"},
        beneficial_owners=[owner("Rashid Al Marri", "AE")],
    )
    records = [*RECORDS[:5], listed_owner, reseller, acct05, acct20, *RECORDS[5:10], renamed]
    for url in stores:
        with_access(url)
        onboard_each(url, stored, screener)
    onboard_each(reference, records, screener)
    onboard_batch(batch, records, screener)
    got = snapshot(batch)
    assert_same(got, snapshot(reference))

    views = got["views"]
    assert count(batch, CustomerRow) == len({r.account_id for r in records})
    assert count(batch, DecisionRow) == len(stored) + len(records)
    decisions = {cid: len(views[cid]["decisions"]) for cid in ("acct-02", "acct-03", "acct-05")}
    assert decisions == {"acct-02": 3, "acct-03": 2, "acct-05": 3}
    assert views["acct-02"]["record"]["beneficial_owners"][0]["name"].startswith("Dawning")
    assert views["acct-02"]["decisions"][0]["outcome"] == views["acct-02"]["status"] != "approve"
    assert [h["party_id"] for h in views["acct-02"]["screening"]] == ["sample:sugon"]
    assert [h["party_id"] for h in views["acct-03"]["screening"]] == ["sample:scu"]
    assert {h["status"] for h in views["acct-20"]["screening"]} == {"gone"}
    assert views["acct-20"]["record"]["customer"]["name"] == "Dune Harbor FZE"
    assert [r[0] for r in got["tables"]["beneficial_owners"]].count("acct-02") == 1
    actions = [(action, cid) for _seq, _actor, action, _entity, cid, _payload in got["audit"]]
    assert [actions.count(("onboard", "acct-02")), actions.count(("update", "acct-02"))] == [1, 2]
    assert [actions.count(("onboard", "acct-03")), actions.count(("update", "acct-03"))] == [1, 1]


def test_an_empty_batch_stores_nothing(isolated: Path, screener: Screener) -> None:
    told: list[int] = []
    assert onboard_batch(None, [], screener, progress=told.append) == []
    assert told == [] and count(None, AuditRow) == 0 and count(None, CustomerRow) == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_told_every_record_assessed(
    isolated: Path,
    screener: Screener,
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
) -> None:
    monkeypatch.setattr(onboarding, "PARALLEL_MIN", 4)
    monkeypatch.setattr(onboarding, "CHUNK", 7)
    told: list[int] = []
    onboard_batch(None, RECORDS, screener, workers=workers, progress=told.append)
    assert told == [7, 7, 7, 7, 2] and sum(told) == len(RECORDS)
