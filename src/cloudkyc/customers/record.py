"""The CIP record of one account, as customers.jsonl and POST /v1/customers carry it, validated
at intake so that nothing unusable is ever stored.

What the proposed rule asks a provider to collect (reference/regulatory.md section 1.3): the
customer's name, address, email and telephone; the means and source of payment of each
account; the IP addresses used for access and administration, with date and time (access
events, recorded separately); for each beneficial owner (25% or more, or substantial control)
the name and address; for a reseller, its foreign customers. Syntax is checked here (ISO
country codes, E.164-able phone numbers, deliverable-looking email addresses, registration
ids that fail their country's checksum); whether the facts are true is for the verification
checks (checks.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from cloudkyc.customers.registration import registration_problem
from cloudkyc.screening.screen import Query

MAX_TEXT = 500
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
OptionalText = Annotated[str | None, Field(default=None, max_length=MAX_TEXT)]


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2, upper case; also accepts alpha-3 and exact English names."""
    text = value.strip()
    found = (
        pycountry.countries.get(alpha_2=text.upper())
        or pycountry.countries.get(alpha_3=text.upper())
        or pycountry.countries.get(name=text)
    )
    if found is None:
        raise ValueError(f"'{value}' is not an ISO 3166 country")
    return str(found.alpha_2)


Country = Annotated[str, AfterValidator(country_code)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Party(_Strict):
    """Someone screened on the customer's behalf: a beneficial owner, declared end user or a
    reseller's client."""

    name: Text
    country: Country
    address: OptionalText = None


class BeneficialOwner(Party):
    """An owner the customer declares. The rule's beneficial owners hold 25% or more or have
    substantial control (`beneficial`); a smaller holding may be declared too, and is screened
    and kept, but it is not beneficial ownership."""

    address: Text  # type: ignore[assignment]  # the rule asks for it
    ownership_pct: float | None = Field(default=None, ge=0, le=100)
    control: bool = False

    @property
    def beneficial(self) -> bool:
        return self.control or (self.ownership_pct is not None and self.ownership_pct >= 25)


class PaymentMethod(_Strict):
    """The means (kind) and source (holder, issuing country) of payment for the account."""

    fingerprint: Text
    kind: Literal["card", "bank_transfer", "wire", "invoice", "crypto", "wallet", "other"]
    country: Country | None = None
    holder: OptionalText = None


class Reseller(_Strict):
    is_reseller: bool = False
    end_users: list[Party] = Field(default_factory=list, max_length=10_000)


class Customer(_Strict):
    type: Literal["organization", "individual"]
    name: Text
    name_local: OptionalText = None  # the name in its own script (e.g. Chinese)
    country: Country
    address: Text
    registration_id: OptionalText = None
    email: Text
    phone: Text

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        try:
            return str(validate_email(value, check_deliverability=False).normalized)
        except EmailNotValidError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str, info: ValidationInfo) -> str:
        region = info.data.get("country")
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"not a phone number: {exc}") from None
        if not phonenumbers.is_valid_number(number):
            raise ValueError(f"'{value}' is not a valid phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @field_validator("registration_id")
    @classmethod
    def _registration(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if value and country:
            problem = registration_problem(value, country)
            if problem:
                raise ValueError(problem)
        return value


class CipRecord(_Strict):
    """One line of customers.jsonl: an account and the customer behind it."""

    account_id: Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\s/]+$")]
    created_at: dt.datetime
    parent_account_id: Annotated[str | None, Field(default=None, max_length=128)] = None
    customer: Customer
    beneficial_owners: list[BeneficialOwner] = Field(default_factory=list, max_length=1000)
    payment_methods: list[PaymentMethod] = Field(
        default_factory=list, max_length=1000, validate_default=True
    )
    reseller: Reseller = Field(default_factory=Reseller)
    declared_use: OptionalText = None

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

    @field_validator("payment_methods")
    @classmethod
    def _paid(cls, value: list[PaymentMethod], info: ValidationInfo) -> list[PaymentMethod]:
        if not value and not info.data.get("parent_account_id"):
            raise ValueError(
                "the means and source of payment are required "
                "(a sub-account may pay through its parent_account_id)"
            )
        return value

    def screening_queries(self) -> list[tuple[str, Query]]:
        """(role, query) for every subject: the customer's own names carry its type and
        registration id, the others their country only."""
        c = self.customer
        ctype = "person" if c.type == "individual" else "organization"
        out = []
        for i, (role, name, country) in enumerate(self.subjects()):
            own = role.startswith("customer")
            query = Query(
                name,
                id=str(i),
                country=country,
                type=ctype if own else None,
                registration_id=c.registration_id if own else None,
            )
            out.append((role, query))
        return out

    def subjects(self) -> list[tuple[str, str, str | None]]:
        """Every name to screen, as (role, name, country): the customer in each script, its
        beneficial owners, its declared end users (a reseller's clients)."""
        c = self.customer
        out: list[tuple[str, str, str | None]] = [("customer", c.name, c.country)]
        if c.name_local and c.name_local != c.name:
            out.append(("customer_local_name", c.name_local, c.country))
        out += [("beneficial_owner", o.name, o.country) for o in self.beneficial_owners]
        role = "reseller_client" if self.reseller.is_reseller else "end_user"
        out += [(role, u.name, u.country) for u in self.reseller.end_users]
        return out


def field_path(loc: tuple[Any, ...]) -> str:
    """pydantic's error location as the dotted field a user can find: customer.phone,
    beneficial_owners[1].address."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "record"
