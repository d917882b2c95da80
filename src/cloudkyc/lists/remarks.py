"""Identifiers and weak aliases that OFAC and the CSL print as free text.

A USCC, ISIN or Hong Kong company number is the strongest evidence a screening hit can have,
and on the OFAC CSV lists it exists only inside the remarks ("Unified Social Credit Code (USCC)
914403001922038216 (China)"). Remarks are "; "-separated statements; each one is matched
against a table of labels, one regex per scheme, first match wins.

A label may name another ("Identification Number ISIN: RU0009177331" is an ISIN), and the
country in brackets may follow the value without a space ("91110000710934369E(China)", where
OFAC's comments file continues a remark).

Checksum policy: python-stdnum decides where a label is ambiguous (OFAC's "Legal Entity
Number" also labels 9-digit Dutch numbers; a "USCC" that is not 18 characters of the USCC
alphabet is some other registration number) and where a company number is a USCC under
another label ("Registration Number 91210200242663544B": a valid USCC, check digits and all,
printed for a Chinese or unstated country). A USCC or ISIN of the right shape whose check
digit fails is kept under its scheme: the list prints it so, and a customer who copied the same
digits must still match. Personal documents and tax numbers of other countries are never
re-read: a Chinese resident identity number or a Mexican RFC can pass those checksums by chance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import ModuleType

from stdnum import isin as stdnum_isin
from stdnum import lei as stdnum_lei
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, ValidationError

from cloudkyc.lists.common import clean, to_iso
from cloudkyc.lists.model import Identifier

# (scheme, label regex, printed country the scheme needs). Longer labels before their prefixes.
_SCHEMES: list[tuple[str, str, str | None]] = [
    (
        "uscc",
        r"Unified Social Credit Code(?: \(USCC\))?|United Social Credit Code Certificate"
        r" \(USCCC\)|USCC",
        None,
    ),
    ("isin", r"ISIN", None),
    ("lei", r"Legal Entity Number|LEI", None),
    ("swift_bic", r"SWIFT/BIC", None),
    ("imo", r"Vessel Registration Identification|International Maritime Organization No\.", None),
    ("mmsi", r"MMSI", None),
    ("duns", r"D-U-N-S Number", None),
    ("ticker", r"Equity Ticker", None),
    (
        "hk_cr",
        r"(?:Hong Kong )?(?:C\.R\. No\.|Company Number|Certificate of Incorporation Number)",
        "HK",
    ),
    (
        "passport",
        r"(?:Diplomatic |Stateless Person |British National Overseas )?Passport(?: Booklet)?"
        r"|Travel Document Number",
        None,
    ),
    (
        "national_id",
        r"National ID No\.|National Foreign ID Number|Cedula No\.|Identification Number"
        r"|Personal ID Card|D\.N\.I\.|Citizen's Card Number|Turkish Identification Number"
        r"|Numero de Identidad|Kenyan ID No\.|C\.U\.R\.P\.(?: #)?|Credencial electoral|I\.F\.E\."
        r"|Electoral Registry No\.|Tazkira National ID Card|(?:Bosnian|Moroccan) Personal ID No\."
        r"|UAE Identification|CNP \(Personal Numerical Code\)|SSN|N\.I\.E\.|C\.U\.I\.P?\.",
        None,
    ),
    (
        "tax_id",
        r"Tax ID No\.|NIT #|R\.F\.C\.(?: #)?|RFC|RUC #|C\.U\.I\.T\.|RIF #|US FEIN"
        r"|(?:Italian )?Fiscal Code|C\.I\.F\.|RTN|RSIN|Romanian Tax Registration"
        r"|Numero Unico de Identificacao Tributaria \(NUIT\)|INN",
        None,
    ),
    ("vat", r"V\.A\.T\. Number", None),
    (
        "registration",
        r"(?:UK )?Company Number|C\.R\. No\.|Certificate of Incorporation Number"
        r"|Registration (?:Number|ID)|Business Registration (?:Number|Document #)|Business Number"
        r"|Public Registration Number|Commercial Registry Number|Chamber of Commerce Number"
        r"|Matricula Mercantil No|Folio Mercantil No\.|Enterprise Number|Trade License No\."
        r"|Government Gazette Number|Central Registration System Number|Registered Charity No\."
        r"|Romanian C\.R\.|OGRN",
        None,
    ),
]
_STATEMENT = [
    (s, re.compile(rf"(?:{label})(?::\s*|\s+)(?P<rest>.+)$"), c) for s, label, c in _SCHEMES
]
_LABEL = [(s, re.compile(rf"(?:{label}):?", re.IGNORECASE), c) for s, label, c in _SCHEMES]
_VALUE = re.compile(
    r"(?P<value>.+?)(?:(?P<gap>\s*)\((?P<country>[^()]*)\))?"
    r"(?:[,;]?\s+(?:issued|expires?|expired)\b.*)?$"
)
# schemes with a fixed format: (stdnum module, length); the value is cut to that length when
# what follows is not part of it ("91110000710934369ECHINA" from an unspaced "(China)")
_FORMATS: dict[str, tuple[ModuleType, int]] = {"uscc": (stdnum_uscc, 18), "isin": (stdnum_isin, 12)}
_COMPANY_NUMBERS = frozenset({"registration", "tax_id"})  # may hold a USCC under their label
_IMO = re.compile(r"IMO\s*(\d{7})$", re.IGNORECASE)
_AKA = re.compile(r"""(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*['"](?P<name>.+)['"]$""")
_ISSUER = re.compile(r"Issuer Name\s+(?P<name>.+)$")
_NATIONALITY = re.compile(r"(?:nationality|citizen)\s+(?P<country>.+)$")
_ALT = re.compile(r"^alt\.\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(slots=True)
class RemarkFacts:
    """What a remarks text yielded beyond its prose."""

    identifiers: list[Identifier] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def normalise_id(value: str) -> str:
    """Identifier value for comparison: upper case, letters and digits only."""
    return _NOT_ALNUM.sub("", value.upper())


def parse_remarks(text: str) -> RemarkFacts:
    """Identifiers, weak aliases and nationalities printed in a remarks text."""
    facts = RemarkFacts()
    for statement in re.split(r";\s+", text or ""):
        statement = _ALT.sub("", clean(statement).rstrip(". "))
        if not statement:
            continue
        if m := _AKA.match(statement) or _ISSUER.match(statement):
            facts.aliases.append(clean(m.group("name")))
        elif m := _NATIONALITY.match(statement):
            if code := to_iso(m.group("country")):
                facts.countries.append(code)
        elif ident := _statement_identifier(statement):
            facts.identifiers.append(ident)
    return facts


def _statement_identifier(statement: str, raw: str | None = None) -> Identifier | None:
    for scheme, pattern, needs_country in _STATEMENT:
        m = pattern.match(statement)
        if not m:
            continue
        if nested := _statement_identifier(m.group("rest"), raw or statement):
            return nested  # "Identification Number ISIN: RU0009177331"
        parts = _VALUE.match(m.group("rest"))
        if not parts:
            continue
        value, country = parts.group("value"), to_iso(parts.group("country"))
        if parts.group("country") is not None and country is None and not parts.group("gap"):
            value = f"{value}({parts.group('country')})"  # "AB(12)" is one value
        if needs_country and country != needs_country:
            continue
        return make_identifier(scheme, value, country, raw or statement)
    return None


def identifier_for_label(
    label: str, value: str, country: str | None = None, raw: str | None = None
) -> Identifier | None:
    """Identifier for a structured (type, number, country) triple, None for a label we skip.

    Labels such as "Website", "Gender" or directive notes are not identifiers and return None.
    """
    label = clean(label)
    iso = to_iso(country)
    for scheme, pattern, needs_country in _LABEL:
        if pattern.fullmatch(label) and (needs_country is None or iso == needs_country):
            return make_identifier(scheme, value, iso, raw or f"{label} {value}")
    return None


def make_identifier(scheme: str, value: str, country: str | None, raw: str) -> Identifier | None:
    """Identifier with a normalised value, or None when the value holds no identifier."""
    if m := _IMO.search(value.strip()):
        scheme, value = "imo", m.group(1)
    norm = normalise_id(value)
    if len(norm) < 3 or len(norm) > 40:
        return None
    if scheme != "swift_bic" and not any(ch.isdigit() for ch in norm):
        return None
    if scheme == "lei" and not stdnum_lei.is_valid(norm):
        scheme = "registration"
    elif scheme in _FORMATS:
        module, length = _FORMATS[scheme]
        shaped = next((v for v in (norm, norm[:length]) if _has_shape(module, v)), None)
        scheme, norm = (scheme, shaped) if shaped else ("registration", norm)
    elif scheme in _COMPANY_NUMBERS and _chinese_company(scheme, country):
        scheme = "uscc" if stdnum_uscc.is_valid(norm) else scheme
    return Identifier(scheme=scheme, value=norm, country=country, raw=clean(raw))


def _chinese_company(scheme: str, country: str | None) -> bool:
    """A company number that may be a USCC: a Chinese one, or a registration number printed
    without its country."""
    return country == "CN" or (scheme == "registration" and country is None)


def _has_shape(module: ModuleType, value: str) -> bool:
    """The value has the scheme's format; a failing check digit is still that scheme."""
    try:
        module.validate(value)
    except InvalidChecksum:
        return True
    except ValidationError:
        return False
    return True
