"""Identifiers that pass the intake checks: company registration numbers with their check
digits (python-stdnum's own check-digit functions where it has them), telephone numbers that
phonenumbers holds valid, and payment fingerprints. Each generator takes the caller's Random,
so a seed gives the same numbers; the caller keeps values unique."""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from functools import cache

import phonenumbers
from stdnum import luhn
from stdnum.au import acn
from stdnum.ch import uid
from stdnum.cn import uscc
from stdnum.gb import vat
from stdnum.jp import cn as jp_cn
from stdnum.sg import uen

from cloudkyc.customers.registration import registration_problem

_ALNUM = string.digits + string.ascii_uppercase
_DE_COURTS = ("München", "Hamburg", "Berlin (Charlottenburg)", "Frankfurt am Main", "Köln")
_DE_SUFFIX = {"Berlin (Charlottenburg)": " B"}
_CN_DIVISIONS = ("110108", "310115", "440305", "330106", "320507", "510107", "420111")
_IN_STATES = ("27", "29", "07", "33", "36", "24", "09")
_US_PREFIXES = ("04", "13", "20", "26", "27", "45", "46", "47", "81", "82", "83", "84", "86")


def _digits(rng: random.Random, n: int) -> str:
    return f"{rng.randrange(10**n):0{n}d}" if n > 0 else ""


def _au(rng: random.Random) -> str:
    body = _digits(rng, 8)
    return acn.format(body + acn.calc_check_digit(body))


def _ca(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + _digits(rng, 7)
    number = body + luhn.calc_check_digit(body)
    return f"{number}RC0001" if rng.random() < 0.5 else number


def _ch(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + _digits(rng, 7)
    return uid.format("CHE" + body + uid.calc_check_digit(body))  # "10": retried


def _cn(rng: random.Random) -> str:
    org = _digits(rng, 8) + rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")  # no I O S V Z
    body = "91" + rng.choice(_CN_DIVISIONS) + org
    return body + uscc.calc_check_digit(body)


def _de(rng: random.Random) -> str:
    court = rng.choice(_DE_COURTS)
    return f"{court} HRB {rng.randint(10_000, 299_999)}{_DE_SUFFIX.get(court, '')}"


def _fr(rng: random.Random) -> str:
    body = str(rng.randint(3, 9)) + _digits(rng, 7)
    return body + luhn.calc_check_digit(body)


def _gb(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + _digits(rng, 6)
    for check in range(100):  # the two check digits that make the mod-97 sum right
        number = f"{body}{check:02d}"
        if vat.checksum(number) in (0, 55):
            return "GB" + number
    raise ValueError(body)  # pragma: no cover (every body has a check pair)


def _in(rng: random.Random) -> str:
    letters = string.ascii_uppercase
    pan = "".join(rng.choice(letters) for _ in range(3)) + "C" + rng.choice(letters)
    pan += str(rng.randint(1, 9)) + _digits(rng, 3) + rng.choice(letters)
    body = rng.choice(_IN_STATES) + pan + str(rng.randint(1, 9)) + "Z"
    return body + luhn.calc_check_digit(body, _ALNUM)


def _jp(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + _digits(rng, 11)
    return jp_cn.format(jp_cn.calc_check_digit(body) + body)


def _kr(rng: random.Random) -> str:
    return f"{rng.randint(101, 899)}-{rng.randint(1, 99):02d}-{rng.randint(1, 99999):05d}"


def _sg(rng: random.Random) -> str:
    body = str(rng.randint(1995, 2024)) + _digits(rng, 5)
    return body + uen.calc_local_company_check_digit(body)


def _us(rng: random.Random) -> str:
    return f"{rng.choice(_US_PREFIXES)}-{_digits(rng, 7)}"


REGISTRATION: dict[str, Callable[[random.Random], str]] = {
    "AU": _au,
    "CA": _ca,
    "CH": _ch,
    "CN": _cn,
    "DE": _de,
    "FR": _fr,
    "GB": _gb,
    "IN": _in,
    "JP": _jp,
    "KR": _kr,
    "SG": _sg,
    "US": _us,
}


def registration_id(rng: random.Random, country: str) -> str | None:
    """A registration number valid for the country, or None where stdnum has no format for
    it (the record then leaves the field empty rather than invent one)."""
    make = REGISTRATION.get(country)
    if make is None:
        return None
    for _ in range(50):
        value = make(rng)
        if registration_problem(value, country) is None:
            return value
    raise ValueError(f"no valid registration number for {country}")  # pragma: no cover


_PHONE_TYPES = (
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.MOBILE,
)


@cache
def _example(region: str, mobile: bool) -> phonenumbers.PhoneNumber:
    kinds = _PHONE_TYPES[::-1] if mobile else _PHONE_TYPES
    for kind in kinds:
        found = phonenumbers.example_number_for_type(region, kind)
        if found is not None:
            return found
    raise ValueError(f"phonenumbers has no example number for {region}")


def phone_number(
    rng: random.Random, region: str, *, mobile: bool = False, area: str | None = None
) -> str:
    """A valid number of the region in international format: the region's example number
    with its subscriber digits varied (after `area`, a city's own prefix of the national
    number, when given) until phonenumbers holds it valid."""
    example = _example(region, mobile)
    national = str(example.national_number)
    # as many subscriber digits as the numbering plan allows
    shapes = [(national[: max(2, len(national) - v)], 0) for v in (6, 5, 4, 3, 2)]
    if area and not mobile:
        lengths = (len(national), len(national) + 1, len(national) - 1)
        shapes = [(area, n - len(area)) for n in lengths] + shapes
    for prefix, free in shapes:
        free = free or len(national) - len(prefix)
        for _ in range(40):
            number = phonenumbers.PhoneNumber(
                country_code=example.country_code,
                national_number=int(prefix + _digits(rng, free)),
                italian_leading_zero=example.italian_leading_zero,
            )
            if phonenumbers.is_valid_number_for_region(number, region):
                return phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
                )
    raise ValueError(f"no valid phone number for {region}")  # pragma: no cover


def fingerprint(rng: random.Random) -> str:
    """A payment-method fingerprint as processors print them: pm_ and 24 hex digits."""
    return f"pm_{rng.getrandbits(96):024x}"
