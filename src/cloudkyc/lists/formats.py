"""Which parser reads a file: the registry of list formats and detection by name and header.

Detection looks only at the file name and the first line, so a wrong guess is impossible to
miss: a file no rule recognises is refused with the list of formats that `--format` accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import orjson

from cloudkyc.errors import BadInput
from cloudkyc.lists import bis, csl, ftm, ofac_csv, ofac_xml, state, watchlist
from cloudkyc.lists.model import ParseResult

Reader = Callable[[Path], ParseResult]

FORMATS: dict[str, Reader] = {
    "ofac-csv": ofac_csv.read,
    "ofac-xml": ofac_xml.read,
    "csl-csv": csl.read_csv,
    "csl-json": csl.read_json,
    "ftm": ftm.read,
    "bis-el": bis.read_entity_list,
    "bis-uvl": bis.read_unverified,
    "bis-dpl": bis.read_denied_persons,
    "state-isn": state.read_isn,
    "state-dtc": state.read_dtc,
    "watchlist": watchlist.read,
}
# first line, lower case, quotes removed -> format
HEADERS: list[tuple[str, str]] = [
    ("_id,source,", "csl-csv"),
    ("source,entity_number,", "csl-csv"),
    ("source list,entity number", "bis-el"),
    ("source list,programs,name,alternative names", "state-isn"),
    ("country,name,address", "bis-uvl"),
    ("name\tstreet_address", "bis-dpl"),
    ("party name,date of birth", "state-dtc"),
    ("id,name,aliases,type", "watchlist"),
]
PEEK_BYTES = 1 << 16


def _known() -> str:
    return ", ".join(FORMATS)


def detect_format(path: Path) -> str:
    """Format name of a list file, or of a directory holding one OFAC CSV trio."""
    if path.is_dir():
        _check_trio_dir(path)
        return "ofac-csv"
    if ofac_csv.family_of(path):
        return "ofac-csv"
    try:
        with path.open("rb") as fh:
            head = fh.read(PEEK_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror or exc}", file=path) from None
    first = head.split("\n", 1)[0].strip()
    if head.lstrip().startswith("<"):
        if "sdnList" in head:
            return "ofac-xml"
    elif first.startswith("{") and _is_ftm_line(first):
        return "ftm"
    elif path.suffix.lower() == ".json":
        return "csl-json"
    else:
        header = first.replace('"', "").lower()
        for prefix, fmt in HEADERS:
            if header.startswith(prefix):
                return fmt
    raise BadInput(f"unknown list format; name one with --format: {_known()}", file=path, line=1)


def _is_ftm_line(line: str) -> bool:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:  # a line longer than the peek: look for the key instead
        return re.search(r'"schema"\s*:', line) is not None
    return isinstance(obj, dict) and "schema" in obj


def _check_trio_dir(path: Path) -> None:
    try:
        members = list(path.iterdir())
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror or exc}", file=path) from None
    others = sorted(
        p.name
        for p in members
        if p.is_file() and not p.name.startswith(".") and not ofac_csv.family_of(p)
    )
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise BadInput(
            f"is a directory holding files that are not an OFAC CSV trio ({shown}); "
            "name the list files to load",
            file=path,
        )
    ofac_csv.trio_files(path)  # raises unless exactly one trio is there


def read_list(path: Path, fmt: str | None = None) -> ParseResult:
    """Parse one list: a file, a member of an OFAC trio (siblings join), or a trio directory."""
    if not path.exists():
        raise BadInput("no such file or directory", file=path)
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise BadInput(f"unknown format {fmt!r}; known formats: {_known()}", file=path)
    if path.is_dir() and fmt != "ofac-csv":
        raise BadInput("is a directory; name the list files to load", file=path)
    return FORMATS[fmt](path)


def read_lists(
    paths: Iterable[Path],
    fmt: str | None = None,
    failures: list[BadInput] | None = None,
    progress: Callable[[], None] | None = None,
) -> list[ParseResult]:
    """Parse several lists, reading an OFAC trio once however many of its files are named.
    With `failures`, a path that cannot be read is put there and the others are still read;
    `progress` is called once per path."""
    results: list[ParseResult] = []
    seen: set[object] = set()
    for path in paths:
        try:
            key: object = path.resolve()
            if path.is_dir() or ofac_csv.family_of(path):
                source, files = ofac_csv.trio_files(path)
                key = (source, frozenset(p.resolve() for p in files.values()))
            if key not in seen:
                seen.add(key)
                results.append(read_list(path, fmt))
        except BadInput as exc:
            if failures is None:
                raise
            failures.append(exc)
        if progress is not None:
            progress()
    return results
