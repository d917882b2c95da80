"""What the sample holds, for tests and benchmarks to score detection against (truth.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Truth:
    """`rules`: for every rule id of the catalog, the account ids that must raise it (every
    account of a split run for STRUCTURING; the accounts whose own compute crosses 1e23 FLOP
    for THRESHOLD). `ordinary`: account ids that must raise no alert at all (the ordinary
    customers and the near misses that tempt one rule and must raise none). `near_misses`:
    "RULE:what" -> account ids that must raise no alert of RULE. `files`: what was written,
    by file name (not part of truth.json)."""

    rules: dict[str, list[str]]
    ordinary: list[str]
    near_misses: dict[str, list[str]]
    files: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "rules": {rule: sorted(ids) for rule, ids in self.rules.items()},
            "ordinary": sorted(self.ordinary),
            "near_misses": {name: sorted(ids) for name, ids in sorted(self.near_misses.items())},
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Truth:
        data = json.loads(path.read_text("utf-8"))
        return cls(data["rules"], data["ordinary"], data["near_misses"])

    @staticmethod
    def rule_of(near_miss: str) -> str:
        """The rule a near miss must not raise: the part of its name before the colon."""
        return near_miss.split(":", 1)[0]
