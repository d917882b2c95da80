"""Adapters from public GPU cluster traces to run features, and the classifier's score on them.

Each trace has its own schema and lacks some signals; an adapter maps only what the trace
says and leaves the rest unknown (None). What each one knows (paths under the traces root,
described in shared/data/traces/README.md):

* philly, `alibaba_v2020_derived/philly_runtime.csv`, training: the duration only.
* pai, `alibaba_v2020_derived/minibatch_job_*_norm.csv`, training: chips (workers x GPU
  share) and the shape of the iteration times; no duration in seconds.
* dlrm, `alibaba_v2025/disaggregated_DLRM_trace.csv`, inference: chips and times per
  instance, stitched per service.
* genai, `alibaba_v2026_genai/pod_gpu_duty_cycle_anon.csv`, inference: the GPU duty cycle
  over time per container; no chip count.

No trace records internode traffic or SM activity, so those signals are always missing.

`python -m cloudkyc.compute.traces /path/to/shared/data/traces [--min-signals N]` prints the
precision and recall table of the README.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cloudkyc.compute.detect import classify_run
from cloudkyc.compute.runs import Interval, Run, stitch, weighted_cv
from cloudkyc.policy import Pack, select

PHILLY = "alibaba_v2020_derived/philly_runtime.csv"
PAI_GLOB = "alibaba_v2020_derived/minibatch_job_*_norm.csv"
DLRM = "alibaba_v2025/disaggregated_DLRM_trace.csv"
GENAI = "alibaba_v2026_genai/pod_gpu_duty_cycle_anon.csv"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _num(text: str | None) -> float | None:
    if text is None or text.strip() == "" or text.strip().lower() == "nan":
        return None
    return float(text)


def philly_runs(root: Path) -> list[Run]:
    """One run per Philly job; the file holds only its runtime in seconds. Chips, activity,
    shape and traffic are unknown."""
    runs = []
    for i, row in enumerate(_rows(root / PHILLY)):
        seconds = _num(row["runtime"])
        runs.append(Run(run_id=f"philly/{i}", account_id=None, seconds=seconds))
    return runs


def pai_runs(root: Path) -> list[Run]:
    """One run per PAI job file (one row = one worker x iteration). Chips = the sum over
    workers of the GPU share requested (`gpu` is a percentage of one GPU). Shape = the median
    over workers of the coefficient of variation of the normalised iteration time: a steady
    training loop repeats iterations of equal length. Iterations are normalised (0-1000), so
    the duration in seconds is unknown; so are activity and traffic."""
    runs = []
    for path in sorted(root.glob(PAI_GLOB)):
        share: dict[str, float] = {}
        times: dict[str, list[float]] = defaultdict(list)
        for row in _rows(path):
            share[row["worker"]] = float(row["gpu"]) / 100.0
            times[row["worker"]].append(float(row["batch_time_norm"]))
        cvs = [cv for v in times.values() if (cv := weighted_cv([(t, 1.0) for t in v]))]
        runs.append(
            Run(
                run_id=f"pai/{path.stem}",
                account_id=None,
                chips=math.fsum(share.values()),
                activity_cv=statistics.median(cvs) if cvs else None,
            )
        )
    return runs


def dlrm_intervals(root: Path) -> list[Interval]:
    """One interval per GPU instance of the DLRM serving trace (CPU-only instances carry no
    chips and are left out). The service (`app_name`) stands for the account; there are no job
    ids. Times missing from the trace (outside its window) are clipped to the window. GPU type,
    utilisation and traffic are unknown (`rdma_request` is a reservation, not traffic)."""
    rows = list(_rows(root / DLRM))
    stamps = [
        t
        for row in rows
        for t in (
            _num(row["creation_time"]),
            _num(row["scheduled_time"]),
            _num(row["deletion_time"]),
        )
        if t is not None
    ]
    lo, hi = min(stamps), max(stamps)
    out = []
    for row in rows:
        chips = _num(row["gpu_request"]) or 0.0
        if chips <= 0:
            continue
        start = _num(row["scheduled_time"])
        end = _num(row["deletion_time"])
        start = lo if start is None else start
        end = hi if end is None else end
        if end <= start:
            continue
        out.append(
            Interval(
                account_id=row["app_name"],
                resource_id=row["instance_sn"],
                job_id=None,
                accelerator_id=None,
                chips=chips,
                start_ts=start,
                end_ts=end,
                seconds=end - start,
            )
        )
    return out


def dlrm_runs(root: Path, pack: Pack) -> list[Run]:
    """The DLRM instances stitched as a provider would: per service, co-scheduled instances
    and gaps under the pack's `stitch_gap_seconds` join."""
    return stitch(dlrm_intervals(root), float(pack.data["stitch_gap_seconds"]))


def genai_runs(root: Path) -> list[Run]:
    """One run per serving container: duration from its first to its last sample, GPU
    utilisation = mean duty cycle, shape = coefficient of variation of the duty-cycle samples.
    The duty cycle is kernel-busy time (GPU utilisation), not SM activity; the chip count and
    traffic are unknown."""
    samples: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in _rows(root / GENAI):
        value, ts = _num(row["value"]), _num(row["timestamp_anon"])
        if value is not None and ts is not None:
            samples[row["container_ip"]].append((ts, value / 100.0))
    runs = []
    for container, points in sorted(samples.items()):
        points.sort()
        values = [v for _, v in points]
        runs.append(
            Run(
                run_id=f"genai/{container}",
                account_id=None,
                seconds=points[-1][0] - points[0][0],
                gpu_utilization=statistics.fmean(values),
                activity_cv=weighted_cv([(v, 1.0) for v in values]),
            )
        )
    return runs


@dataclass(frozen=True)
class TraceScore:
    trace: str
    truth: str  # "training" or "inference"
    runs: int
    training: int
    inference: int
    undetermined: int
    missing: dict[str, int]  # signal -> runs where it was missing


def score_trace(
    trace: str, truth: str, runs: list[Run], pack: Pack, min_signals: int | None = None
) -> TraceScore:
    counts = {"training": 0, "inference": 0, "undetermined": 0}
    missing: dict[str, int] = defaultdict(int)
    for run in runs:
        c = classify_run(run, pack, min_signals=min_signals)
        counts[c.label] += 1
        for name in c.missing_signals:
            missing[name] += 1
    return TraceScore(trace, truth, len(runs), **counts, missing=dict(missing))


TRACES: dict[str, tuple[str, Callable[[Path, Pack], list[Run]]]] = {
    "philly": ("training", lambda root, pack: philly_runs(root)),
    "pai": ("training", lambda root, pack: pai_runs(root)),
    "dlrm": ("inference", dlrm_runs),
    "genai": ("inference", lambda root, pack: genai_runs(root)),
}


def evaluate(root: Path, pack: Pack, min_signals: int | None = None) -> list[TraceScore]:
    return [
        score_trace(name, truth, load(root, pack), pack, min_signals)
        for name, (truth, load) in TRACES.items()
    ]


def precision_recall(scores: list[TraceScore], label: str) -> tuple[float | None, float | None]:
    """Precision and recall of `label` over the traces given (each trace is all one class);
    None where undefined (nothing predicted, or no run of that class)."""
    predicted = sum(getattr(s, label) for s in scores)
    true_pos = sum(getattr(s, label) for s in scores if s.truth == label)
    actual = sum(s.runs for s in scores if s.truth == label)
    precision = true_pos / predicted if predicted else None
    recall = true_pos / actual if actual else None
    return precision, recall


def _f(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def table(scores: list[TraceScore]) -> str:
    head = (
        "| trace | class | runs | -> training | -> inference | -> undetermined"
        " | training P / R | inference P / R | signals missing (runs) |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for s in [*scores, None]:
        group = scores if s is None else [s]
        tp, tr = precision_recall(group, "training")
        ip, ir = precision_recall(group, "inference")
        if s is None:
            runs = sum(g.runs for g in group)
            cells = ["overall", "both", f"{runs:,}"]
            cells += [f"{sum(getattr(g, k) for g in group):,}" for k in ("training", "inference")]
            cells += [f"{sum(g.undetermined for g in group):,}"]
            missing = ""
        else:
            cells = [s.trace, s.truth, f"{s.runs:,}", f"{s.training:,}", f"{s.inference:,}"]
            cells += [f"{s.undetermined:,}"]
            missing = ", ".join(f"{k} {v:,}" for k, v in sorted(s.missing.items()))
        cells += [f"{_f(tp)} / {_f(tr)}", f"{_f(ip)} / {_f(ir)}", missing]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cloudkyc.compute.traces", description=__doc__)
    parser.add_argument("root", type=Path, help="the traces directory (shared/data/traces)")
    parser.add_argument("--min-signals", type=int, default=None, help="override the pack's")
    args = parser.parse_args(argv)
    pack = select("compute-accounting")
    print(f"policy pack {pack.id}; training_signals {pack.data['training_signals']}")
    print(table(evaluate(args.root, pack, args.min_signals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
