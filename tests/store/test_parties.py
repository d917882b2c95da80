"""The party repository: sources replaced atomically, read back unchanged, on every backend."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cloudkyc.errors import BadInput, NotFound
from cloudkyc.lists.model import Identifier, ParseResult, Party
from cloudkyc.store.db import session_scope
from cloudkyc.store.parties import (
    file_sha256,
    get_party,
    list_status,
    load_parties,
    replace_sources,
)


def party(source: str, n: int, **extra: object) -> Party:
    fields: dict = {
        "id": f"{source}:{n}",
        "source": source,
        "list_name": f"{source} list",
        "name": f"Example Party {n}",
        "aliases": [f"EP {n}"],
        "type": "organization",
        "countries": ["CN", "HK"],
        "addresses": ["1 Example Road, Shenzhen"],
        "identifiers": [
            Identifier("uscc", f"91440300MA5{n:07d}", "CN", f"USCC 91440300MA5{n:07d}")
        ],
        "programs": ["ENTITY LIST"],
        "remarks": "示例科技有限公司",
    }
    fields.update(extra)
    return Party(**fields)


def result(
    source: str,
    ids: range,
    files: list[Path] | None = None,
    errors: int = 0,
    published: str | None = None,
) -> ParseResult:
    return ParseResult(
        source=source,
        format=f"{source}-format",
        files=files or [Path(f"/lists/{source}.csv")],
        parties=[party(source, n) for n in ids],
        errors=[
            BadInput("bad row", file=f"{source}.csv", line=n, field="name") for n in range(errors)
        ],
        published=published,
    )


def test_parties_round_trip_unchanged(db_url: str) -> None:
    res = result("csl", range(3))
    with session_scope(db_url) as s:
        replace_sources(s, [res])
    with session_scope(db_url) as s:
        assert load_parties(s) == res.parties
        assert get_party(s, "csl:1") == res.parties[1]


def test_replace_drops_old_rows_of_that_source_only(db_url: str) -> None:
    with session_scope(db_url) as s:
        replace_sources(s, [result("csl", range(5)), result("ofac-sdn", range(4))])
    with session_scope(db_url) as s:
        replace_sources(s, [result("csl", range(10, 12))])
    with session_scope(db_url) as s:
        assert [p.id for p in load_parties(s, ["csl"])] == ["csl:10", "csl:11"]
        assert len(load_parties(s, ["ofac-sdn"])) == 4
        assert {st.source: st.parties for st in list_status(s)} == {"csl": 2, "ofac-sdn": 4}


def test_failed_unit_of_work_keeps_previous_store(db_url: str) -> None:
    with session_scope(db_url) as s:
        replace_sources(s, [result("csl", range(5))])
    with pytest.raises(RuntimeError), session_scope(db_url) as s:
        replace_sources(s, [result("csl", range(100, 101)), result("ofac-sdn", range(3))])
        raise RuntimeError("the next step of the load failed")
    with session_scope(db_url) as s:
        assert len(load_parties(s)) == 5
        assert [st.source for st in list_status(s)] == ["csl"]


def test_duplicate_id_in_one_load_is_refused_and_nothing_changes(db_url: str) -> None:
    with session_scope(db_url) as s:
        replace_sources(s, [result("csl", range(2))])
    clash = result("watchlist", range(1))
    clash.parties[0].id = "csl:0"
    with pytest.raises(BadInput, match="csl:0"), session_scope(db_url) as s:
        replace_sources(s, [result("csl", range(3)), clash])
    with session_scope(db_url) as s:
        assert len(load_parties(s)) == 2


def test_id_already_stored_under_another_source_is_refused(db_url: str) -> None:
    with session_scope(db_url) as s:
        replace_sources(s, [result("csl", range(2))])
    clash = result("watchlist", range(1))
    clash.parties[0].id = "csl:1"
    with (
        pytest.raises(BadInput, match="already stored under source 'csl'"),
        session_scope(db_url) as s,
    ):
        replace_sources(s, [clash])


def test_results_of_one_source_are_merged(db_url: str) -> None:
    a = result("watchlist", range(2), files=[Path("/a.csv")], errors=1)
    b = result("watchlist", range(2, 5), files=[Path("/b.csv")], errors=2)
    with session_scope(db_url) as s:
        replace_sources(s, [a, b])
    with session_scope(db_url) as s:
        (st,) = list_status(s)
    assert (st.parties, st.rejected) == (5, 3)
    assert [f["path"] for f in st.files] == ["/a.csv", "/b.csv"]


def test_status_records_files_digests_and_published(db_url: str, tmp_path: Path) -> None:
    sdn, alt = tmp_path / "sdn.csv", tmp_path / "alt.csv"
    sdn.write_bytes(b'1,"X"\r\n')
    alt.write_bytes(b"")
    res = result("ofac-sdn", range(3), files=[sdn, alt], errors=1, published="2026-02-27")
    with session_scope(db_url) as s:
        replace_sources(s, [res], {str(alt): "given-by-downloader"})
    with session_scope(db_url) as s:
        (st,) = list_status(s)
    assert st.to_dict()["source"] == "ofac-sdn"
    assert (st.format, st.parties, st.rejected, st.published) == (
        "ofac-sdn-format",
        3,
        1,
        "2026-02-27",
    )
    assert st.files == [
        {"path": str(sdn), "sha256": hashlib.sha256(sdn.read_bytes()).hexdigest(), "bytes": 7},
        {"path": str(alt), "sha256": "given-by-downloader", "bytes": 0},
    ]
    assert st.loaded_at.tzinfo is not None
    assert len(st.sha256) == 64


def test_same_files_elsewhere_give_the_same_source_digest(db_url: str, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "sdn.csv").write_text("1,X\n")
    digests = []
    for folder in ("a", "b"):
        with session_scope(db_url) as s:
            (st,) = replace_sources(
                s, [result("ofac-sdn", range(1), files=[tmp_path / folder / "sdn.csv"])]
            )
            digests.append(st.sha256)
    assert digests[0] == digests[1]
    assert file_sha256(tmp_path / "a" / "sdn.csv") == hashlib.sha256(b"1,X\n").hexdigest()


def test_missing_party_is_not_found(db_url: str) -> None:
    with session_scope(db_url) as s, pytest.raises(NotFound):
        get_party(s, "csl:nope")


def test_empty_store(db_url: str) -> None:
    with session_scope(db_url) as s:
        assert load_parties(s) == []
        assert list_status(s) == []
        assert replace_sources(s, []) == []


def test_thousands_of_parties_in_batches(db_url: str) -> None:
    res = result("csl", range(12_000))
    with session_scope(db_url) as s:
        replace_sources(s, [res])
    with session_scope(db_url) as s:
        loaded = load_parties(s)
    assert len(loaded) == 12_000
    assert loaded[0] == res.parties[0]
