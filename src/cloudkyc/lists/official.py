"""The source ids the official list parsers produce, taken from the parsers themselves.

Loading a source replaces everything stored under its id, so a user-written file (a watchlist)
must never carry one of these ids: one row would otherwise replace the whole SDN list.
"""

from __future__ import annotations

from cloudkyc.lists import bis, csl, ftm, ofac_csv, state

# ofac-xml reads into the OFAC CSV families' ids, csl-json into the CSL's
OFFICIAL_SOURCES: frozenset[str] = frozenset(
    {*ofac_csv.FAMILIES, *bis.LIST_NAMES, csl.SOURCE, state.ISN_SOURCE, state.DTC_SOURCE}
)
# parsers that make ids from the file's content: "bis-<Source List code>", "ftm..."
OFFICIAL_PREFIXES: tuple[str, ...] = (bis.SOURCE_PREFIX, ftm.SOURCE)


def is_official(source: str) -> bool:
    """True for an id an official list is stored under (compared without case or padding)."""
    key = source.strip().casefold()
    return key in OFFICIAL_SOURCES or key.startswith(OFFICIAL_PREFIXES)
