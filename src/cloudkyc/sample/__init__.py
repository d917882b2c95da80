"""Seeded sample data with planted circumvention cases: what `cloudkyc demo`, the tests and
bench/detect.py run on.

`generate(out, accounts=, usage_rows=, seed=)` writes into `out`:

  customers.jsonl      one CIP record a line (valid under customers.record.CipRecord)
  access.csv           account_id,ts,ip,kind: logins from addresses the bundled GeoLite2
                       data places in the account's country (planted cases excepted)
  usage.parquet        the usage schema of DESIGN.md, one row per node per hour, time order
  lists/fictional.csv  fictional listed parties of the planted cases (watchlist format)
  lists/sample.csv     the bundled sample list
  tenders/             short fictional Chinese procurement notices
  truth.json           which accounts must raise which rule, and which must raise nothing

The same seed and sizes write the same files, byte for byte.
"""

from __future__ import annotations

import random
from pathlib import Path

import orjson

from cloudkyc.errors import BadInput
from cloudkyc.sample import access, tenders, usage, watchlist
from cloudkyc.sample.customers import Builder, ordinary_population
from cloudkyc.sample.guard import guard
from cloudkyc.sample.model import WINDOW_DAYS, WINDOW_START
from cloudkyc.sample.names import Names
from cloudkyc.sample.places import AddressBook
from cloudkyc.sample.planted import Planter, minimum_accounts
from cloudkyc.sample.truth import Truth

__all__ = ["Truth", "generate", "minimum_accounts"]


def generate(out: Path, *, accounts: int = 2000, usage_rows: int = 200_000, seed: int = 7) -> Truth:
    """Write the sample into `out` (created if missing; the files it writes are replaced) and
    return what it planted. `usage_rows` is met approximately: the planted runs have the rows
    they need, the ordinary accounts share the rest."""
    least = minimum_accounts(accounts)
    if accounts < least:
        raise BadInput(
            f"at least {least} accounts are needed to hold the planted cases", field="--accounts"
        )
    out = Path(out)
    try:
        return _generate(out, accounts, usage_rows, seed)
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else out
        raise BadInput(f"cannot write the sample: {exc.strerror}", file=where) from exc


def _generate(out: Path, accounts: int, usage_rows: int, seed: int) -> Truth:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    builder = Builder(rng, Names(rng, watchlist.all_names()), AddressBook(rng))
    numbers = list(range(1, accounts + 1))
    rng.shuffle(numbers)  # planted cases are not told apart by their ids
    ids = iter(f"acct-{n:06d}" for n in numbers)

    planted = Planter(builder, ids, accounts).plant_all()
    ordinary = ordinary_population(builder, ids, accounts - len(planted.accounts))
    keep = {n for p in watchlist.FICTIONAL for n in (p.name, *p.aliases)}
    keep |= {n for b in planted.buyers for n in (b.name, b.name_local)}
    guard(planted.accounts + ordinary, builder.names, rng, keep, tenders.other_parties())
    planted_rows = sum(s.rows for s in planted.sessions)
    sessions = planted.sessions + usage.ordinary_sessions(
        rng, ordinary, max(0, usage_rows - planted_rows)
    )
    everyone = sorted(planted.accounts + ordinary, key=lambda a: a.id)

    with (out / "customers.jsonl").open("wb") as f:
        for acct in everyone:
            f.write(orjson.dumps(acct.record) + b"\n")
    events = access.write(out / "access.csv", everyone, rng, builder.ips)
    rows = usage.write_parquet(out / "usage.parquet", sessions, seed)
    parties = watchlist.write(out / "lists")
    for old in (out / "tenders").glob("*_award.txt") if (out / "tenders").is_dir() else ():
        old.unlink()  # notices of an earlier, larger sample
    notices = tenders.write(out / "tenders", planted.buyers)

    truth = Truth(
        rules=planted.rules,
        ordinary=[a.id for a in ordinary] + planted.quiet,
        near_misses=planted.near_misses,
    )
    truth.write(out / "truth.json")
    days = f"{WINDOW_DAYS} days from {WINDOW_START.date().isoformat()}"
    truth.files = {
        "customers.jsonl": f"{len(everyone)} accounts",
        "access.csv": f"{events} access events over {days}",
        "usage.parquet": f"{rows} usage rows over {days}",
        "lists/": f"{parties} listed parties",
        "tenders/": f"{len(notices)} procurement notices",
        "truth.json": f"{sum(len(v) for v in planted.rules.values())} planted subjects",
    }
    return truth
