"""`cloudkyc screen` through the real app: one name on the terminal, or a CSV batch."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.lists import sample_list_path
from cloudkyc.lists.formats import read_list
from cloudkyc.screening import Query, Screener

WATCHLIST = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "watchlist.csv"
SAMPLE = sample_list_path()
HEADER = ["query_id", "rank", "score", "party_id", "source", "matched_name", "explanation"]
W2_USCC = "91440300MA5EXAMPL1"  # identifier of watchlist:w-002 in WATCHLIST


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


def as_json(*args: str | Path) -> list[dict]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def read_hits(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


# --- one name ------------------------------------------------------------------------------


def test_name_prints_a_table_with_the_hit_and_its_explanation() -> None:
    result = run("screen", "Example Compute Reseller", "--list", WATCHLIST)
    assert result.exit_code == 0, result.output
    for text in ("watchlist:w-001", "1.000", "primary name", "name score"):
        assert text in result.stdout
    assert "w-003" not in result.stdout


def test_name_without_hit_says_so() -> None:
    result = run("screen", "Kestrel Analytics", "--list", WATCHLIST)
    assert result.exit_code == 0, result.output
    assert "No hit for Kestrel Analytics" in result.stdout


def test_json_lists_every_hit_with_its_score_and_readings() -> None:
    hits = as_json("screen", "深圳示例算力科技有限公司", "--list", WATCHLIST)
    assert [h["party_id"] for h in hits][:1] == ["watchlist:w-002"]
    top = hits[0]
    assert top["score"] == pytest.approx(1.0)
    assert "深圳示例算力科技有限公司" in top["explanation"]
    assert top["query_reading"]
    assert as_json("screen", "Kestrel Analytics", "--list", WATCHLIST) == []


def test_country_adjusts_a_weak_name_hit_but_never_a_strong_one() -> None:
    def top(*extra: str) -> dict:
        hits = as_json("screen", "Example Reseller", "--list", WATCHLIST, *extra)
        assert hits and hits[0]["party_id"] == "watchlist:w-001"
        return hits[0]

    plain, same, other = top(), top("--country", "sg"), top("--country", "US")
    assert other["score"] < plain["score"] < same["score"]
    assert "country SG matches" in same["explanation"]
    assert "country US differs from SG" in other["explanation"]
    hidden = as_json(
        "screen", "Example Reseller", "--list", WATCHLIST, "--country", "US", "--threshold", "0.85"
    )
    assert hidden == []
    strong = as_json("screen", "Example Compute Reseller", "--list", WATCHLIST, "--country", "US")
    assert strong[0]["score"] == pytest.approx(1.0)


def test_bad_country_code_is_rejected() -> None:
    result = run("screen", "Example Reseller", "--list", WATCHLIST, "--country", "SGP")
    assert result.exit_code == 2
    assert "field '--country'" in result.stderr and "SGP" in result.stderr


def test_registration_id_finds_the_party_whatever_the_name() -> None:
    hits = as_json("screen", "Totally Unrelated Name", "--id", W2_USCC, "--list", WATCHLIST)
    assert [h["party_id"] for h in hits] == ["watchlist:w-002"]
    assert hits[0]["score"] >= 0.99
    assert W2_USCC in hits[0]["explanation"]
    assert as_json("screen", "Unrelated", "--id", "914403XXX", "--list", WATCHLIST) == []


def test_without_list_screens_the_store(isolated: Path) -> None:
    assert run("lists", "load", WATCHLIST).exit_code == 0
    hits = as_json("screen", "Example Compute Reseller")
    assert hits[0]["party_id"] == "watchlist:w-001"


def test_empty_store_asks_to_load_lists(isolated: Path) -> None:
    result = run("screen", "Example Compute Reseller")
    assert result.exit_code == 2
    assert "no lists are loaded" in result.stderr and "lists load" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- batch ---------------------------------------------------------------------------------

QUERIES = """id,name,country,type,registration_id
q1,Obsidian Lantern,,,
q2,Inspur Technologies,,,
q3,Redwater Trading,,,
q4,Kestrel Analytics,,,
q5,Totally Unrelated Name,,,FICTIONAL-AE-0004
q6,Obsidian Lantern,SG,,
q7,Obsidian Lantern,US,person,
q8,Obsidian Lantern,,person,
"""


def screen_batch(tmp_path: Path, text: str, *extra: str | Path) -> tuple[Result, Path]:
    queries = write(tmp_path / "queries.csv", text)
    out = tmp_path / "hits.csv"
    return run("screen", "--list", SAMPLE, "--input", queries, "--output", out, *extra), out


def test_batch_writes_ranked_hits_with_the_documented_header(tmp_path: Path) -> None:
    result, out = screen_batch(tmp_path, QUERIES)
    assert result.exit_code == 0, result.output
    header, rows = read_hits(out)
    assert header == HEADER
    by_query: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_query.setdefault(row["query_id"], []).append(row)
    for hits in by_query.values():
        assert [int(h["rank"]) for h in hits] == list(range(1, len(hits) + 1))
        scores = [float(h["score"]) for h in hits]
        assert scores == sorted(scores, reverse=True) and min(scores) >= 0.80
    top = {q: hits[0]["party_id"] for q, hits in by_query.items()}
    assert top == {
        "q1": "sample:fict-obsidian",
        "q2": "sample:inspur",
        "q5": "sample:fict-nebula",  # the registration_id column
        "q6": "sample:fict-obsidian",
        "q8": "sample:fict-obsidian",
    }  # q3 is too weak, q4 unrelated, q7 loses to the country and type columns
    assert by_query["q1"][0]["source"] == "sample"
    assert "identifier registration" in by_query["q5"][0]["explanation"]
    assert float(by_query["q6"][0]["score"]) > float(by_query["q1"][0]["score"])
    assert "country SG matches" in by_query["q6"][0]["explanation"]
    assert float(by_query["q8"][0]["score"]) < float(by_query["q1"][0]["score"])
    assert "type person differs" in by_query["q8"][0]["explanation"]
    assert "screened 8 names" in result.stderr


def test_threshold_changes_the_number_of_hits(tmp_path: Path) -> None:
    counts = {}
    for threshold in ("0.6", "0.8", "0.95"):
        result, out = screen_batch(tmp_path, QUERIES, "--threshold", threshold)
        assert result.exit_code == 0, result.output
        rows = read_hits(out)[1]
        assert all(float(r["score"]) >= float(threshold) for r in rows)
        counts[threshold] = {r["query_id"] for r in rows}
    assert counts["0.95"] < counts["0.8"] < counts["0.6"]
    assert "q3" in counts["0.6"] and "q1" not in counts["0.95"]


def test_batch_with_the_store(isolated: Path, tmp_path: Path) -> None:
    assert run("lists", "load", WATCHLIST).exit_code == 0
    queries = write(
        tmp_path / "q.csv", f"id,name,registration_id\na,Zhang Example,\nb,Nobody,{W2_USCC}\n"
    )
    out = tmp_path / "h.csv"
    result = run("screen", "--input", queries, "--output", out)
    assert result.exit_code == 0, result.output
    assert [(r["query_id"], r["party_id"]) for r in read_hits(out)[1]] == [
        ("a", "watchlist:w-003"),
        ("b", "watchlist:w-002"),
    ]


# --- bad input -----------------------------------------------------------------------------


def with_bad_row(header: str, bad: str, extra: str = "") -> str:
    """Line 2 and line 4 are good, line 3 is `bad`."""
    return f"{header}\nq1,Obsidian Lantern Compute{extra}\n{bad}\nq9,Tobias Vantrel{extra}\n"


@pytest.mark.parametrize(
    "text,field",
    [
        (with_bad_row("id,name", "q2,"), "name"),
        (with_bad_row("id,name,country", "q2,Redwater,HKG", ",AE"), "country"),
        (with_bad_row("id,name,type", "q2,Redwater,robot", ",organization"), "type"),
        (with_bad_row("id,name", "q2,Redwater,HK"), None),
    ],
    ids=["empty-name", "bad-country", "unknown-type", "field-count"],
)
def test_rejected_rows_are_named_and_the_rest_written(
    tmp_path: Path, text: str, field: str | None
) -> None:
    result, out = screen_batch(tmp_path, text)
    assert result.exit_code == 2
    queries = tmp_path / "queries.csv"
    expected = f"{queries}:3: " + (f"field '{field}': " if field else "has 3 fields")
    assert expected in result.stderr
    assert "1 row(s) rejected" in result.stderr
    ids = {r["query_id"] for r in read_hits(out)[1]}
    assert ids == {"q1", "q9"}  # rows before and after the bad one were still screened


@pytest.mark.parametrize(
    "text,encoding,expected",
    [
        ("id,title\nq1,Obsidian Lantern\n", "utf-8", ":1: missing column(s) name"),
        ("id,name\nq1,Obsidian Lantern\nq2,红水量子贸易有限公司\n", "gbk", ":3: not UTF-8"),
        ("", "utf-8", ":1: empty file"),
    ],
    ids=["no-name-column", "gbk", "empty-file"],
)
def test_unreadable_input_fails_without_output(
    tmp_path: Path, text: str, encoding: str, expected: str
) -> None:
    queries = write(tmp_path / "queries.csv", text, encoding)
    out = tmp_path / "out" / "hits.csv"
    result = run("screen", "--list", SAMPLE, "--input", queries, "--output", out)
    assert result.exit_code == 2
    assert f"{queries}{expected}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


@pytest.mark.parametrize(
    "args,expected",
    [
        pytest.param(["--input", "{q}"], "--input needs --output", id="no-output"),
        pytest.param(["N", "--input", "{q}", "--output", "{o}"], "either a NAME", id="both"),
        pytest.param([], "either a NAME or --input", id="neither"),
        pytest.param(["  "], "field 'NAME': empty name", id="blank-name"),
        pytest.param(["N", "--list", "{d}/missing.csv"], "missing.csv", id="missing-list"),
        pytest.param(
            ["--input", "{q}", "--output", "{o}", "--list", "{d}/missing.csv"],
            "missing.csv",
            id="batch-missing-list",
        ),
        pytest.param(
            ["--input", "{q}", "--output", "{d}"], "cannot write: Is a directory", id="out-is-dir"
        ),
    ],
)
def test_bad_command_lines_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    queries = write(tmp_path / "q.csv", "id,name\nq1,Obsidian Lantern Compute\n")
    out = tmp_path / "hits.csv"
    fill = {"q": str(queries), "o": str(out), "d": str(tmp_path)}
    argv = [a.format(**fill) for a in args]
    if "--list" not in argv:
        argv += ["--list", str(SAMPLE)]
    result = run("screen", *argv)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.csv"]  # no temporary files left


# --- many queries: the parallel path -------------------------------------------------------


def generated_queries(n: int) -> list[tuple[str, str, str, str]]:
    """Listed names, their aliases and near misses of them, plus unrelated names."""
    names = [n for p in read_list(SAMPLE).parties for n in p.all_names()]
    variants = [lambda s: s, str.upper, lambda s: s[:-1], lambda s: s.replace("a", "e", 1)]
    countries = ["", "CN", "SG", "US"]
    rows = []
    for i in range(n):
        if i % 3 == 2:
            name = f"Unrelated Customer {i} Holdings"
        else:
            name = variants[i % len(variants)](names[i % len(names)])
        kind = ("", "organization", "person")[i % 3]
        rows.append((f"q{i:05d}", name, countries[i % len(countries)], kind))
    return rows


def test_parallel_batch_gives_the_same_hits_as_single_queries(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = generated_queries(2300)
    queries = tmp_path / "queries.csv"
    with open(queries, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("id", "name", "country", "type"), *rows])
    monkeypatch.setenv("CLOUDKYC_SCREEN_WORKERS", "2")  # read at invoke (`isolated` re-reads)
    out = tmp_path / "hits.csv"
    result = run("screen", "--list", SAMPLE, "--input", queries, "--output", out)
    assert result.exit_code == 0, result.output
    got = [
        (r["query_id"], r["rank"], r["score"], r["party_id"], r["explanation"])
        for r in read_hits(out)[1]
    ]

    screener = Screener(read_list(SAMPLE).parties, 0.80)
    expected = [
        (qid, str(rank), f"{h.score:.4f}", h.party.id, h.explanation)
        for qid, name, country, kind in rows
        for rank, h in enumerate(
            screener.screen(Query(name, qid, country or None, kind or None)), 1
        )
    ]
    assert len({g[0] for g in got}) > 500  # many queries hit, so the comparison means something
    assert got == expected
    # and the command's own single-name path agrees on a few of them
    plain = [r for r in rows if not r[2] and not r[3]]
    for qid, name, _country, _kind in plain[:3]:
        single = as_json("screen", name, "--list", SAMPLE)
        assert [h["party_id"] for h in single] == [g[3] for g in got if g[0] == qid]


# --- ambiguity a script would not notice ---------------------------------------------------

BAD_ROWS_LIST = WATCHLIST.parent / "watchlist_bad_rows.csv"


def test_duplicate_query_ids_are_rejected(tmp_path: Path) -> None:
    queries = write(tmp_path / "q.csv", "id,name\nq1,Example Compute Reseller\nq1,Other Name\n")
    out = tmp_path / "hits.csv"
    result = run("screen", "--list", WATCHLIST, "--input", queries, "--output", out)
    assert result.exit_code == 2
    assert "q.csv:3: field 'id': duplicate id 'q1' (first on line 2)" in result.output
    _header, rows = read_hits(out)
    assert {r["query_id"] for r in rows} == {"q1"}


def test_single_name_options_are_refused_in_batch(tmp_path: Path) -> None:
    queries = write(tmp_path / "q.csv", "id,name\nq1,Example Compute Reseller\n")
    for option in (["--country", "CN"], ["--id", "X123"], ["--json"]):
        result = run(
            "screen",
            "--list",
            WATCHLIST,
            "--input",
            queries,
            "--output",
            tmp_path / "h.csv",
            *option,
        )
        assert result.exit_code == 2
        assert "apply to a single NAME" in result.output


def test_rejected_list_rows_still_screen_but_exit_2(tmp_path: Path) -> None:
    result = run("screen", "Example Compute Reseller", "--list", BAD_ROWS_LIST)
    assert result.exit_code == 2
    assert "list row(s) rejected" in result.output
    assert "rejected" in result.output and "watchlist_bad_rows.csv:" in result.output
