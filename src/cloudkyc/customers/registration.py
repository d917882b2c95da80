"""Company registration numbers, checked with python-stdnum for the countries it knows.

A number is valid when it passes one of its country's formats (with their check digits);
for a country stdnum has no company number for, nothing can be said and the verification
check says so, rather than guess.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from stdnum.exceptions import ValidationError
from stdnum.util import get_cc_module

# stdnum module names of company registration / business numbers, by ISO country (a dotted
# name is a module of ours with the same interface)
FORMATS: dict[str, tuple[str, ...]] = {
    "AU": ("abn", "acn"),
    "CA": ("bn",),
    "CH": ("uid",),
    "CN": ("uscc",),
    "DE": ("handelsregisternummer",),
    "FR": ("siren",),
    "GB": ("cloudkyc.customers.gb_crn", "vat"),
    "IN": ("gstin",),
    "JP": ("cn",),
    "KR": ("brn",),
    "RU": ("ogrn", "inn"),
    "SG": ("uen",),
    "US": ("ein",),
}


def _modules(country: str) -> list[Any]:
    """The number-validation modules of a country: stdnum's by name, or ours by full path
    (a module with stdnum's `validate` and a docstring naming the number)."""
    return [
        m
        for name in FORMATS.get(country, ())
        if (m := import_module(name) if "." in name else get_cc_module(country.lower(), name))
    ]


def validate_registration(value: str, country: str) -> tuple[str, str] | None:
    """(format name, the number in its standard form) when the number is valid for the
    country, None when it is not; raises LookupError when the country has no known format."""
    modules = _modules(country)
    if not modules:
        raise LookupError(country)
    for module in modules:
        try:
            return module.__name__.rsplit(".", 1)[-1], str(module.validate(value))
        except ValidationError:
            continue
    return None


def describe(country: str) -> str:
    names = [getattr(m, "__doc__", "").splitlines()[0] or m.__name__ for m in _modules(country)]
    return " or ".join(n.rstrip(".") for n in names)


def registration_problem(value: str, country: str) -> str | None:
    """Why the number cannot be this country's registration number, or None."""
    try:
        found = validate_registration(value, country)
    except LookupError:
        return None
    if found is None:
        return f"'{value}' is not a valid {describe(country)} for {country}"
    return None
