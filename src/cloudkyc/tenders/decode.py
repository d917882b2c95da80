"""Bytes of a notice to text. Chinese notices come as UTF-8 or as GB18030/GBK (its subsets),
now and then as UTF-16 (with or without its byte-order mark); a file that mixes encodings, or
is not text at all, is refused with the line where it goes wrong rather than read as mojibake
that would then be matched against names and amounts."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from cloudkyc.errors import BadInput

# Detected encodings trusted over GB18030; anything else (gb2312, gbk, a Latin code page
# guessed for a short file) is read as GB18030, the superset of GB2312 and GBK.
OTHER_CJK = {"big5", "big5hkscs", "cp950", "utf_16", "utf_16_le", "utf_16_be", "utf_32"}
CONTROL_LIMIT = 0.02  # share of control characters above which a "text" is binary data


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _is_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > CONTROL_LIMIT * len(sample)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) of UTF-16 saved without a byte-order mark: the high byte of every ASCII
    character (digits, colons, newlines) is a NUL, nearly all on one side of each pair. None
    when the bytes are not that, or decode to control characters (binary data)."""
    sample = data[:65536]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 9 * even:
        codec = "utf-16-le"
    elif even >= 9 * odd:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text) or not any(c.isalpha() for c in text):
        return None
    return text, codec


def _utf8_lines(data: bytes) -> tuple[int | None, int | None]:
    """(first line that holds valid non-ASCII UTF-8, first line that is not UTF-8)."""
    good = bad = None
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad = bad or number
        else:
            good = good or number
        if good and bad:
            break
    return good, bad


def decode(data: bytes, path: str) -> tuple[str, str]:
    """(text, encoding name). Raises BadInput naming the file and line for binary data, an
    unknown encoding or a file mixing UTF-8 with another encoding."""
    if not data.strip():
        raise BadInput("empty file", file=path, field="content")
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise BadInput(
                    f"starts with a {name} byte-order mark but is not {name} "
                    f"(byte 0x{data[exc.start]:02x})",
                    file=path,
                    line=_line_of(data, exc.start),
                    field="encoding",
                ) from exc
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if _is_binary(data):
        raise BadInput(
            "binary data, not a text, HTML or PDF notice", file=path, line=1, field="content"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    good, bad = _utf8_lines(data)
    if good is not None and bad is not None:
        raise BadInput(
            f"mixed encodings: line {good} is UTF-8 but line {bad} is not; "
            "save the whole file in one encoding",
            file=path,
            line=bad,
            field="encoding",
        )
    guess = from_bytes(data[:200_000]).best()
    name = guess.encoding if guess is not None else "gb18030"
    if name in OTHER_CJK:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"neither UTF-8 nor GB18030/GBK (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); detected '{name}'",
            file=path,
            line=_line_of(data, exc.start),
            field="encoding",
        ) from exc
