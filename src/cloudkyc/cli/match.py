"""`cloudkyc match`: score labelled or unlabelled name pairs, e.g. to tune a threshold."""

from __future__ import annotations

from pathlib import Path

import typer

from cloudkyc.cli.common import advance, progress_bar, report_rejected
from cloudkyc.errors import BadInput
from cloudkyc.names import compare_names
from cloudkyc.settings import get_settings
from cloudkyc.tabular import read_rows, write_csv


def match(
    pairs: Path = typer.Option(..., "--pairs", help="pairs.csv: name1,name2[,schema]"),
    output: Path = typer.Option(..., "--output", help="scores.csv to write."),
    threshold: float | None = typer.Option(
        None, "--threshold", min=0.0, max=1.0, help="Match threshold (default from settings)."
    ),
) -> None:
    """Score name pairs: writes the input columns plus score (0..1) and match (true/false)."""
    cutoff = get_settings().screen_threshold if threshold is None else threshold
    errors: list[BadInput] = []
    rows = []
    good = list(read_rows(pairs, ("name1", "name2"), ("schema",), errors))
    with progress_bar("scoring", len(good)) as bar:
        for line, row in good:
            empty = [f for f in ("name1", "name2") if not row[f]]
            if empty:
                errors.append(BadInput("empty name", file=pairs, line=line, field=empty[0]))
                continue
            score = compare_names(row["name1"], row["name2"]).score
            rows.append(
                [
                    row["name1"],
                    row["name2"],
                    row.get("schema", ""),
                    f"{score:.4f}",
                    "true" if score >= cutoff else "false",
                ]
            )
            advance(bar)
    write_csv(output, ["name1", "name2", "schema", "score", "match"], rows)
    if errors:
        report_rejected(sorted(errors, key=lambda e: e.line or 0))  # in file order
        raise BadInput(f"{len(errors)} row(s) rejected; the other pairs were scored", file=pairs)
