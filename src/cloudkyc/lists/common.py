"""Helpers every list parser shares: strict text reading, CSV rows with line numbers, countries.

Lists arrive from many tools and decades, so the reading layer is strict where a silent guess
would corrupt names (a GBK file read as Latin-1 screens garbage) and forgiving only where the
repair is unambiguous (UTF-8 text carrying cp1252 quotes, a lone cp1252 dash in an ASCII file).
"""

from __future__ import annotations

import codecs
import csv
import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import pycountry

from cloudkyc.errors import BadInput
from cloudkyc.lists.model import Identifier, Party

log = logging.getLogger(__name__)

# cp1252 bytes 0x80-0x9F that some exporters wrote as the code points U+0080-U+009F.
_C1_TO_CP1252 = {
    cp: bytes([cp]).decode("cp1252")
    for cp in range(0x80, 0xA0)
    if cp not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
# Two high bytes in a row (every GB2312/GBK/Big5 hanzi) or a byte cp1252 leaves undefined.
_NOT_CP1252 = re.compile(rb"[\x80-\xff]{2}|[\x81\x8d\x8f\x90\x9d]")
_CSV_FIELD_LIMIT = 1 << 24
NUL = "\x00"
NUL_MESSAGE = "holds a NUL character (0x00), which no list text may contain"


def iter_lines(path: Path) -> Iterator[str]:
    """Decoded lines of `path`, line ends kept, streamed.

    UTF-8 (a BOM is dropped). A file that is not UTF-8 is read as cp1252 only when every byte
    above 0x7F stands alone between ASCII bytes and no earlier line held UTF-8 text: that is a
    Western file with the odd dash or accent, never a GBK/Big5 file, whose characters are byte
    pairs. Anything else raises BadInput naming the line of the first undecodable byte. OFAC's
    trailing Ctrl-Z line comes out as an empty line so that line numbers stay physical.
    """
    legacy = False
    seen_utf8 = False
    try:
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                if raw.rstrip(b"\r\n") == b"\x1a":
                    yield "\n"
                    continue
                if not legacy:
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        if seen_utf8 or _NOT_CP1252.search(raw):
                            raise _encoding_error(path, lineno, raw, exc) from None
                        legacy = True
                        log.warning("%s:%d: not UTF-8; reading it as cp1252", path, lineno)
                    else:
                        seen_utf8 = seen_utf8 or not raw.isascii()
                        yield text.translate(_C1_TO_CP1252)
                        continue
                if _NOT_CP1252.search(raw):
                    raise BadInput(
                        "mixes encodings (cp1252 above, something else here); save it as UTF-8",
                        file=path,
                        line=lineno,
                    )
                yield raw.decode("cp1252")
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror or exc}", file=path) from None


def _encoding_error(path: Path, lineno: int, raw: bytes, exc: UnicodeDecodeError) -> BadInput:
    byte = raw[exc.start]
    return BadInput(
        f"not UTF-8 (byte 0x{byte:02x} at column {exc.start + 1}); save the file as UTF-8",
        file=path,
        line=lineno,
    )


def read_text(path: Path) -> str:
    """The whole file, decoded by the rules of `iter_lines` (for JSON and XML documents)."""
    return "".join(iter_lines(path))


def iter_rows(
    path: Path, errors: list[BadInput], *, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """(physical start line, cells) of each non-blank CSV record.

    A record with bad quoting on its own line goes to `errors`. A quote that is never closed,
    or closed lines later, swallows the rows after it into one field: that raises BadInput for
    the whole file, since storing the rest would silently drop those rows.
    """
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(iter_lines(path), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num > start:
                raise BadInput(
                    f"bad quoting: {exc}; the quoted field opened here runs to line "
                    f"{reader.line_num}, swallowing the rows in between: fix the quote",
                    file=path,
                    line=start,
                ) from None
            errors.append(BadInput(f"bad quoting: {exc}", file=path, line=start))
            continue
        if any(c.strip() for c in cells):
            yield start, cells


def iter_records(
    path: Path,
    errors: list[BadInput],
    required: tuple[str, ...],
    *,
    min_cells: int | None = None,
    delimiter: str = ",",
    name_column: str = "name",
) -> Iterator[tuple[int, dict[str, str], list[str]]]:
    """(line, {lower-case column: clean value}, aliases printed in the name) of headed CSV rows.

    The header must hold the `required` columns; rows of the wrong width or without a name go
    to `errors`. The name loses its "(a.k.a. ...)" part, which comes back as aliases.
    """
    rows = iter_rows(path, errors, delimiter=delimiter)
    line, header = next(rows, (1, []))
    columns = [clean(h).lower() for h in header]
    while columns and not columns[-1]:
        columns.pop()
    missing = [c for c in required if c not in columns]
    if missing:
        raise BadInput(f"header lacks {', '.join(missing)}", file=path, line=line)
    for line, cells in rows:
        row = fit_row(cells, columns, path, line, required=min_cells)
        if isinstance(row, BadInput):
            errors.append(row)
            continue
        rec = {k: clean(v) for k, v in zip(columns, row, strict=True)}
        name, aliases = split_aka(rec[name_column])
        if name:
            rec[name_column] = name
            yield line, rec, aliases
        else:
            errors.append(BadInput("empty name", file=path, line=line, field=name_column))


def fit_row(
    cells: list[str],
    columns: list[str],
    path: Path,
    line: int,
    *,
    required: int | None = None,
) -> list[str] | BadInput:
    """`cells` padded to len(columns), or the BadInput for a row of the wrong width.

    Blank cells past the last column are dropped (spreadsheets add them); a row may stop after
    `required` cells when the columns after those are optional. A cell holding a NUL character
    rejects the row (no database can store it in a text column).
    """
    for i, cell in enumerate(cells):
        if NUL in cell:
            field = columns[i] if i < len(columns) else f"column {i + 1}"
            return BadInput(NUL_MESSAGE, file=path, line=line, field=field)
    want = len(columns)
    if len(cells) > want:
        if any(c.strip() for c in cells[want:]):
            return BadInput(f"has {len(cells)} fields, expected {want}", file=path, line=line)
        cells = cells[:want]
    if len(cells) < (want if required is None else required):
        return BadInput(
            f"has {len(cells)} fields, expected {want}",
            file=path,
            line=line,
            field=columns[len(cells)],
        )
    return cells + [""] * (want - len(cells))


def nul_field(value: object, where: str = "") -> str | None:
    """Path ("properties.name[1]") of the first string in decoded JSON holding a NUL, else None.

    JSON writes the character as an escape, so it survives parsing; the row must be rejected.
    """
    if isinstance(value, str):
        return where if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if (found := nul_field(item, f"{where}.{key}" if where else str(key))) is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if (found := nul_field(item, f"{where}[{i}]")) is not None:
                return found
    return None


def ofac(value: str) -> str:
    """An OFAC CSV cell with its "-0-" null marker and padding removed."""
    value = value.strip()
    return "" if value == "-0-" else value


def clean(value: str | None) -> str:
    """Trimmed text with inner runs of whitespace collapsed to one space."""
    return " ".join(value.split()) if value else ""


def split_list(value: str, sep: str = ";") -> list[str]:
    """Items of a separated field; BIS writes the last item of a list as "and X"."""
    items = []
    for item in value.split(sep):
        item = clean(item)
        if item.lower().startswith("and "):
            item = item[4:].strip()
        if item:
            items.append(item)
    return items


_AKA_WORD = r"(?:[afn][./]k[./]a|d[./]b[./]a)\.?"  # a.k.a., f.k.a., n.k.a., A/K/A, D/B/A
_AKA_PAREN = re.compile(rf"\s*\((?:{_AKA_WORD}|aka)\s+([^)]*)\)", re.IGNORECASE)
_AKA_INLINE = re.compile(rf",?\s+{_AKA_WORD}\s+", re.IGNORECASE)


def split_aka(name: str) -> tuple[str, list[str]]:
    """("Fleming, Brian Joseph", ["Brian Joseph McSulla"]) from a name that prints its aliases.

    Covers "Name (a.k.a. X; Y)" (ITAR debarred), "Name, a.k.a. X, a.k.a. Y" (Unverified List)
    and "NAME A/K/A X" or "NAME D/B/A X" (Denied Persons).
    """
    aliases: list[str] = []

    def take(m: re.Match[str]) -> str:
        aliases.extend(split_list(m.group(1)))
        return ""

    first, *rest = _AKA_INLINE.split(_AKA_PAREN.sub(take, name))
    return clean(first), aliases + [clean(r) for r in rest if clean(r)]


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats or blanks."""
    return list(dict.fromkeys(i for i in items if i))


# OFAC and BIS spellings that pycountry does not know; None means "not one country".
_COUNTRY_ALIASES: dict[str, str | None] = {
    "russia": "RU",
    "turkey": "TR",
    "burma": "MM",
    "korea, north": "KP",
    "north korea": "KP",
    "korea, south": "KR",
    "south korea": "KR",
    "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG",
    "palestinian": "PS",
    "palestinian authority": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "northern gaza": "PS",
    "north gaza": "PS",
    "crimea": "UA",
    "northern mali": "ML",
    "the gambia": "GM",
    "gambia, the": "GM",
    "bahamas, the": "BS",
    "kosovo": "XK",
    "xk": "XK",  # Kosovo's code in common use (user-assigned, not in ISO 3166-1 itself)
    "north macedonia, the republic of": "MK",
    "macedonia": "MK",
    "cote d ivoire": "CI",
    "cote d'ivoire": "CI",
    "ivory coast": "CI",
    "macau": "MO",
    "brunei": "BN",
    "man, isle of": "IM",
    "prc": "CN",
    "uae": "AE",
    "u.k.": "GB",
    "uk": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "cape verde": "CV",
    "swaziland": "SZ",
    "czech republic": "CZ",
    "undetermined": None,
    "netherlands antilles": None,
    "kafia kingi": None,
    "jammu and kashmir": None,
    "commonwealth of independent states": None,
}


@lru_cache(maxsize=4096)
def to_iso(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country name or code as lists print it, else None."""
    key = clean(name).casefold().removeprefix("region:").strip() if name else ""
    if not key or key == "-0-":
        return None
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    try:
        return str(pycountry.countries.lookup(key).alpha_2)
    except LookupError:
        return None


_TYPES = {
    "individual": "person",
    "person": "person",
    "entity": "organization",
    "organization": "organization",
    "organisation": "organization",
    "company": "organization",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "airplane": "aircraft",
    "unknown": "unknown",
}

_ORG_WORDS = re.compile(
    r"\b(?:co|corp|corporation|company|inc|incorporated|ltd|limited|llc|l\.l\.c|gmbh|ag|s\.a|"
    r"s\.a\.s|s\.r\.l|b\.v|ooo|oao|zao|pjsc|jsc|plc|pte|pvt|fze|fzco|llp|"
    r"group|holdings?|trading|technolog(?:y|ies)|tech|industr(?:y|ies|ial)|enterprises?|"
    r"international|intl|labs?|laboratory|systems|electronics|engineering|services|"
    r"import|export|bank|institute|university|academy|center|centre|factory|plant|"
    r"agency|association|foundation|bureau|ministry|regiment|division|army|party|airlines?|"
    r"shipping|logistics|supply|supplies|solutions|products|aviation|aerospace|technik)\b\.?",
    re.IGNORECASE,
)
_PERSON_SHAPE = re.compile(r"^[^\W\d_][\w.'\-]*(?:,? [^\W\d_][\w.'\-]*){1,5}$")


def party_type(value: str) -> str | None:
    """Party.type for a list's own type word ("Individual", "Entity", ...), None if unknown."""
    return _TYPES.get(value.strip().casefold().replace(" ", ""))


def guess_type(name: str, *, persons_list: bool) -> str:
    """Type of an untyped entry: a company word makes it an organization.

    On lists that are mostly people (Denied Persons, ITAR debarred) a name shaped like a
    person's (two to six words, no digits) is a person; elsewhere it stays "unknown" so that
    screening compares it both ways rather than on a guess.
    """
    if _ORG_WORDS.search(name):
        return "organization"
    if persons_list and _PERSON_SHAPE.match(clean(name)):
        return "person"
    return "unknown"


def merge_party(target: Party, other: Party) -> None:
    """Fold a second record of the same party (another row, address or program) into target."""
    target.aliases += [other.name, *other.aliases]
    target.countries += other.countries
    target.addresses += other.addresses
    target.identifiers += other.identifiers
    target.programs += other.programs
    if other.remarks and other.remarks not in target.remarks:
        target.remarks = "; ".join(r for r in (target.remarks, other.remarks) if r)


def add_party(parties: dict[str, Party], party: Party) -> None:
    """Add to parties by id, merging into an earlier record with the same id."""
    if party.id in parties:
        merge_party(parties[party.id], party)
    else:
        parties[party.id] = party


def single_source(parties: list[Party], default: str) -> str:
    """The one source all parties share (a file may hold EL or MEU rows), else `default`."""
    sources = {p.source for p in parties}
    return sources.pop() if len(sources) == 1 else default


def tidy(party: Party) -> Party:
    """Party with its lists de-duplicated in order and aliases that only restate a name dropped."""
    seen_names = {_name_key(party.name)}
    aliases = []
    for alias in party.aliases:
        key = _name_key(alias)
        if key and key not in seen_names:
            seen_names.add(key)
            aliases.append(alias)
    party.aliases = aliases
    party.countries = unique(party.countries)
    party.addresses = unique(party.addresses)
    party.programs = unique(party.programs)
    seen: dict[tuple[str, str], Identifier] = {}
    for ident in party.identifiers:
        seen.setdefault((ident.scheme, ident.value), ident)
    party.identifiers = list(seen.values())
    return party


def _name_key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def join_address(*parts: str) -> str:
    """A readable one-line address from its non-empty parts."""
    return ", ".join(p for p in (clean(x) for x in parts) if p)
