"""`cloudkyc run` over a small data directory written by hand: every planted case is found
and no ordinary account is; a bad row in any file is reported with its file and line and the
rest processed; a second run gives the same alerts with the same ids and adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.pipeline import ALERT_FIELDS
from cloudkyc.store.audit import verify
from cloudkyc.store.cip_models import AccessEventRow, AlertRow, DecisionRow
from cloudkyc.store.db import session_scope

from .datadir import CUSTOMERS, PLANTED, write


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def alerts(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "alerts.jsonl").read_text("utf-8").splitlines()]


def test_every_planted_case_is_found_and_no_ordinary_account(clean: tuple[Path, Path]) -> None:
    data, out = clean
    result = run("run", "--data", data, "--out", out)
    assert result.exit_code == 0, result.output
    found = alerts(out)
    assert all(list(a) == list(ALERT_FIELDS) for a in found)
    by_rule: dict[str, set[str]] = {}
    for a in found:
        by_rule.setdefault(a["rule"], set()).update(a["account_ids"])
    for rule, accounts in PLANTED.items():
        if rule == "PAYMENT-LINK":
            assert by_rule[rule] == {"payer-a", "payer-b"}
        else:
            assert accounts <= by_rule[rule], rule
    flagged = set().union(*by_rule.values())
    assert not flagged & {"ordinary-1", "ordinary-2"}
    # a US person's large run is over 1e23 but is no foreign person's training run
    assert {r for r, ids in by_rule.items() if "us-lab" in ids} == {"THRESHOLD"}
    structuring = next(a for a in found if a["rule"] == "STRUCTURING")
    assert structuring["account_ids"] == ["split-1", "split-2"]
    assert structuring["group_id"] and structuring["evidence"]["links"][0]["kind"] == "phone"
    for a in found:
        assert a["summary"] and a["evidence"]["rule"]["citation"]
    assert "SCREEN-HIT" in result.stdout and "alerts by rule" in result.stdout


def test_outputs_are_the_interchange_files(clean: tuple[Path, Path]) -> None:
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    groups = (out / "groups.csv").read_text("utf-8").splitlines()
    assert groups[0] == "account_id,group_id"
    split = {line.split(",")[1] for line in groups if line.startswith("split-")}
    assert len(split) == 1
    ledger = (out / "ledger.csv").read_text("utf-8")
    assert f"group,{split.pop()},*,*," in ledger and "account,trainer,*,*," in ledger
    report = (out / "report.html").read_text("utf-8")
    assert "STRUCTURING" in report and "Nothing: every row of every file was read." in report
    assert "http://" not in report and "https://" not in report  # opens offline


def test_bad_rows_are_reported_with_file_and_line_and_the_rest_processed(
    tmp_path: Path, isolated: Path
) -> None:
    data, out = write(tmp_path / "data", bad_rows=True), tmp_path / "out"
    result = run("run", "--data", data, "--out", out)
    assert result.exit_code == 2
    for where in (
        "customers.jsonl:3: not JSON",
        "access.csv:4: field 'ts'",
        "usage.csv:3: field 'accelerator_count'",
    ):
        assert where in result.stderr
    report = (out / "report.html").read_text("utf-8")
    assert "customers.jsonl:3" in report and "usage.csv:3" in report
    assert {a["rule"] for a in alerts(out)} >= set(PLANTED)  # everything else still ran


def test_a_second_run_gives_the_same_alerts_and_adds_nothing(clean: tuple[Path, Path]) -> None:
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    first = (out / "alerts.jsonl").read_bytes()
    with session_scope() as s:
        before = [
            s.scalar(select(func.count()).select_from(m))
            for m in (AlertRow, AccessEventRow, DecisionRow)
        ]
    second = run("run", "--data", data, "--out", out)
    assert second.exit_code == 0 and "(0 new)" in second.stdout
    assert (out / "alerts.jsonl").read_bytes() == first
    with session_scope() as s:
        after = [
            s.scalar(select(func.count()).select_from(m))
            for m in (AlertRow, AccessEventRow, DecisionRow)
        ]
        assert verify(s).ok
    assert after == before


def test_a_changed_record_is_onboarded_again_and_alerts(clean: tuple[Path, Path]) -> None:
    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    changed = [dict(c) for c in CUSTOMERS]
    changed[0] = {
        **changed[0],
        "beneficial_owners": [
            {"name": "Ivor Quillane", "country": "AE", "address": "Dubai", "ownership_pct": 30}
        ],
    }
    (data / "customers.jsonl").write_text(
        "\n".join(json.dumps(c) for c in changed) + "\n", encoding="utf-8"
    )
    result = run("run", "--data", data, "--out", out)
    assert result.exit_code == 0 and "(1 new)" in result.stdout
    hit = [
        a for a in alerts(out) if a["rule"] == "SCREEN-HIT" and a["account_ids"] == ["ordinary-1"]
    ]
    assert hit and "Ivor Quillane" in hit[0]["summary"]


def test_a_directory_without_customers_is_bad_input(tmp_path: Path, isolated: Path) -> None:
    result = run("run", "--data", tmp_path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"cloudkyc: {tmp_path / 'customers.jsonl'}: no customers.jsonl in the data directory"
    )
    assert not (tmp_path / "out").exists()


def test_access_logged_before_onboarding_counts_as_the_accounts_last_access(
    clean: tuple[Path, Path],
) -> None:
    """Retention runs from the last access: the run stores the log before it creates the
    accounts, and the accounts still carry their latest event."""
    import datetime as dt

    from cloudkyc.store.cip_models import AccountRow

    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    with session_scope() as s:
        seen = dict(s.execute(select(AccountRow.id, AccountRow.last_access_at)).all())
    assert seen["front"] is not None and seen["ordinary-1"] is not None
    assert seen["front"].replace(tzinfo=dt.UTC) == dt.datetime(2026, 6, 8, 4, tzinfo=dt.UTC)
    assert seen["ordinary-2"] is None  # never logged in


def test_the_run_is_stored_for_the_dashboard(clean: tuple[Path, Path]) -> None:
    from cloudkyc.store import dashboard as q

    data, out = clean
    assert run("run", "--data", data, "--out", out).exit_code == 0
    totals = [line for line in (out / "ledger.csv").read_text("utf-8").splitlines()[1:]]
    groups = (out / "groups.csv").read_text("utf-8").splitlines()[1:]
    with session_scope() as session:
        stored = q.top_totals(session, "account", 1000) + q.top_totals(session, "group", 1000)
        assert len(stored) == sum(",*,*," in line for line in totals)
        split = q.group_of(session, "split-1")
        assert split and len(q.members(session, split)) == len(
            [g for g in groups if g.endswith(split)]
        )
    assert run("run", "--data", data, "--out", out).exit_code == 0  # replaced, not doubled
    with session_scope() as session:
        again = q.top_totals(session, "account", 1000) + q.top_totals(session, "group", 1000)
        assert len(again) == len(stored)
