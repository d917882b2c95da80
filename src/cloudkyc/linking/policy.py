"""The linking pack read into one typed object: link kinds and weights, the strong-link
threshold, the access window, the cap on how many accounts one value may link, and the values
that never link (public webmail domains, shared and private networks)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cloudkyc.policy import Pack, select

KINDS = (
    "payment_fingerprint",
    "registration_id",
    "phone",
    "email",
    "email_domain",
    "ip",
    "subnet",
    "beneficial_owner",
    "sub_account",
    "reseller_parent",
    "reseller_end_user",
    "fuzzy_identity",
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class FuzzyPolicy:
    """When two accounts are the same company under slightly different names and addresses."""

    weight: float
    weak_weight: float
    strong_score: float
    name_min: float
    address_min: float
    name_share: float
    max_block: int

    def score(self, name: float, address: float) -> float:
        return self.name_share * name + (1 - self.name_share) * address


@dataclass(frozen=True)
class LinkPolicy:
    pack_id: str
    citation: str
    effective: str
    weights: Mapping[str, float]
    strong_threshold: float
    max_accounts: Mapping[str, int]  # per kind
    window_days: float
    min_shared_events: Mapping[str, int]  # ip, subnet
    subnet_prefix_v4: int
    subnet_prefix_v6: int
    webmail_domains: frozenset[str]
    never_link_networks: tuple[Network, ...]
    fuzzy: FuzzyPolicy

    def strong(self, weight: float) -> bool:
        return weight >= self.strong_threshold

    def never_links(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(ip.version == n.version and ip in n for n in self.never_link_networks)

    def ref(self) -> dict[str, str]:
        """The pack, as evidence: id, citation, effective date."""
        return {"id": self.pack_id, "citation": self.citation, "effective": self.effective}


def load_policy(pack: Pack | None = None) -> LinkPolicy:
    """The policy of `pack`, or of the linking pack in force today. A pack missing a kind, or
    with a weight outside 0..1, is refused here rather than linking by a default."""
    pack = pack or select("linking")
    data = pack.data
    kinds: dict[str, Any] = data.get("kinds") or {}
    missing = [k for k in KINDS if k not in kinds]
    if missing:
        raise ValueError(f"linking pack {pack.id} lacks kinds: {', '.join(missing)}")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"linking pack {pack.id} has unknown kinds: {', '.join(unknown)}")
    weights = {k: _unit(kinds[k]["weight"], f"{k}.weight") for k in KINDS}
    default_cap = int(data["max_accounts_per_value"])
    caps = {k: int(kinds[k].get("max_accounts", default_cap)) for k in KINDS}
    if min(caps.values()) < 2:
        raise ValueError(f"linking pack {pack.id}: max_accounts below 2 links nobody")
    access = data["access"]
    default_events = int(access["min_shared_events"])
    events = {k: int(kinds[k].get("min_shared_events", default_events)) for k in ("ip", "subnet")}
    networks = tuple(
        ipaddress.ip_network(str(n), strict=False)
        for n in [*(data.get("never_link_networks") or ()), *(data.get("egress_networks") or ())]
    )
    f = kinds["fuzzy_identity"]
    fuzzy = FuzzyPolicy(
        weight=weights["fuzzy_identity"],
        weak_weight=_unit(f["weak_weight"], "fuzzy_identity.weak_weight"),
        strong_score=_unit(f["strong_score"], "fuzzy_identity.strong_score"),
        name_min=_unit(f["name_min"], "fuzzy_identity.name_min"),
        address_min=_unit(f["address_min"], "fuzzy_identity.address_min"),
        name_share=_unit(f["name_share"], "fuzzy_identity.name_share"),
        max_block=int(f.get("max_block", default_cap)),
    )
    return LinkPolicy(
        pack_id=pack.id,
        citation=" ".join(pack.citation.split()),
        effective=pack.effective.isoformat(),
        weights=weights,
        strong_threshold=_unit(data["strong_threshold"], "strong_threshold"),
        max_accounts=caps,
        window_days=float(access["window_days"]),
        min_shared_events=events,
        subnet_prefix_v4=int(access["subnet_prefix_v4"]),
        subnet_prefix_v6=int(access["subnet_prefix_v6"]),
        webmail_domains=frozenset(str(d).strip().lower() for d in data["webmail_domains"]),
        never_link_networks=networks,
        fuzzy=fuzzy,
    )


def _unit(value: Any, name: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"linking pack: {name} must be within 0..1, not {value!r}")
    return number
