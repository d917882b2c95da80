"""What PostgreSQL refuses (long ids, NUL characters) is refused on SQLite too, and an
unusable data dir or database is one clear error, not a driver traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cloudkyc.errors import BadInput, DatabaseUnavailable, exit_code_for
from cloudkyc.lists.formats import read_list
from cloudkyc.lists.model import ParseResult, Party
from cloudkyc.settings import Settings
from cloudkyc.store.db import get_engine, session_scope
from cloudkyc.store.parties import list_status, load_parties, replace_sources

HEADER = "id,name,aliases,type,country,address,identifiers,program,list\n"


def test_a_watchlist_loads_the_same_on_every_backend(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "watchlist.csv"
    longest = "l" * 64
    rows = [
        f"a1,Long List Ltd,,organization,,,,,{'l' * 65}",
        f"{'i' * 191},Long Id Ltd,,organization,,,,,{longest}",  # 64 + 1 + 191 = 256
        f"a2,Nul\x00 Ltd,,organization,,,,,{longest}",
        f"a3,Nul Alias Ltd,x\x00y,organization,,,,,{longest}",
        f"a4,Fits Ltd,,organization,,,,,{longest}",
        f"{'i' * 190},Fits Too Ltd,,organization,,,,,{longest}",  # 255
    ]
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), "utf-8")
    result = read_list(path)
    assert [(e.line, e.field) for e in result.errors] == [
        (2, "list"),
        (3, "id"),
        (4, "name"),
        (5, "aliases"),
    ]
    with session_scope(db_url) as s:
        replace_sources(s, [result])
    with session_scope(db_url) as s:
        stored = {p.name: p for p in load_parties(s)}
        assert {st.source: st.parties for st in list_status(s)} == {longest: 2}
    assert set(stored) == {"Fits Ltd", "Fits Too Ltd"}
    assert len(stored["Fits Too Ltd"].id) == 255


def _party(**fields: str) -> ParseResult:
    party = Party(**{"id": "w:1", "source": "w", "list_name": "w", "name": "A", **fields})
    return ParseResult(
        source=party.source, format="watchlist", files=[Path("/l/w.csv")], parties=[party]
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": "w:" + "9" * 254}, "party id 'w:999"),
        ({"source": "s" * 65, "id": "s:1"}, "source id 'sss"),
        ({"name": "A\x00B"}, "holds a NUL character"),
    ],
)
def test_the_store_refuses_what_postgresql_would_on_every_backend(
    db_url: str, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(BadInput, match=message), session_scope(db_url) as s:
        replace_sources(s, [_party(**fields)])
    with session_scope(db_url) as s:
        assert list_status(s) == []


@pytest.mark.parametrize("data_dir", ["/dev/null/x", "{file}", "{file}/below"])
def test_an_unusable_data_dir_is_bad_input(isolated: Path, tmp_path: Path, data_dir: str) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("not a directory")
    settings = Settings(data_dir=Path(data_dir.format(file=a_file)))
    with pytest.raises(BadInput) as info:
        get_engine(settings)
    assert info.value.field == "CLOUDKYC_DATA_DIR"
    assert exit_code_for(info.value) == 2


def test_an_unreachable_database_is_one_line_without_the_password(isolated: Path) -> None:
    pytest.importorskip("psycopg")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://kyc:pa55word@127.0.0.1:{port}/kyc"
    for target in (url, Settings(database_url=url)):
        with pytest.raises(DatabaseUnavailable) as info, session_scope(target):
            pass
        text = str(info.value)
        assert "\n" not in text and "pa55word" not in text
        assert f"postgresql://kyc:***@127.0.0.1:{port}/kyc" in text
        assert "CLOUDKYC_DATABASE_URL" in text
        assert exit_code_for(info.value) == 1
