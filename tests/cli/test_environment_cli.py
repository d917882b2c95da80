"""Missing list paths, a bad data dir and an unreachable database: one line and an exit code."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.settings import get_settings

WATCHLIST = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "watchlist.csv"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def one_line_exit(result: Result, code: int) -> str:
    """The error line, after checking it came as a message and not as a traceback."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cloudkyc: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("where", ["nowhere/sdn.csv", "empty/sdn.csv", "empty/cons_prim.csv"])
def test_screen_against_a_missing_list_is_bad_input(tmp_path: Path, where: str) -> None:
    (tmp_path / "empty").mkdir()
    path = tmp_path / where
    line = one_line_exit(run("screen", "Example Reseller", "--list", path), 2)
    assert line == f"cloudkyc: {path}: no such file or directory"


def test_screen_against_a_missing_list_among_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    line = one_line_exit(run("screen", "X Ltd", "--list", WATCHLIST, "--list", path), 2)
    assert str(path) in line


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, isolated: Path) -> pytest.MonkeyPatch:
    """Set CLOUDKYC_* variables on top of an isolated store (settings re-read after)."""
    return monkeypatch


@pytest.mark.parametrize("data_dir", ["/dev/null/x", "{file}", "{file}/below"])
@pytest.mark.parametrize("command", [("lists", "status"), ("lists", "update")])
def test_an_unusable_data_dir_is_bad_input_naming_the_variable(
    env: pytest.MonkeyPatch, tmp_path: Path, data_dir: str, command: tuple[str, ...]
) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("not a directory")
    env.setenv("CLOUDKYC_DATA_DIR", data_dir.format(file=a_file))
    get_settings.cache_clear()
    line = one_line_exit(run(*command), 2)
    assert "CLOUDKYC_DATA_DIR" in line


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "args",
    [("lists", "status"), ("lists", "load", WATCHLIST), ("screen", "Example", "--json")],
)
def test_an_unreachable_database_exits_1_without_the_password(
    env: pytest.MonkeyPatch, args: tuple[str | Path, ...]
) -> None:
    pytest.importorskip("psycopg")
    env.setenv("CLOUDKYC_DATABASE_URL", f"postgresql://kyc:s3cr3t@127.0.0.1:{_closed_port()}/kyc")
    get_settings.cache_clear()
    line = one_line_exit(run(*args), 1)
    assert "cannot use the database postgresql://kyc:***@127.0.0.1:" in line
    assert "CLOUDKYC_DATABASE_URL" in line
    assert "s3cr3t" not in line
