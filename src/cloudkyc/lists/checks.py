"""The checks a parsed list must pass before it may replace a stored source.

Storing a source replaces all of it, so a file that yielded nothing, or lost more rows than a
stray typo explains, would silently empty the list screening relies on. `lists update` and
`lists load` apply the same floors (no downloads here, so loading never imports httpx).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cloudkyc.errors import BadInput
from cloudkyc.lists.model import ParseResult

MAX_REJECTED_SHARE = 0.01  # more rejected rows than this means the format changed or broke
# a source keeping under 90% of its stored parties looks truncated (lists grow; mass
# delistings are rare and announced: `lists update --allow-shrink` lets one through)
MIN_KEPT = 0.9


def verify(
    result: ParseResult,
    stored: Mapping[str, int],
    min_parties: Mapping[str, int],
    max_rejected_share: float,
    min_kept: float,
) -> None:
    """Refuse a result that looks broken or truncated, naming the file and the reason."""
    where = result.files[0] if result.files else None
    count = len(result.parties)
    floor = min_parties.get(result.source, 1)
    if count < floor:
        raise BadInput(
            f"{result.source}: {count} parties read, expected at least {floor}", file=where
        )
    rejected = len(result.errors)
    if rejected > max_rejected_share * (count + rejected):
        first = result.errors[0].one_line()
        raise BadInput(
            f"{result.source}: {rejected} rows rejected against {count} parties read "
            f"(more than {max_rejected_share:.0%}); first: {first}",
            file=where,
        )
    before = stored.get(result.source, 0)
    if before and count < before * min_kept:
        raise BadInput(
            f"{result.source}: {count} parties, down from {before} stored; the file looks "
            "truncated (if the list really shrank, update with --allow-shrink)",
            file=where,
        )


def unloadable(results: Iterable[ParseResult]) -> list[BadInput]:
    """Why each source among `results` must not be stored: no parties, more than
    MAX_REJECTED_SHARE of its rows rejected, or party ids that two files both hold. Files of
    one source (two watchlists) count together; the file named is the one with the most
    rejected rows."""
    results = list(results)
    groups: dict[str, list[ParseResult]] = {}
    for result in results:
        groups.setdefault(result.source, []).append(result)
    failures = repeated_ids(results)
    for source, group in groups.items():
        group = sorted(group, key=lambda r: -len(r.errors))  # stable: ties keep their order
        merged = ParseResult(
            source=source,
            format=group[0].format,
            files=[f for r in group for f in r.files],
            parties=[p for r in group for p in r.parties],
            errors=[e for r in group for e in r.errors],
        )
        try:
            verify(merged, {}, {}, MAX_REJECTED_SHARE, 0.0)
        except BadInput as exc:
            failures.append(exc)
    return failures


def repeated_ids(results: Iterable[ParseResult]) -> list[BadInput]:
    """Party ids that two of `results` both hold, once per pair of files: the same list given
    twice in two forms (OFAC's sdn.xml and its CSV files), which cannot both be stored."""
    owner: dict[str, int] = {}
    shared: dict[tuple[int, int], list[str]] = {}
    results = list(results)
    for i, result in enumerate(results):
        for party in result.parties:
            first = owner.setdefault(party.id, i)
            if first != i:
                shared.setdefault((first, i), []).append(party.id)
    failures = []
    for (first, second), ids in shared.items():
        a, b = (_files(results[n]) for n in (first, second))
        some = (
            f"party id {ids[0]!r}" if len(ids) == 1 else f"{len(ids):,} party ids (e.g. {ids[0]!r})"
        )
        failures.append(
            BadInput(
                f"{some} read from both {a} and {b}: the same list in two files or forms; "
                "load only one of them",
                file=results[second].files[0] if results[second].files else None,
            )
        )
    return failures


def _files(result: ParseResult) -> str:
    """sdn.xml; or a trio as /dir/sdn.csv (with alt.csv, add.csv)."""
    if not result.files:
        return result.source
    first, *more = result.files
    return f"{first} (with {', '.join(f.name for f in more)})" if more else str(first)
