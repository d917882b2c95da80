"""Re-screening as a delta when a list changes: a new entry finds existing customers and opens
an alert; an unchanged list finds nothing new; a removed entry's hit is gone; a reviewer's
clearance holds until the entry changes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.onboarding import onboard
from cloudkyc.customers.record import CipRecord
from cloudkyc.customers.rescreen import rescreen
from cloudkyc.lists.formats import read_list
from cloudkyc.store.alerts import list_alerts
from cloudkyc.store.cip_models import ScreeningResultRow
from cloudkyc.store.db import session_scope
from cloudkyc.store.parties import replace_sources_delta

HEADER = "id,name,aliases,type,country,address,identifiers,program,list\n"
GEO = GeoLocator()


def watchlist(tmp: Path, rows: str) -> Path:
    path = tmp / "watch.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


RECORD = {
    "account_id": "acct-9",
    "created_at": "2026-03-01T00:00:00Z",
    "customer": {
        "type": "organization",
        "name": "Kite Cloud Pte Ltd",
        "country": "SG",
        "address": "3 Road, Singapore",
        "email": "a@kite.example",
        "phone": "+65 6123 4567",
    },
    "beneficial_owners": [
        {"name": "Orion Dual Use Trading", "country": "HK", "address": "Hong Kong", "control": True}
    ],
    "payment_methods": [{"fingerprint": "pm_9", "kind": "card", "country": "SG"}],
}


def load(tmp: Path, rows: str):  # type: ignore[no-untyped-def]
    with session_scope() as s:
        return replace_sources_delta(s, [read_list(watchlist(tmp, rows))])


def statuses() -> list[str]:
    with session_scope() as s:
        return sorted(s.execute(select(ScreeningResultRow.status)).scalars())


def test_a_list_change_finds_existing_customers(isolated: Path, tmp_path: Path) -> None:
    load(tmp_path, "a1,Unrelated Works,,organization,CN,,,EL,watch\n")
    with session_scope() as s:
        onboard(s, CipRecord.model_validate(RECORD), None, "test", geo=GEO)
    delta = load(
        tmp_path,
        "a1,Unrelated Works,,organization,CN,,,EL,watch\n"
        "a2,Orion Dual Use Trading Ltd,,organization,HK,,,EL,watch\n",
    )
    assert delta.added == {"watch:a2"} and not delta.changed and not delta.removed
    with session_scope() as s:
        report = rescreen(s, delta, "test", 0.8)
        alerts = list_alerts(s)
    assert (report.customers, report.entries, report.new_hits, report.alerts) == (1, 1, 1, 1)
    assert alerts[0].subject == "acct-9" and "watch:a2" in alerts[0].summary
    assert statuses() == ["open"]

    same = load(
        tmp_path,
        "a1,Unrelated Works,,organization,CN,,,EL,watch\n"
        "a2,Orion Dual Use Trading Ltd,,organization,HK,,,EL,watch\n",
    )
    assert not same
    with session_scope() as s:
        assert rescreen(s, same, "test", 0.8).new_hits == 0
        s.execute(select(ScreeningResultRow)).scalar_one().status = "cleared"

    moved = load(
        tmp_path,
        "a1,Unrelated Works,,organization,CN,,,EL,watch\n"
        "a2,Orion Dual Use Trading Ltd,,organization,HK,Kowloon,,EL,watch\n",
    )
    assert moved.changed == {"watch:a2"}
    with session_scope() as s:
        assert rescreen(s, moved, "test", 0.8).new_hits == 1  # the entry changed: ask again
    assert statuses() == ["cleared", "open"]

    gone = load(tmp_path, "a1,Unrelated Works,,organization,CN,,,EL,watch\n")
    assert gone.removed == {"watch:a2"}
    with session_scope() as s:
        assert rescreen(s, gone, "test", 0.8).new_hits == 0
    assert statuses() == ["cleared", "gone"]


def test_a_measure_coming_into_force_gives_a_new_decision_citing_it(isolated: Path) -> None:
    import datetime as dt

    from cloudkyc.store.parties import ListDelta

    owned = {
        **RECORD,
        "beneficial_owners": [
            {
                "name": "Example Fictional Compute Broker Ltd",
                "country": "HK",
                "address": "Hong Kong",
                "control": True,
            }
        ],
    }
    with session_scope() as s:
        assessment = onboard(
            s, CipRecord.model_validate(owned), None, "test", geo=GEO, on=dt.date(2024, 7, 1)
        )
    assert assessment.measures == []
    with session_scope() as s:
        report = rescreen(s, ListDelta(), "test", 0.8, on=dt.date(2024, 9, 1))
        alerts = list_alerts(s, rule="SPECIAL-MEASURE")
    assert report.redecided == 1
    assert alerts[0].subject == "acct-9" and "FICTIONAL-EXAMPLE-PROHIBIT-2024" in alerts[0].summary
    with session_scope() as s:
        from cloudkyc.store.customers import customer_view

        latest = customer_view(s, "acct-9")["decisions"][0]
        assert latest["outcome"] == "deny" and latest["kind"] == "automatic"
        assert latest["measures"][0]["id"] == "FICTIONAL-EXAMPLE-PROHIBIT-2024"
        again = rescreen(s, ListDelta(), "test", 0.8, on=dt.date(2024, 9, 2))
        assert again.redecided == 0  # nothing changed since
        lapsed = rescreen(s, ListDelta(), "test", 0.8, on=dt.date(2025, 2, 1))
        assert (
            lapsed.redecided == 1 and customer_view(s, "acct-9")["decisions"][0]["measures"] == []
        )
