"""Procurement-notice monitor on the real notices: field accuracy against the values read by
hand (tests/fixtures/tenders/real_notices.expected.yaml) and notices read per second.

Run: .venv/bin/python bench/tenders.py [--repeat N]

Accuracy counts each checked field of each notice once (a supplier list is right only when
every supplier, role, lot and amount is). Speed is the median of N passes over the set, text
notices and the 37-page PDF reported apart, since pdfplumber's layout analysis dominates.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from cloudkyc.tenders.extract import read_notice

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tenders"
sys.path.insert(0, str(ROOT / "tests" / "tenders"))

from expected import field_results, load_expected  # noqa: E402


def accuracy() -> None:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for name, want in load_expected().items():
        got = read_notice(DATA / name).to_json()
        for field, (expected, extracted) in field_results(want, got).items():
            total[field] += 1
            if expected == extracted:
                right[field] += 1
            else:
                misses.append(f"  {name} {field}: expected {expected!r}, got {extracted!r}")
        total["no flag"] += 1
        right["no flag"] += not got["flags"]
    print(f"field accuracy on {len(load_expected())} real notices:")
    for field in total:
        print(f"  {field:14} {right[field]:3}/{total[field]:<3}")
    print(f"  {'all':14} {sum(right.values()):3}/{sum(total.values())}")
    print("\n".join(misses) or "  no miss")


def speed(repeat: int) -> None:
    for label, paths in (
        ("text", sorted(DATA.glob("*.txt"))),
        ("pdf", sorted(DATA.rglob("*.pdf"))),
    ):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            for path in paths:
                read_notice(path)
            times.append(time.perf_counter() - start)
        best = statistics.median(times)
        print(
            f"{label:5} {len(paths):3} notices in {best:.3f} s: {len(paths) / best:8.1f} notices/s"
        )


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"real notices not found at {DATA}")
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    accuracy()
    speed(repeat)


if __name__ == "__main__":
    main()
