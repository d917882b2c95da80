"""Companies House company registration number (CRN).

A UK company's register number, which python-stdnum does not know: eight characters, eight
digits (England and Wales; written without its leading zeros as often as with them) or two
letters and six digits (SC Scotland, NI Northern Ireland, OC LLPs, LP partnerships, FC overseas
companies, ...). There is no check digit: only the form can be checked.
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidFormat

_FORM = re.compile(r"(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6})")


def compact(number: str) -> str:
    """The number without spaces, in capitals, its leading zeros put back."""
    text = re.sub(r"\s+", "", number).upper()
    return text.zfill(8) if text.isdigit() and 6 <= len(text) < 8 else text


def validate(number: str) -> str:
    """The number in its standard form; InvalidFormat when it cannot be a CRN."""
    text = compact(number)
    if not _FORM.fullmatch(text):
        raise InvalidFormat()
    return text
