"""Accounts joined through shared identifiers, and the groups of linked accounts they form.

Links come from the CIP records (payment fingerprints, registration ids, phones, emails and
email domains, beneficial owners, reseller relations), from the access log (the same IP or
subnet within a window) and from fuzzy identity (the same company under slightly different
names and addresses). Their weights, the strong-link threshold and the values that never link
are a policy pack (kind "linking"). Pure: no web framework, ORM, CLI or engine.
"""

from cloudkyc.linking.graph import (
    GROUPS_HEADER,
    LINKS_HEADER,
    OVERSHARED_HEADER,
    LinkGraph,
    build_links,
    group_id,
)
from cloudkyc.linking.links import Link, OverShared
from cloudkyc.linking.policy import KINDS, LinkPolicy, load_policy

__all__ = [
    "GROUPS_HEADER",
    "KINDS",
    "LINKS_HEADER",
    "OVERSHARED_HEADER",
    "Link",
    "LinkGraph",
    "LinkPolicy",
    "OverShared",
    "build_links",
    "group_id",
    "load_policy",
]
