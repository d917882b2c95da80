"""`update_lists` against a local HTTP server: all sources stored, or none and a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.errors import BadInput, UpstreamError, exit_code_for
from cloudkyc.lists.update import OFAC_FILES, plan, update_lists
from cloudkyc.settings import Settings, get_settings
from cloudkyc.store.db import session_scope
from cloudkyc.store.parties import list_status, load_parties

COUNTS = {"csl": 4, "ofac-cons": 3, "ofac-sdn": 6}


def _stored(settings: Settings) -> dict[str, int]:
    with session_scope(settings) as s:
        return {st.source: st.parties for st in list_status(s)}


def _downloads(settings: Settings) -> list[Path]:
    return sorted((settings.data_dir / "downloads").iterdir())


def test_plan_asks_for_the_official_upper_case_names() -> None:
    settings = Settings(
        ofac_base_url="https://ofac.example/exports", csl_url="https://csl.example/c.csv"
    )
    urls = [url for _source, url, _path in plan(settings)]
    assert urls[0] == "https://csl.example/c.csv"
    assert urls[1:] == [
        f"https://ofac.example/exports/{remote}"
        for names in OFAC_FILES.values()
        for remote, _local in names
    ]
    assert [str(p) for _s, _u, p in plan(settings)][1:5] == [
        "ofac-sdn/sdn.csv",
        "ofac-sdn/alt.csv",
        "ofac-sdn/add.csv",
        "ofac-sdn/sdn_comments.csv",
    ]


def test_update_stores_every_source_and_keeps_the_files(list_server: Path) -> None:
    settings = get_settings()
    seen: list[tuple[str, int, int]] = []
    report = update_lists(
        settings, progress=lambda what, done, total: seen.append((what, done, total))
    )
    assert _stored(settings) == COUNTS
    assert seen[-1] == ("done", 13, 13)
    assert [d.path.name for d in report.downloads][:2] == ["consolidated.csv", "sdn.csv"]
    assert _downloads(settings) == [report.directory]
    with session_scope(settings) as s:
        status = {st.source: st for st in list_status(s)}
        names = {p.name for p in load_parties(s, ["ofac-sdn"])}
    assert "SHENZHEN EXAMPLE COMPUTE TECHNOLOGY CO., LTD." in names
    sdn_files = status["ofac-sdn"].files
    assert [Path(f["path"]).name for f in sdn_files] == [
        "sdn.csv",
        "alt.csv",
        "add.csv",
        "sdn_comments.csv",
    ]
    assert all(Path(f["path"]).is_file() and len(f["sha256"]) == 64 for f in sdn_files)


def test_second_update_replaces_the_kept_files(list_server: Path) -> None:
    settings = get_settings()
    first = update_lists(settings)
    second = update_lists(settings)
    assert _downloads(settings) == [second.directory]
    assert not first.directory.exists()
    assert _stored(settings) == COUNTS


def _first_update(settings: Settings) -> Path:
    directory = update_lists(settings).directory
    assert _stored(settings) == COUNTS
    return directory


def _assert_untouched(settings: Settings, kept: Path) -> None:
    assert _stored(settings) == COUNTS
    assert _downloads(settings) == [kept]


def test_404_stores_nothing_and_names_the_url(list_server: Path) -> None:
    settings = get_settings()
    kept = _first_update(settings)
    (list_server / "ofac" / "CONS_ALT.CSV").unlink()
    with pytest.raises(UpstreamError, match=r"CONS_ALT\.CSV: HTTP 404") as info:
        update_lists(settings)
    assert exit_code_for(info.value) == 1
    _assert_untouched(settings, kept)


def test_unreachable_server_is_upstream_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDKYC_CSL_URL", "http://127.0.0.1:9/consolidated.csv")
    get_settings.cache_clear()
    with pytest.raises(UpstreamError, match="127.0.0.1:9/consolidated.csv: download failed"):
        update_lists(get_settings())
    assert _downloads(get_settings()) == []


def test_empty_file_is_refused(list_server: Path) -> None:
    settings = get_settings()
    kept = _first_update(settings)
    (list_server / "consolidated.csv").write_bytes(b"")
    with pytest.raises(UpstreamError, match="empty response"):
        update_lists(settings)
    _assert_untouched(settings, kept)


def test_garbage_page_is_refused(list_server: Path) -> None:
    settings = get_settings()
    kept = _first_update(settings)
    (list_server / "consolidated.csv").write_text(
        "<html><body>Service temporarily unavailable</body></html>\n"
    )
    with pytest.raises(BadInput, match="consolidated.csv") as info:
        update_lists(settings)
    assert exit_code_for(info.value) == 2
    _assert_untouched(settings, kept)


def test_file_cut_mid_row_is_refused(list_server: Path) -> None:
    settings = get_settings()
    kept = _first_update(settings)
    sdn = list_server / "ofac" / "SDN.CSV"
    data = sdn.read_bytes()
    sdn.write_bytes(data[: data.index(b"ZHANG") + 3])  # cut inside the second row's name
    with pytest.raises(BadInput, match="sdn.csv"):
        update_lists(settings)
    _assert_untouched(settings, kept)


def test_file_cut_at_a_row_end_is_refused_as_a_shrink(list_server: Path) -> None:
    settings = get_settings()
    kept = _first_update(settings)
    sdn = list_server / "ofac" / "SDN.CSV"
    sdn.write_bytes(b"\r\n".join(sdn.read_bytes().split(b"\r\n")[:5]) + b"\r\n")
    with pytest.raises(BadInput, match="5 parties, down from 6 stored"):
        update_lists(settings)
    _assert_untouched(settings, kept)
    update_lists(settings, min_kept=0.0)  # a real delisting goes through when allowed
    assert _stored(settings)["ofac-sdn"] == 5


def test_too_few_parties_is_refused_on_first_update(list_server: Path) -> None:
    settings = get_settings()
    with pytest.raises(BadInput, match="expected at least 100"):
        update_lists(settings, min_parties={"ofac-cons": 100})
    assert _stored(settings) == {}
    assert _downloads(settings) == []


def test_csl_json_url_is_read_as_csl_json(
    list_server: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csl = get_settings().csl_url.replace("consolidated.csv", "consolidated.json")
    monkeypatch.setenv("CLOUDKYC_CSL_URL", csl)
    get_settings.cache_clear()
    report = update_lists(get_settings())
    assert report.downloads[0].path.name == "consolidated.json"
    assert [(r.source, r.format, len(r.parties)) for r in report.results][0] == (
        "csl",
        "csl-json",
        2,
    )
