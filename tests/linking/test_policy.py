"""The linking pack: cited and dated, every kind weighted, the defaults the design asks for,
and a malformed pack refused rather than linking by a default."""

from __future__ import annotations

import ipaddress

import pytest

from cloudkyc.linking import KINDS, load_policy
from cloudkyc.policy import select

from .factory import pack, policy


def test_the_pack_in_force_is_cited_and_dated() -> None:
    found = select("linking")
    assert found.id == "linking-2026-01"
    assert "89 FR 5698" in found.citation and "compute-accounting.md" in found.citation
    assert found.effective.isoformat() == "2026-01-01"


def test_strong_and_weak_kinds_by_default() -> None:
    p = load_policy()
    strong = {k for k in KINDS if p.strong(p.weights[k])}
    assert strong == {
        "payment_fingerprint",
        "registration_id",
        "phone",
        "email",
        "beneficial_owner",
        "sub_account",
        "fuzzy_identity",
    }
    assert p.weights["subnet"] < p.weights["ip"] == p.weights["email_domain"] < p.strong_threshold
    assert not p.strong(p.fuzzy.weak_weight) and p.fuzzy.strong_score >= 0.9
    assert p.window_days == 7 and p.min_shared_events == {"ip": 2, "subnet": 3}
    assert p.max_accounts["payment_fingerprint"] == 50


def test_webmail_and_shared_networks() -> None:
    p = load_policy()
    for domain in ("gmail.com", "qq.com", "163.com", "126.com", "outlook.com", "hotmail.com"):
        assert domain in p.webmail_domains
    for domain in ("yahoo.com", "icloud.com", "proton.me", "sina.com", "foxmail.com"):
        assert domain in p.webmail_domains
    assert p.never_links(ipaddress.ip_address("100.64.0.1"))
    assert p.never_links(ipaddress.ip_address("fe80::1"))
    assert not p.never_links(ipaddress.ip_address("8.8.8.8"))
    assert select("linking").data["egress_networks"] == []
    assert policy(egress_networks=["8.8.8.0/24"]).never_links(ipaddress.ip_address("8.8.8.8"))


def test_a_malformed_pack_is_refused() -> None:
    bad = pack()
    del bad.data["kinds"]["phone"]
    with pytest.raises(ValueError, match="lacks kinds: phone"):
        load_policy(bad)
    with pytest.raises(ValueError, match="within 0..1"):
        policy(kinds={"ip": {"weight": 1.5}})
    with pytest.raises(ValueError, match="unknown kinds"):
        policy(kinds={"shoe_size": {"weight": 0.1}})
    with pytest.raises(ValueError, match="links nobody"):
        policy(max_accounts_per_value=1)
