"""Server-side SVG charts: log-scaled compute against the pack's thresholds, and a graph of
linked accounts; labels are escaped and nothing is fetched from anywhere."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from cloudkyc.web.charts import Bar, Edge, compute_over_time, link_graph, threshold_bars


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]


def test_bars_grow_with_the_log_of_compute_and_cross_the_threshold_lines() -> None:
    svg = threshold_bars(
        [Bar("big", 2e25, "/customers/big"), Bar("mid", 1e23), Bar("<small>", 1e19)], "t"
    )
    big, mid, small = widths(svg)
    assert big > mid > small > 0
    assert abs((big - mid) / (mid - small) - 2.3 / 4) < 0.01  # log10: 2.3 decades, then 4
    for label in ("early-1e23", "eu-1e25", "us-1e26"):
        assert label in svg
    assert "&lt;small&gt;" in svg and "<small>" not in svg
    assert 'href="/customers/big"' in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_compute_over_time_draws_a_line_per_series_and_the_threshold_it_nears() -> None:
    svg = compute_over_time(
        {
            "acct-1": [("2026-01-01", 1e21), ("2026-01-02", 5e22)],
            "group g": [("2026-01-01", 2e21), ("2026-01-02", 1.5e23)],
        },
        "t",
    )
    tree = LexborHTMLParser(svg)
    assert len(tree.css("polyline")) == 2
    assert "early-1e23" in svg and "us-1e26" not in svg  # far above the data: not drawn
    assert "2026-01-01" in svg and "2026-01-02" in svg
    assert "no compute" in compute_over_time({}, "t")


def test_link_graph_puts_every_linked_account_around_the_centre() -> None:
    edges = [Edge("a", "b", "phone", True), Edge("a", "c", "ip", False), Edge("b", "a", "x", True)]
    svg = link_graph("a", edges, {"b": "/customers/b", "c": "/customers/c"}, "t")
    tree = LexborHTMLParser(svg)
    circles = tree.css("circle")
    assert len(circles) == 3
    (centre,) = [c for c in circles if "node-centre" in (c.attributes.get("class") or "")]
    assert (centre.attributes["cx"], centre.attributes["cy"]) == ("180.0", "180.0")  # the middle
    assert len(tree.css("line.link-strong")) == 1 and len(tree.css("line.link-weak")) == 1
    assert 'href="/customers/b"' in svg and 'href="/customers/a"' not in svg
    assert "no linked accounts" in link_graph("a", [], {}, "t")


def test_time_axis_places_days_by_date_leaves_gaps_and_labels_between_the_ends() -> None:
    svg = compute_over_time(
        {"a": [("2026-01-01", 1e21), ("2026-01-02", 2e21), ("2026-01-11", 3e21)]}, "t"
    )
    tree = LexborHTMLParser(svg)
    (line,) = tree.css("polyline")  # 1st and 2nd day joined; the 11th alone, after a gap
    (dot,) = tree.css("circle")
    xs = [float(p.split(",")[0]) for p in line.attributes["points"].split()]
    step = xs[1] - xs[0]
    assert abs(float(dot.attributes["cx"]) - xs[0] - 10 * step) < 0.2  # ten days along
    labels = [t.text() for t in tree.css("text.axis") if t.text().startswith("2026-")]
    assert labels[0] == "2026-01-01" and labels[-1] == "2026-01-11" and len(labels) >= 4
    assert "2026-01-05" in labels or "2026-01-03" in labels


def test_upper_bounds_are_ticks_and_flagged_bars_are_marked() -> None:
    svg = threshold_bars(
        [
            Bar("hot", 5e22, "/customers/hot", upper=2e23, flagged=True, flag="open THRESHOLD"),
            Bar("calm", 1e22, upper=3e22),
        ],
        "t",
    )
    tree = LexborHTMLParser(svg)
    assert len(tree.css("line.upper")) == 2
    (flagged,) = tree.css("rect.flagged")
    assert "open THRESHOLD" in flagged.text() and "upper bound 2.00e23" in flagged.text()
    assert "hot ⚑" in svg and "calm ⚑" not in svg
    upper = float(tree.css("line.upper")[0].attributes["x1"])
    assert upper > float(flagged.attributes["width"]) + 170  # the tick is past the bar's end


def test_empty_charts_are_a_plain_paragraph_not_a_scaled_svg() -> None:
    for markup in (
        compute_over_time({}, "Compute"),
        threshold_bars([], "Top"),
        link_graph("a", [], {}, "Linked"),
    ):
        assert markup.startswith("<p") and "<svg" not in markup
