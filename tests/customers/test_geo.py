"""IP country: a MaxMind .mmdb when given, else geoip2fast's bundled data; private addresses
are not a country, an address no database places is "unknown", every answer names its source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cloudkyc.customers.geo import PRIVATE, UNKNOWN, GeoLocator
from cloudkyc.errors import BadInput

from .mmdb import write_mmdb


@pytest.fixture(scope="module")
def bundled() -> GeoLocator:
    return GeoLocator()


@pytest.fixture
def mmdb(tmp_path: Path) -> Path:
    return write_mmdb(
        tmp_path / "country.mmdb",
        {
            "203.0.114.0/24": {"country": {"iso_code": "SG", "names": {"en": "Singapore"}}},
            "8.8.8.0/24": {"country": {"iso_code": "DE"}},  # deliberately not what GeoLite2 says
            "198.51.101.0/24": {"registered_country": {"iso_code": "JP"}},
            "5.5.5.0/24": {"continent": {"code": "EU"}},
            "2400:cb00::/32": {"country": {"iso_code": "HK"}},
        },
        build_epoch=int(dt.datetime(2026, 10, 20, tzinfo=dt.UTC).timestamp()),
    )


@pytest.mark.parametrize(
    ("ip", "country"),
    [
        ("8.8.8.8", "US"),
        ("114.114.114.114", "CN"),
        ("202.175.3.3", "MO"),
        ("2001:4860:4860::8888", "US"),  # the bundled IPv6 networks
        ("240e::1", "CN"),
        ("::ffff:114.114.114.114", "CN"),  # IPv4-mapped: looked up as the IPv4 it carries
        ("2002:7272:7272::1", "CN"),  # 6to4 of 114.114.114.114
        ("64:ff9b::808:808", "US"),  # NAT64 of 8.8.8.8
    ],
)
def test_bundled_database_locates_public_addresses(
    bundled: GeoLocator, ip: str, country: str
) -> None:
    answer = bundled.lookup(ip)
    assert answer.country == country and answer.located
    assert answer.database is not None and answer.database.kind == "geoip2fast"
    assert answer.database.name.startswith("GeoLite2-Country")
    assert answer.database.built == dt.date(2024, 6, 18)  # the date geoip2fast 1.2.2 ships
    assert answer.network


@pytest.mark.parametrize(
    ("ip", "kind"),
    [
        ("10.1.2.3", "private-use"),
        ("192.168.0.1", "private-use"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("100.64.1.1", "carrier-grade NAT"),
        ("169.254.0.9", "link-local"),
        ("fe80::1", "link-local"),
        ("fc00::5", "private-use"),
        ("192.0.2.10", "documentation"),
        ("2001:db8::1", "documentation"),
        ("224.0.0.1", "multicast"),
        ("::ffff:10.0.0.1", "private-use"),
    ],
)
def test_private_and_reserved_addresses_are_not_a_country(
    bundled: GeoLocator, ip: str, kind: str
) -> None:
    answer = bundled.lookup(ip)
    assert answer.country == PRIVATE and not answer.located
    assert kind in answer.reason
    assert answer.database is None  # nothing was asked, nothing was guessed


def test_ipv6_is_unknown_when_the_database_is_ipv4_only() -> None:
    geo = GeoLocator(bundled_ipv6=False)
    assert not geo.database.ipv6
    answer = geo.lookup("2001:4860:4860::8888")
    assert answer.country == UNKNOWN
    assert "IPv4 only" in answer.reason and geo.database.name in answer.reason
    assert geo.lookup("8.8.8.8").country == "US"


def test_an_invalid_address_is_bad_input(bundled: GeoLocator) -> None:
    with pytest.raises(BadInput, match="not an IPv4 or IPv6 address"):
        bundled.lookup("300.1.1.1")


def test_mmdb_is_used_when_given(mmdb: Path) -> None:
    geo = GeoLocator(mmdb)
    assert geo.database.kind == "mmdb" and geo.database.name == "GeoLite2-Country"
    assert geo.database.built == dt.date(2026, 10, 20)
    assert geo.database.path == str(mmdb) and geo.database.ipv6
    sg = geo.lookup("203.0.114.7")
    assert (sg.country, sg.network, sg.reason) == ("SG", "203.0.114.0/24", "")
    assert geo.lookup("8.8.8.8").country == "DE"  # the mmdb, not the bundled data, answered
    assert geo.lookup("2400:cb00::1").country == "HK"
    registered = geo.lookup("198.51.101.5")
    assert registered.country == "JP" and "registered country" in registered.reason
    assert geo.lookup("5.5.5.5").country == UNKNOWN  # a record without a country
    missing = geo.lookup("9.9.9.9")
    assert missing.country == UNKNOWN and "not in GeoLite2-Country" in missing.reason
    assert geo.lookup("10.0.0.1").country == PRIVATE


def test_ipv6_in_an_ipv4_only_mmdb_is_unknown(tmp_path: Path) -> None:
    path = write_mmdb(
        tmp_path / "v4.mmdb", {"203.0.114.0/24": {"country": {"iso_code": "SG"}}}, ip_version=4
    )
    geo = GeoLocator(path)
    assert geo.lookup("203.0.114.1").country == "SG"
    answer = geo.lookup("2400:cb00::1")
    assert answer.country == UNKNOWN and "IPv4 only" in answer.reason


def test_a_bad_mmdb_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mmdb"
    bad.write_bytes(b"this is not a MaxMind database" * 10)
    with pytest.raises(BadInput, match="not a readable MaxMind .mmdb") as err:
        GeoLocator(bad)
    assert str(bad) in str(err.value) and err.value.field == "CLOUDKYC_GEOIP_MMDB"
    with pytest.raises(BadInput, match="no MaxMind database at this path"):
        GeoLocator(tmp_path / "absent.mmdb")


def test_an_mmdb_without_countries_is_refused(tmp_path: Path) -> None:
    asn = write_mmdb(
        tmp_path / "asn.mmdb",
        {"8.8.8.0/24": {"autonomous_system_number": 15169}},
        database_type="GeoLite2-ASN",
    )
    with pytest.raises(BadInput, match="GeoLite2-ASN database holds no countries"):
        GeoLocator(asn)
