"""The sample generator: the same seed writes the same files; every file reads under the
interchange formats; truth.json names real accounts and plants every rule of the catalog."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from cloudkyc.compute.engines.usage_files import USAGE_COLUMNS
from cloudkyc.customers.record import CipRecord
from cloudkyc.detection.rules import EVALUATORS
from cloudkyc.lists.formats import read_lists
from cloudkyc.sample import generate
from cloudkyc.sample.truth import Truth


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    out = tmp_path_factory.mktemp("sample")
    return out, generate(out, accounts=300, usage_rows=20_000, seed=11)


def records(out: Path) -> list[CipRecord]:
    lines = (out / "customers.jsonl").read_text("utf-8").splitlines()
    return [CipRecord.model_validate_json(line) for line in lines]


def test_the_same_seed_writes_the_same_bytes(sample: tuple[Path, Truth], tmp_path: Path) -> None:
    out, _truth = sample
    generate(tmp_path / "again", accounts=300, usage_rows=20_000, seed=11)
    written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert written == sorted(
        p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file()
    )
    for name in written:
        assert (out / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
    generate(tmp_path / "other", accounts=300, usage_rows=20_000, seed=12)
    assert (tmp_path / "other" / "customers.jsonl").read_bytes() != (
        out / "customers.jsonl"
    ).read_bytes()


def test_every_record_is_a_valid_cip_record_with_a_known_parent(
    sample: tuple[Path, Truth],
) -> None:
    out, _truth = sample
    got = records(out)
    ids = [r.account_id for r in got]
    assert len(ids) == 300 and len(set(ids)) == 300
    assert all(r.parent_account_id in set(ids) for r in got if r.parent_account_id)


def test_access_and_usage_follow_the_interchange_formats(sample: tuple[Path, Truth]) -> None:
    out, _truth = sample
    ids = {r.account_id for r in records(out)}
    with (out / "access.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["account_id", "ts", "ip", "kind"]
    assert {r["account_id"] for r in rows} <= ids
    con = duckdb.connect()
    try:
        path = str(out / "usage.parquet")
        columns = [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()]
        used = {a for (a,) in con.execute(f"SELECT DISTINCT account_id FROM '{path}'").fetchall()}
        [(n, bad)] = con.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (end_time <= start_time) FROM '{path}'"
        ).fetchall()
    finally:
        con.close()
    assert columns == list(USAGE_COLUMNS)
    assert used <= ids and bad == 0
    assert n >= 20_000  # the rows asked for, and more where the planted runs need them


def test_the_lists_read_without_a_rejected_row(sample: tuple[Path, Truth]) -> None:
    out, _truth = sample
    results = read_lists(sorted((out / "lists").iterdir()))
    assert all(not r.errors for r in results)
    assert sum(len(r.parties) for r in results) > 20


def test_truth_plants_every_rule_on_real_accounts(sample: tuple[Path, Truth]) -> None:
    out, truth = sample
    ids = {r.account_id for r in records(out)}
    assert set(truth.rules) == set(EVALUATORS)
    assert all(truth.rules[rule] for rule in EVALUATORS)
    planted = {a for accounts in truth.rules.values() for a in accounts}
    near = {a for accounts in truth.near_misses.values() for a in accounts}
    assert planted | near | set(truth.ordinary) <= ids
    assert len(truth.ordinary) >= 0.7 * len(ids)  # the planted cases are a minority
    assert not planted & set(truth.ordinary)
    assert Truth.load(out / "truth.json").to_json() == truth.to_json()
    assert json.loads((out / "truth.json").read_text("utf-8"))["rules"]["TRAINING-RUN"]
