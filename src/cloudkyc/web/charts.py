"""Charts drawn on the server as SVG: no script, no CDN, readable in any browser and in a
screenshot. Compute spans nine orders of magnitude, so its axes are logarithmic, with the
reporting thresholds of the compute pack drawn across them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from cloudkyc.compute.estimate import compute_pack

FLOOR = 1e18  # the left or bottom edge of a compute axis: a few GPU-hours
COLOURS = ("#1f5fa8", "#b3541e", "#2e7d32", "#7b3fa0", "#a8326e", "#00796b")


@dataclass(frozen=True)
class Threshold:
    id: str
    flop: float


@dataclass(frozen=True)
class Bar:
    label: str
    flop: float
    href: str | None = None
    upper: float | None = None  # the upper bound, drawn as a thin tick beside the bar
    flagged: bool = False  # marked: a rule holds it against a threshold (an alert)
    flag: str = ""  # what the mark means, for its tooltip


FLAG = "#b00020"
TICKS = 5  # date labels along a time axis: the first day, the last, and between


def thresholds() -> list[Threshold]:
    """The compute pack's thresholds, smallest first (1e23, 1e25, 1e26 today)."""
    pack = compute_pack()
    return sorted(
        (Threshold(t["id"], float(t["flop"])) for t in pack.data["thresholds"]),
        key=lambda t: t.flop,
    )


def fmt(flop: float) -> str:
    return "0" if flop <= 0 else f"{flop:.2e}".replace("e+", "e")


def _log_range(values: Sequence[float], lines: Sequence[Threshold]) -> tuple[float, float]:
    top = max([*values, *(t.flop for t in lines)], default=1e26)
    return math.log10(FLOOR), math.ceil(math.log10(top) + 0.3)


def _svg(width: int, height: int, title: str, body: list[str], kind: str = "chart") -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart {kind}"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _empty(title: str, text: str) -> Markup:
    """A chart with nothing to draw: a plain paragraph, not an SVG scaled to the page width
    (whose few words would be drawn huge)."""
    return Markup(f'<p class="chart-empty">{escape(title)}: {escape(text)}</p>')


def threshold_bars(bars: Sequence[Bar], title: str, width: int = 720) -> Markup:
    """Horizontal bars of compute on a log scale with a vertical line at each threshold."""
    lines = thresholds()
    left, right, row = 170, 20, 22
    height = 40 + row * max(len(bars), 1)
    lo, hi = _log_range([max(b.flop, b.upper or 0) for b in bars], lines)

    def x(flop: float) -> float:
        v = math.log10(max(flop, FLOOR))
        return left + (width - left - right) * (v - lo) / (hi - lo)

    body = [f'<text x="{left}" y="14" class="axis">FLOP, log scale</text>']
    for i, bar in enumerate(bars):
        y = 24 + i * row
        label = escape(bar.label if len(bar.label) <= 22 else bar.label[:21] + "…")
        mark = " ⚑" if bar.flagged else ""
        text = f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{label}{mark}</text>'
        if bar.href:
            text = f'<a href="{escape(bar.href)}">{text}</a>'
        body.append(text)
        tip = f"{label}: {fmt(bar.flop)} FLOP (central)"
        if bar.upper is not None:
            tip += f", upper bound {fmt(bar.upper)}"
        if bar.flagged:
            tip += f"; {escape(bar.flag)}"
        colour = FLAG if bar.flagged else COLOURS[0]
        cls = "bar flagged" if bar.flagged else "bar"
        body.append(
            f'<rect x="{left}" y="{y + 3}" width="{x(bar.flop) - left:.1f}" height="{row - 7}" '
            f'fill="{colour}" class="{cls}"><title>{tip}</title></rect>'
        )
        end = x(bar.flop)
        if bar.upper is not None and bar.upper > 0:
            end = max(end, x(bar.upper))
            body.append(
                f'<line x1="{x(bar.upper):.1f}" x2="{x(bar.upper):.1f}" y1="{y + 1}" '
                f'y2="{y + row - 2}" class="upper" stroke="{COLOURS[1]}" stroke-width="1.5">'
                f"<title>{label}: upper bound {fmt(bar.upper)} FLOP</title></line>"
            )
        body.append(f'<text x="{end + 6:.1f}" y="{y + 13}" class="value">{fmt(bar.flop)}</text>')
    if not bars:
        return _empty(title, "no compute recorded")
    for t in lines:
        body.append(
            f'<line x1="{x(t.flop):.1f}" x2="{x(t.flop):.1f}" y1="18" y2="{height}" '
            f'class="threshold"/><text x="{x(t.flop) + 3:.1f}" y="{height - 3}" '
            f'class="threshold-label">{escape(t.id)}</text>'
        )
    return _svg(width, height, title, body)


def compute_over_time(
    series: dict[str, Sequence[tuple[str, float]]], title: str, width: int = 720
) -> Markup:
    """The rolling window's compute day by day, one line per account or group, against the
    thresholds it may cross; `series` maps a label to (YYYY-MM-DD, FLOP) points in order."""
    lines = thresholds()
    height, left, right, top, bottom = 260, 70, 110, 16, 34
    days = sorted({d for points in series.values() for d, _ in points})
    values = [v for points in series.values() for _, v in points]
    if not days:
        return _empty(title, "no compute recorded")
    lo = math.floor(math.log10(max(min([v for v in values if v > 0], default=FLOOR), FLOOR)))
    hi = math.ceil(math.log10(max([*values, lines[0].flop]) * 1.5))
    shown = [t for t in lines if t.flop <= 10**hi]
    first = dt.date.fromisoformat(days[0])
    span = max((dt.date.fromisoformat(days[-1]) - first).days, 1)

    def offset(day: str) -> int:
        return (dt.date.fromisoformat(day) - first).days

    def x(day: str) -> float:
        return left + (width - left - right) * offset(day) / span

    def y(flop: float) -> float:
        v = min(max(math.log10(max(flop, 10**lo)), lo), hi)
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    body = []
    for exp in range(lo, hi + 1, max(1, (hi - lo) // 5)):
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(10**exp):.1f}" '
            f'y2="{y(10**exp):.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{y(10**exp) + 4:.1f}" text-anchor="end" '
            f'class="axis">1e{exp}</text>'
        )
    ticks = sorted({round(span * i / TICKS) for i in range(TICKS + 1)})
    for n in ticks:
        day = (first + dt.timedelta(days=n)).isoformat()
        tx = left + (width - left - right) * n / span
        body.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{height - bottom}" '
            f'y2="{height - bottom + 4}" class="grid tick"/>'
            f'<text x="{tx:.1f}" y="{height - 6}" text-anchor="middle" class="axis">'
            f"{escape(day)}</text>"
        )
    for t in shown:
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(t.flop):.1f}" y2="{y(t.flop):.1f}" '
            f'class="threshold"/><text x="{width - right + 4}" y="{y(t.flop) + 4:.1f}" '
            f'class="threshold-label">{escape(t.id)}</text>'
        )
    for i, (label, points) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        for run in _runs(points):  # a day without a row is a gap, not a straight line
            if len(run) == 1:
                ((d, v),) = run
                body.append(
                    f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}">'
                    f"<title>{escape(label)}: {escape(d)}</title></circle>"
                )
                continue
            path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in run)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2">'
                f"<title>{escape(label)}</title></polyline>"
            )
        if len(series) > 1 and i < 6:
            body.append(
                f'<text x="{left + 8}" y="{top + 12 + 14 * i}" style="fill:{colour}">'
                f"{escape(label)}</text>"
            )
    return _svg(width, height, title, body)


def _runs(points: Sequence[tuple[str, float]]) -> list[list[tuple[str, float]]]:
    """The points split where a day is missing: each run covers consecutive days."""
    runs: list[list[tuple[str, float]]] = []
    previous: dt.date | None = None
    for day, value in points:
        date = dt.date.fromisoformat(day)
        if previous is None or (date - previous).days != 1:
            runs.append([])
        runs[-1].append((day, value))
        previous = date
    return runs


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str
    strong: bool


def link_graph(
    centre: str, edges: Sequence[Edge], href: dict[str, str], title: str, size: int = 360
) -> Markup:
    """The accounts linked to `centre`, on a circle around it: solid lines are strong links
    (they make a group), dashed ones weak; every node links to its account's page."""
    others = sorted(({e.a for e in edges} | {e.b for e in edges}) - {centre})[:24]
    if not others:
        return _empty(title, "no linked accounts")
    c, r = size / 2, size / 2 - 60
    pos = {centre: (c, c)}
    for i, node in enumerate(others):
        angle = 2 * math.pi * i / len(others) - math.pi / 2
        pos[node] = (c + r * math.cos(angle), c + r * math.sin(angle))
    body = []
    seen: set[tuple[str, str]] = set()
    for e in sorted(edges, key=lambda e: not e.strong):
        pair = (min(e.a, e.b), max(e.a, e.b))
        if e.a not in pos or e.b not in pos or pair in seen:
            continue
        seen.add(pair)
        (x1, y1), (x2, y2) = pos[e.a], pos[e.b]
        style = "link-strong" if e.strong else "link-weak"
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="{style}">'
            f"<title>{escape(e.a)} – {escape(e.b)}: {escape(e.kind)}</title></line>"
        )
    for node, (nx, ny) in pos.items():
        cls = "node-centre" if node == centre else "node"
        shape = (
            f'<circle cx="{nx:.1f}" cy="{ny:.1f}" r="9" class="{cls}"/>'
            f'<text x="{nx:.1f}" y="{ny + 22:.1f}" text-anchor="middle">{escape(node)}</text>'
        )
        if node in href and node != centre:
            shape = f'<a href="{escape(href[node])}">{shape}</a>'
        body.append(shape)
    return _svg(size, size, title, body, "graph")
