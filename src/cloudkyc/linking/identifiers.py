"""Links through the identifiers of the CIP records: payment fingerprints, registration
numbers, telephone numbers, email addresses and domains, beneficial owners, and reseller
relations (an account and its parent; a reseller's declared end user who holds an account of
its own).

Each identifier is indexed value -> accounts, and accounts are paired within each value only
(links.links_from_index), so the cost grows with how much accounts share, not with the square
of their number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from cloudkyc.customers.record import CipRecord
from cloudkyc.linking.links import Link, OverShared, links_from_index
from cloudkyc.linking.normalize import (
    email_domain,
    email_key,
    is_webmail,
    owner_key,
    party_key,
    phone_key,
    registration_key,
)
from cloudkyc.linking.policy import LinkPolicy

INDEXED = (
    "payment_fingerprint",
    "registration_id",
    "phone",
    "email",
    "email_domain",
    "beneficial_owner",
)


def identifier_links(
    records: Iterable[CipRecord], policy: LinkPolicy, over: list[OverShared]
) -> list[Link]:
    """Every link of the record kinds, in a stable order; too widely shared values go to
    `over`."""
    records = list(records)
    index: dict[str, dict[str, dict[str, Any]]] = {k: defaultdict(dict) for k in INDEXED}
    for rec in records:
        _index_record(rec, index, policy)
    links: list[Link] = []
    for kind in INDEXED:
        links += links_from_index(kind, index[kind], policy, over)
    links += _parent_links(records, policy)
    links += _end_user_links(records, policy, over)
    return links


def _index_record(
    rec: CipRecord, index: dict[str, dict[str, dict[str, Any]]], policy: LinkPolicy
) -> None:
    acct, c = rec.account_id, rec.customer
    for pm in rec.payment_methods:
        fingerprint = pm.fingerprint.strip()
        if fingerprint:
            index["payment_fingerprint"][fingerprint][acct] = None
    if c.registration_id:
        key = registration_key(c.registration_id, c.country)
        if not key.endswith(":"):
            index["registration_id"][key][acct] = c.registration_id
    phone = phone_key(c.phone, c.country)
    if phone.strip("+"):
        index["phone"][phone][acct] = c.phone
    if "@" in c.email:
        index["email"][email_key(c.email)][acct] = c.email
        domain = email_domain(c.email)
        if domain and not is_webmail(domain, policy.webmail_domains):
            index["email_domain"][domain][acct] = None
    owners = index["beneficial_owner"]
    for o in rec.beneficial_owners:
        holding: dict[str, Any] = {"role": "beneficial_owner", "name": o.name, "country": o.country}
        if o.ownership_pct is not None:
            holding["ownership_pct"] = o.ownership_pct
        if o.control:
            holding["control"] = True
        owner = owner_key(o.name, o.country, o.address)
        if owner and _named(owner):
            owners[owner].setdefault(acct, holding | {"address": o.address})
    if c.type == "individual":  # the person behind this account, owning another
        person = owner_key(c.name, c.country, c.address)
        if person and _named(person):
            owners[person].setdefault(
                acct,
                {"role": "customer", "name": c.name, "country": c.country, "address": c.address},
            )


def _parent_links(records: list[CipRecord], policy: LinkPolicy) -> list[Link]:
    """An account and its parent_account_id: a reseller's client (kind reseller_parent) when
    the parent is a declared reseller, else the customer's own sub-account (sub_account).
    Never capped: the relation is declared, not a coincidence of values."""
    resellers = {r.account_id for r in records if r.reseller.is_reseller}
    known = {r.account_id for r in records}
    links = []
    for rec in records:
        parent = rec.parent_account_id
        if not parent or parent == rec.account_id:
            continue
        kind = "reseller_parent" if parent in resellers else "sub_account"
        weight = policy.weights[kind]
        evidence = {
            "value": f"{rec.account_id} -> {parent}",
            "parent": parent,
            "child": rec.account_id,
            "parent_has_cip_record": parent in known,
            "parent_is_reseller": parent in resellers,
        }
        links.append(Link(kind, rec.account_id, parent, weight, policy.strong(weight), evidence))
    return sorted(links, key=lambda link: (link.a, link.b))


def _end_user_links(
    records: list[CipRecord], policy: LinkPolicy, over: list[OverShared]
) -> list[Link]:
    """A reseller's declared end user (name and country, either script of the customer's
    name) who is also a customer with an account of its own."""
    kind = "reseller_end_user"
    weight, cap = policy.weights[kind], policy.max_accounts[kind]
    if not any(rec.reseller.end_users for rec in records):
        return []
    customers: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        c = rec.customer
        for name in {c.name, c.name_local} - {None, ""}:
            key = party_key(str(name), c.country)
            if _named(key):
                customers[key].add(rec.account_id)
    links = []
    reported: set[str] = set()
    for rec in records:
        for user in rec.reseller.end_users:
            key = party_key(user.name, user.country)
            if not _named(key):
                continue
            holders = customers.get(key, set()) - {rec.account_id}
            if len(holders) > cap:
                if key not in reported:
                    reported.add(key)
                    over.append(OverShared(kind, key, tuple(sorted(holders)), cap))
                continue
            for acct in sorted(holders):
                evidence = {
                    "value": key,
                    "reseller": rec.account_id,
                    "end_user": user.name,
                    "end_user_account": acct,
                }
                links.append(
                    Link(kind, rec.account_id, acct, weight, policy.strong(weight), evidence)
                )
    return links


def _named(key: str) -> bool:
    """A party key with a name left after folding (not "SG|" for a name of punctuation)."""
    return bool(key.split("|")[1])
