"""report.html of `cloudkyc run`: what was read, what was skipped and why, the alerts by rule
with their evidence, and the groups of linked accounts with their compute. One file with its
style inline, so it opens offline and can be mailed or archived as it is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cloudkyc.detection.facts import Facts
from cloudkyc.detection.rules import SEVERITIES
from cloudkyc.reports.render import environment, generated_at
from cloudkyc.tabular import atomic_writer

if TYPE_CHECKING:
    from cloudkyc.pipeline import PipelineResult

MAX_SKIPPED_SHOWN = 1000  # a file with a million bad rows would otherwise make the report useless


def render_run_report(result: PipelineResult, facts: Facts) -> str:
    by_rule: dict[str, dict[str, int]] = {}
    for alert in result.alerts:
        row = by_rule.setdefault(alert["rule"], dict.fromkeys(SEVERITIES, 0))
        row[alert["severity"]] += 1
    groups = [
        {
            "id": gid,
            "members": members,
            "window_flop_central": t.window_flop_central
            if (t := facts.group_totals.get(gid))
            else None,
            "thresholds": t.thresholds if t else "",
        }
        for gid, members in sorted(result.groups.items())
    ]
    skipped = [str(e) for e in result.skipped]
    context: dict[str, Any] = {
        "generated": generated_at(),
        "result": result,
        "severities": list(reversed(SEVERITIES)),
        "by_rule": dict(sorted(by_rule.items())),
        "groups": groups,
        "skipped": skipped[:MAX_SKIPPED_SHOWN],
        "skipped_hidden": max(0, len(skipped) - MAX_SKIPPED_SHOWN) + result.skipped_more,
    }
    return environment().get_template("run.html.j2").render(**context)


def write_run_report(result: PipelineResult, facts: Facts, path: Path) -> None:
    html = render_run_report(result, facts)
    with atomic_writer(path) as handle:
        handle.write(html)
