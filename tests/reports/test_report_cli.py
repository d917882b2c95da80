"""`cloudkyc report training | cip | alerts`: a file in the asked format, written atomically;
bad input (an unknown alert, an alert that is not TRAINING-RUN, a bad year, filter or format)
exits 2 with one line naming it and leaves the output as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app

from .conftest import Filled


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def test_training_report_in_each_format(store_env: Filled, tmp_path: Path) -> None:
    alert = store_env.alerts["TRAINING-RUN"][0]
    out = tmp_path / "training.json"
    result = run("report", "training", alert, "--output", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["alert"]["alert_id"] == alert
    assert data["provider"]["name"] == "Example GPU Cloud Inc."  # CLOUDKYC_PROVIDER_NAME
    assert data["as_of"] == dt.datetime.now(dt.UTC).date().isoformat()
    html = tmp_path / "report.html"
    assert run("report", "training", alert, "-o", html).exit_code == 0
    assert data["foreign_person"]["name"] in html.read_text("utf-8")
    pdf = tmp_path / "report.bin"
    assert run("report", "training", alert, "--format", "pdf", "-o", pdf).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_cip_and_alert_exports(store_env: Filled, tmp_path: Path) -> None:
    year = str(store_env.run_day.year)
    out = tmp_path / "cip.json"
    assert run("report", "cip", "--year", year, "-o", out).exit_code == 0
    assert json.loads(out.read_text("utf-8"))["year"] == int(year)
    alerts = tmp_path / "alerts.csv"
    result = run("report", "alerts", "--rule", "PAYMENT-LINK", "--status", "resolved", "-o", alerts)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(alerts.read_text("utf-8"))))
    assert [r["alert_id"] for r in rows] == [store_env.resolved]
    day = store_env.run_day.isoformat()
    result = run("report", "alerts", "--since", day, "--severity", "critical", "-o", alerts)
    assert result.exit_code == 0 and "alert(s)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["training", "al_missing"], "no alert 'al_missing'"),
        (["training", "SCREEN-HIT"], "is a SCREEN-HIT alert"),
        (["cip", "--year", "1999"], "year 1999 is outside"),
        (["cip", "--year", "2999"], "year 2999 is outside"),
        (["alerts", "--severity", "urgent"], "unknown severity 'urgent'"),
        (["alerts", "--since", "2026-13-01"], "is not a date"),
        (["alerts", "--format", "xml"], "cannot tell the format"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    store_env: Filled, tmp_path: Path, args: list[str], message: str
) -> None:
    if args[-1] == "SCREEN-HIT":
        args = [args[0], store_env.alerts["SCREEN-HIT"][0]]
    out = tmp_path / "report.json"
    out.write_text("earlier", encoding="utf-8")
    result = run("report", *args, "--output", out)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert out.read_text("utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_a_year_that_is_not_a_number_is_a_usage_error(store_env: Filled, tmp_path: Path) -> None:
    result = run("report", "cip", "--year", "twenty", "-o", tmp_path / "cip.json")
    assert result.exit_code == 2 and not (tmp_path / "cip.json").exists()
