"""The latest run's ledger, groups, links and notices copied into the store: the dashboard's
rows; a second run replaces the first run's rows whole (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from cloudkyc.store import dashboard as q
from cloudkyc.store.db import session_scope
from cloudkyc.store.run_models import LedgerDayRow, NoticeRow
from cloudkyc.store.run_results import save_run

U, C, HALF_U, HALF_C = 3 * 10**23, 12 * 10**22, 15 * 10**22, 6 * 10**22
LEDGER = (
    "\n".join(
        [
            "scope,id,accelerator_id,day,intervals,chip_seconds,"
            "flop_upper,flop_central,window_flop_upper,window_flop_central,thresholds",
            f"account,a1,*,*,2,7200.000,{U},{C},{U},{C},early-1e23: crossed",
            f"account,a1,nvidia-h100,*,2,7200.000,{U},{C},,,",
            f"account,a1,*,2026-01-01,1,3600.000,{HALF_U},{HALF_C},{HALF_U},{HALF_C},",
            f"account,a1,*,2026-01-02,1,3600.000,{HALF_U},{HALF_C},{U},{C},",
            "account,a2,*,*,1,60.000,1000,500,1000,500,",
            f"group,g1,*,*,3,7260.000,{U + 1000},{C + 500},{U + 1000},{C + 500},"
            "early-1e23: crossed",
        ]
    )
    + "\n"
)
LINK_EVIDENCE = json.dumps({"value": "pm_1"}).replace('"', '""')


def write_run(out: Path, notices: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "ledger.csv").write_text(LEDGER, "utf-8")
    (out / "groups.csv").write_text("account_id,group_id\na1,g1\na2,g1\n", "utf-8")
    (out / "links.csv").write_text(
        "account_a,account_b,kind,weight,strong,value,group_id,evidence\n"
        f'a1,a2,payment_fingerprint,1.0,true,pm_1,g1,"{LINK_EVIDENCE}"\n',
        "utf-8",
    )
    lines = [
        {"title": f"notice {i}", "buyer": {"name": "深圳大学"}, "flags": [{"flag": "US_CLOUD"}]}
        for i in range(notices)
    ]
    (out / "notices.jsonl").write_text("".join(json.dumps(n) + "\n" for n in lines), "utf-8")
    return out


def test_a_run_is_stored_and_the_next_replaces_it(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        counts = save_run(session, write_run(tmp_path / "one", notices=3))
    assert counts == {
        "ledger_totals": 3,
        "ledger_days": 2,
        "group_members": 2,
        "account_links": 1,
        "notices": 3,
    }
    with session_scope(db_url) as session:
        save_run(session, write_run(tmp_path / "two", notices=1))
    with session_scope(db_url) as session:
        assert session.execute(select(func.count()).select_from(NoticeRow)).scalar() == 1
        assert session.execute(select(func.count()).select_from(LedgerDayRow)).scalar() == 2
        top = q.top_totals(session, "account")
        assert [t.id for t in top] == ["a1", "a2"] and top[0].window_flop_central == 1.2e23
        assert top[0].thresholds == "early-1e23: crossed"
        assert q.members(session, "g1") == ["a1", "a2"] and q.group_of(session, "a2") == "g1"
        (link,) = q.links_of(session, "a2")
        assert link.strong and link.evidence == {"value": "pm_1"}
        days = q.days(session, "account", ["a1"])["a1"]
        assert [(d.day, d.window_flop_central) for d in days] == [
            ("2026-01-01", 6e22),
            ("2026-01-02", 1.2e23),
        ]
        (notice,) = q.notices(session)
        assert notice.buyer == "深圳大学" and notice.flagged


def test_a_run_without_files_empties_the_tables(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        save_run(session, write_run(tmp_path / "one", notices=2))
    empty = tmp_path / "empty"
    empty.mkdir()
    with session_scope(db_url) as session:
        assert set(save_run(session, empty).values()) == {0}
