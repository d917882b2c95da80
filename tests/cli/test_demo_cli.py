"""`cloudkyc demo` on the bundled data, and reading customers.jsonl in the pipeline."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

from cloudkyc.cli.app import build_app
from cloudkyc.errors import BadInput
from cloudkyc.pipeline import customer_queries, sample_customers_path

HEADER = ["query_id", "rank", "score", "party_id", "source", "matched_name", "explanation"]

# The planted cases of cli/demo_data/customers.jsonl against lists/sample/watchlist.csv:
# account -> the listed parties it is designed to hit (empty: designed not to hit).
DESIGNED = {
    "acct-001": set(),  # Kestrel Analytics, Singapore
    "acct-002": set(),  # Nordlicht Robotik, Germany
    "acct-003": set(),  # Prairie Lake Bioinformatics, US
    "acct-004": set(),  # a Japanese name in kana and kanji
    "acct-005": {"sample:hit"},  # 哈尔滨工业大学 as the local name
    "acct-006": {"sample:scu"},  # "Sichuan Daxue": pinyin read through the glossary
    "acct-007": {"sample:huawei"},  # traditional 華為技術 and Huawei's USCC
    "acct-008": {"sample:sugon"},  # a beneficial owner is Dawning (Sugon)
    "acct-009": {"sample:buaa"},  # a reseller's end user is BUAA
    "acct-010": {"sample:fict-obsidian"},  # fictional listed party, its name and id
    "acct-011": set(),  # Shenzhen University / 深圳大学: near miss, not listed
    "acct-012": set(),  # Harbin Normal University: shares Harbin + university with HIT / HEU
    "acct-013": {"sample:fict-vantrell"},  # "Tobias Vantrel": alias of a fictional person
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_hits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, list[dict[str, str]]]:
    out = tmp_path_factory.mktemp("demo") / "out"
    result = run("demo", "--out", out)
    with open(out / "hits.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADER
        return result, list(reader)


def test_demo_exits_0_and_prints_a_summary(demo_hits: tuple[Result, list]) -> None:
    result, rows = demo_hits
    assert result.exit_code == 0, result.output
    screened = len(customer_queries(sample_customers_path(), []))
    flagged = len({r["query_id"] for r in rows})
    assert f"{screened} names screened, {flagged} with hits" in result.stdout
    assert result.stderr == ""  # bundled data: nothing rejected, no progress bar in a script


def test_the_bundled_customers_are_the_ones_described() -> None:
    lines = sample_customers_path().read_text(encoding="utf-8").splitlines()
    assert [orjson.loads(line)["account_id"] for line in lines] == sorted(DESIGNED)


def test_planted_accounts_hit_and_the_others_do_not(demo_hits: tuple[Result, list]) -> None:
    _, rows = demo_hits
    got: dict[str, set[str]] = {account: set() for account in DESIGNED}
    for row in rows:
        got[row["query_id"].split("/")[0]].add(row["party_id"])
    assert got == DESIGNED


def test_hits_name_who_in_the_account_matched(demo_hits: tuple[Result, list]) -> None:
    _, rows = demo_hits
    by_query = {r["query_id"]: r for r in rows if r["rank"] == "1"}
    # owners and end users are screened, not only the customer
    assert by_query["acct-008/beneficial_owners[0]"]["party_id"] == "sample:sugon"
    assert by_query["acct-009/reseller.end_users[1]"]["party_id"] == "sample:buaa"
    assert not any(q.startswith(("acct-008/customer", "acct-009/customer")) for q in by_query)
    # a registration id equal to a listed USCC is a hit whatever the English name
    huawei = by_query["acct-007/customer"]
    assert huawei["party_id"] == "sample:huawei" and float(huawei["score"]) >= 0.99
    assert "914403001922038216" in huawei["explanation"]
    local = by_query["acct-007/customer.name_local"]
    assert local["party_id"] == "sample:huawei" and float(local["score"]) >= 0.9
    assert by_query["acct-005/customer.name_local"]["matched_name"] == "哈尔滨工业大学"
    for row in rows:
        assert row["rank"] == "1" or float(row["score"]) <= float(
            by_query[row["query_id"]]["score"]
        )
        assert row["explanation"].startswith(("primary name", "alias", "listed party"))


def test_default_output_directory_is_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("demo")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "hits.csv").read_text(encoding="utf-8").startswith(",".join(HEADER))


def test_unwritable_output_is_bad_input(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a directory", encoding="utf-8")
    result = run("demo", "--out", blocker)
    assert result.exit_code == 2
    assert f"{blocker / 'hits.csv'}: cannot write" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def customer(account: str, name: str, **extra: object) -> str:
    record = {"account_id": account, "customer": {"type": "organization", "name": name, **extra}}
    return orjson.dumps(record).decode()


def test_customer_queries_reports_bad_lines_and_keeps_going(tmp_path: Path) -> None:
    path = tmp_path / "customers.jsonl"
    lines = [
        customer("a-1", "First Co", country="SG"),  # line 1
        '{"account_id": "a-2", "customer": {"name": "Broken"',  # line 2: truncated JSON
        "",  # line 3: blank lines are skipped
        customer("a-4", "Fourth Co", name_local="第四公司", registration_id="R-4"),  # line 4
        '{"account_id": "a-5", "customer": {"type": "organization"}}',  # line 5: no name
        "[1, 2, 3]",  # line 6: JSON, but not a customer
        '{"account_id": "a-7", "customer": "Seventh Co"}',  # line 7: customer is not an object
        customer("a-8", "Eighth Co"),  # line 8
        '{"account_id": "a-9", "customer": {"name": ["Ninth"]}}',  # line 9: name is a list
        # line 10: numbers where text is expected, and an owner that is not an object
        '{"account_id": 10, "customer": {"name": "Tenth", "type": "individual", '
        '"registration_id": 914403001922038216}, "beneficial_owners": ["Zhang", {"name": "Li"}]}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list[BadInput] = []
    queries = customer_queries(path, errors)
    assert [(q.id, q.name) for q in queries] == [
        ("a-1/customer", "First Co"),
        ("a-4/customer", "Fourth Co"),
        ("a-4/customer.name_local", "第四公司"),
        ("a-8/customer", "Eighth Co"),
        ("10/customer", "Tenth"),
        ("10/beneficial_owners[1]", "Li"),
    ]
    assert queries[0].country == "SG" and queries[1].registration_id == "R-4"
    assert (queries[4].type, queries[4].registration_id) == ("person", "914403001922038216")
    assert [(e.file, e.line) for e in errors] == [(str(path), n) for n in (2, 5, 6, 7, 9, 10)]
    assert str(errors[0]).startswith(f"{path}:2: not JSON")
    assert str(errors[1]).startswith(f"{path}:5: field 'customer.name': missing")
    assert str(errors[4]).startswith(f"{path}:9: field 'customer.name'")
    assert str(errors[5]).startswith(f"{path}:10: field 'beneficial_owners[0]'")


def test_customer_queries_names_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "customers.jsonl"
    path.write_bytes((customer("a-1", "First Co") + "\n" + customer("a-2", "华为")).encode("gbk"))
    with pytest.raises(BadInput, match=r"customers\.jsonl:2: not UTF-8"):
        customer_queries(path, [])
