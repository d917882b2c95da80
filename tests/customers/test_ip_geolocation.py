"""ip_geolocation: every access address's country against the declared one; administration
or most access from D:5, Macau or Country Group E on a customer outside them fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.customers.geo import GeoLocator
from cloudkyc.customers.models import CountryGroups
from cloudkyc.customers.place_checks import check_ip_geolocation
from cloudkyc.policy import select

from .factory import CN_USCC, IP, ON, event, record
from .mmdb import write_mmdb

NETS = {
    "SG": "11.0.0",
    "US": "12.0.0",
    "CN": "13.0.0",
    "MO": "14.0.0",
    "IR": "15.0.0",
    "HK": "16.0.0",
    "VN": "17.0.0",
}


def ip(country: str, host: int = 1) -> str:
    return f"{NETS[country]}.{host}"


@pytest.fixture(scope="module")
def geo(tmp_path_factory: pytest.TempPathFactory) -> GeoLocator:
    path = tmp_path_factory.mktemp("geo") / "test.mmdb"
    write_mmdb(path, {f"{net}.0/24": {"country": {"iso_code": c}} for c, net in NETS.items()})
    return GeoLocator(path)


@pytest.fixture(scope="module")
def groups() -> CountryGroups:
    return CountryGroups(select("country-groups", on=ON))


def run(events: list, geo: GeoLocator, groups: CountryGroups, **changes: object):  # type: ignore[no-untyped-def]
    return check_ip_geolocation(record(**changes), events, geo, groups, ON)


def test_no_access_yet_is_unknown(geo: GeoLocator, groups: CountryGroups) -> None:
    result = run([], geo, groups)
    assert result.status == "unknown" and "no access recorded yet" in result.summary


def test_access_from_the_declared_country_passes(geo: GeoLocator, groups: CountryGroups) -> None:
    result = run([event(ip("SG"), "console"), event(ip("SG", 2), day=3)], geo, groups)
    assert result.status == "pass"
    assert "all 2 located events come from SG" in result.summary


def test_another_country_warns_with_evidence_by_country(
    geo: GeoLocator, groups: CountryGroups
) -> None:
    events = [event(ip("SG"), day=1), event(ip("US"), "ssh", day=2), event(ip("US"), day=5)]
    result = run(events, geo, groups)
    assert result.status == "warn"
    assert "US 2 of 3 located events, 1 console/ssh" in result.summary
    us = result.evidence["by_country"]["US"]
    assert us["events"] == 2 and us["admin_events"] == 1
    assert us["first_seen"].startswith("2026-10-02") and us["last_seen"].startswith("2026-10-05")
    assert us["ips"][0]["ip"] == ip("US") and us["ips"][0]["kinds"] == ["ssh", "api"]
    assert us["ips"][0]["network"] == "12.0.0.0/24"
    assert result.evidence["database"]["kind"] == "mmdb"


def test_one_admin_login_from_d5_fails(geo: GeoLocator, groups: CountryGroups) -> None:
    events = [event(ip("SG"), day=d) for d in range(1, 10)] + [event(ip("CN"), "console")]
    result = run(events, geo, groups)
    assert result.status == "fail"
    assert result.summary.startswith("administration from a restricted country")
    assert "CN (D:1, D:4, D:5) 1 of 10 located events, 1 console/ssh" in result.summary
    assert result.evidence["restricted"] == {"countries": ["CN"], "events": 1, "admin_events": 1}


@pytest.mark.parametrize(
    ("home", "away", "status"), [(2, 1, "warn"), (1, 1, "warn"), (1, 2, "fail")]
)
def test_api_access_from_d5_fails_only_as_a_majority(
    geo: GeoLocator, groups: CountryGroups, home: int, away: int, status: str
) -> None:
    events = [event(ip("SG", h + 1)) for h in range(home)]
    events += [event(ip("CN", h + 1), "api") for h in range(away)]
    assert run(events, geo, groups).status == status


def test_most_api_access_from_d5_fails(geo: GeoLocator, groups: CountryGroups) -> None:
    events = [event(ip("SG")), event(ip("CN"), "api"), event(ip("CN", 2), "api", day=2)]
    result = run(events, geo, groups)
    assert result.status == "fail" and result.summary.startswith("most access")


@pytest.mark.parametrize(
    ("country", "why"),
    [("MO", "Macau"), ("HK", "D:5"), ("IR", "E:1")],  # HK takes China's groups
)
def test_macau_hong_kong_and_group_e_are_restricted(
    geo: GeoLocator, groups: CountryGroups, country: str, why: str
) -> None:
    result = run([event(ip(country), "ssh")], geo, groups)
    assert result.status == "fail" and why in result.summary


def test_d1_only_is_a_mismatch_not_a_fail(geo: GeoLocator, groups: CountryGroups) -> None:
    result = run([event(ip("VN"), "console")], geo, groups)
    assert result.status == "warn" and "VN (D:1)" in result.summary


def test_a_d5_customer_at_home_passes_and_abroad_warns(
    geo: GeoLocator, groups: CountryGroups
) -> None:
    cn = {"country": "CN", "registration_id": CN_USCC, "phone": "+86 10 6552 9988"}
    assert run([event(ip("CN"), "console")], geo, groups, customer=cn).status == "pass"
    result = run([event(ip("US"), "console")], geo, groups, customer=cn)
    assert result.status == "warn"  # its groups are for country_groups to judge


def test_private_addresses_locate_nobody(geo: GeoLocator, groups: CountryGroups) -> None:
    result = run([event(IP["private"]), event("192.168.1.1")], geo, groups)
    assert result.status == "unknown"
    assert "none of the 2 access addresses could be located (private)" in result.summary
    mixed = run([event(IP["private"]), event(ip("SG"))], geo, groups)
    assert mixed.status == "pass" and "1 events not locatable" in mixed.summary


def test_other_accounts_events_are_ignored(geo: GeoLocator, groups: CountryGroups) -> None:
    events = [event(ip("SG")), event(ip("CN"), "console", account_id="acct-999")]
    result = run(events, geo, groups)
    assert result.status == "pass" and result.evidence["other_accounts_ignored"] == 1


def test_ipv6_without_an_ipv6_database_is_unknown(groups: CountryGroups) -> None:
    geo = GeoLocator(bundled_ipv6=False)
    result = run([event("2001:4860:4860::8888", "console")], geo, groups)
    assert result.status == "unknown"
    row = result.evidence["by_country"]["unknown"]["ips"][0]
    assert "IPv4 only" in row["reason"]


def test_the_bundled_database_on_real_addresses_and_its_age(groups: CountryGroups) -> None:
    result = run([event(IP["US"]), event(IP["CN"], "ssh")], GeoLocator(), groups)
    assert result.status == "fail"  # an ssh login from China (114DNS) on a Singapore customer
    assert result.evidence["database"]["built"] == "2024-06-18"
    assert result.evidence["database_age_days"] == 866
    assert "over a year old" in result.summary


def test_without_a_country_groups_pack_restricted_access_only_warns(geo: GeoLocator) -> None:
    result = check_ip_geolocation(record(), [event(ip("CN"), "console")], geo, None, ON)
    assert result.status == "warn"


def test_evidence_keeps_the_database_even_without_events(tmp_path: Path) -> None:
    geo = GeoLocator(
        write_mmdb(tmp_path / "x.mmdb", {"11.0.0.0/24": {"country": {"iso_code": "SG"}}})
    )
    result = check_ip_geolocation(record(), [], geo, None, ON)
    assert result.evidence["database"]["path"].endswith("x.mmdb")
