"""The country of an IP address, from an offline database, with the database that said so.

A MaxMind GeoIP2 / GeoLite2 Country (or City) .mmdb is used when the caller passes its path
(the CLOUDKYC_GEOIP_MMDB setting); otherwise the database geoip2fast ships, built from MaxMind
GeoLite2 Country. Addresses that are not globally routable (private-use, loopback, link-local,
shared/CGNAT, documentation, multicast, reserved) answer "private": they locate nobody. An
address no database can place answers "unknown" with the reason, never a guess; in particular
an IPv6 address answers "unknown" when the database in use holds IPv4 networks only.

IPv4 carried inside IPv6 by a fixed rule (IPv4-mapped ::ffff:a.b.c.d, 6to4 2002::/16 and the
NAT64 well-known prefix 64:ff9b::/96) is looked up as the IPv4 address it carries.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from cloudkyc.errors import BadInput

PRIVATE = "private"
UNKNOWN = "unknown"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # RFC 6598 carrier-grade NAT
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
_DOCUMENTATION = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]
_BUNDLED_DATE = re.compile(r"(\d{8})\s*$")
CACHE_SIZE = 200_000  # answers kept per locator; past this the cache starts again


@dataclass(frozen=True)
class Database:
    """Which database answered: its name (e.g. GeoLite2-Country), kind, date and file."""

    name: str
    kind: Literal["mmdb", "geoip2fast"]
    built: dt.date | None
    path: str
    ipv6: bool  # whether it holds IPv6 networks

    def describe(self) -> str:
        when = self.built.isoformat() if self.built else "undated"
        return f"{self.name} ({self.kind}, {when})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "built": self.built.isoformat() if self.built else None,
            "path": self.path,
            "ipv6": self.ipv6,
        }


@dataclass(frozen=True)
class GeoAnswer:
    """`country` is an ISO 3166-1 alpha-2 code, or "private", or "unknown"; `reason` says why
    for the last two and names anything notable (a registered rather than located country,
    an IPv4 address read out of an IPv6 one)."""

    ip: str
    country: str
    database: Database | None  # None when no database was asked (private addresses)
    network: str | None = None
    reason: str = ""

    @property
    def located(self) -> bool:
        return self.country not in (PRIVATE, UNKNOWN)


@lru_cache(maxsize=65_536)  # access events name the same addresses again and again
def parse_ip(text: str) -> IPAddress:
    """The address, or BadInput naming the value."""
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        raise BadInput(f"'{text}' is not an IPv4 or IPv6 address", field="ip") from None


def embedded_ipv4(addr: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries by a fixed rule, if it carries one."""
    if isinstance(addr, ipaddress.IPv4Address):
        return None
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr in _NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def special_purpose(addr: IPAddress) -> str | None:
    """What a non-globally-routable address is ("loopback", "private-use", ...), or None."""
    if addr.is_loopback:
        return "loopback"
    if addr.is_unspecified:
        return "unspecified"
    if addr.is_link_local:
        return "link-local"
    if addr.is_multicast:
        return "multicast"
    if addr in _SHARED:
        return "shared address space (carrier-grade NAT, 100.64.0.0/10)"
    if any(addr in net for net in _DOCUMENTATION):
        return "documentation range"
    if addr.is_reserved:
        return "reserved"
    if not addr.is_global:
        return "private-use or special-purpose (not globally routable)"
    return None


class GeoLocator:
    """Country of an IP address. `mmdb`: path of a MaxMind Country or City database; without
    it, geoip2fast's bundled GeoLite2 Country data (with its IPv6 networks when the installed
    geoip2fast ships them and `bundled_ipv6` is true; otherwise IPv6 answers "unknown").

    The answer for an address never changes while the database is open, so each is kept (up
    to CACHE_SIZE addresses): the same addresses come back account after account."""

    def __init__(self, mmdb: str | Path | None = None, *, bundled_ipv6: bool = True) -> None:
        self._reader: Any = None
        self._fast: Any = None
        if mmdb is not None and str(mmdb).strip():
            self._reader, self.database = _open_mmdb(Path(mmdb))
        else:
            self._fast, self.database = _bundled(bundled_ipv6)
        self._answers: dict[str, GeoAnswer] = {}

    def lookup(self, ip: str) -> GeoAnswer:
        answer = self._answers.get(ip)
        if answer is None:
            if len(self._answers) >= CACHE_SIZE:
                self._answers.clear()
            answer = self._answers[ip] = self._locate(ip)
        return answer

    def _locate(self, ip: str) -> GeoAnswer:
        addr = parse_ip(ip)
        text = str(addr)
        kind = special_purpose(addr)
        inner = embedded_ipv4(addr)
        note = ""
        if inner is not None:
            note = f"IPv4 {inner} carried in {text}"
            addr, kind = inner, special_purpose(inner)
        if kind is not None:
            return GeoAnswer(text, PRIVATE, None, reason=kind if not note else f"{kind}; {note}")
        answer = self._lookup_mmdb(addr) if self._reader is not None else self._lookup_fast(addr)
        if note:
            reason = f"{answer.reason}; {note}" if answer.reason else note
            return GeoAnswer(text, answer.country, answer.database, answer.network, reason)
        return answer

    def _lookup_mmdb(self, addr: IPAddress) -> GeoAnswer:
        db = self.database
        if addr.version == 6 and not db.ipv6:
            return GeoAnswer(str(addr), UNKNOWN, db, reason=f"IPv6, and {db.name} is IPv4 only")
        record, prefix = self._reader.get_with_prefix_len(str(addr))
        network = str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))
        if not isinstance(record, dict):
            return GeoAnswer(str(addr), UNKNOWN, db, network, f"not in {db.name}")
        for key, why in (("country", ""), ("registered_country", "registered country")):
            code = (record.get(key) or {}).get("iso_code")
            if isinstance(code, str) and len(code) == 2:
                reason = f"{why}: {db.name} has no located country" if why else ""
                return GeoAnswer(str(addr), code.upper(), db, network, reason)
        return GeoAnswer(str(addr), UNKNOWN, db, network, f"{db.name} gives no country")

    def _lookup_fast(self, addr: IPAddress) -> GeoAnswer:
        db = self.database
        if addr.version == 6 and not db.ipv6:
            return GeoAnswer(str(addr), UNKNOWN, db, reason=f"IPv6, and {db.name} is IPv4 only")
        found = self._fast.lookup(str(addr))
        code = str(getattr(found, "country_code", "") or "")
        network = str(getattr(found, "cidr", "") or "") or None
        if len(code) == 2 and code.isalpha():
            return GeoAnswer(str(addr), code.upper(), db, network)
        why = str(getattr(found, "country_name", "") or "no country").strip("<>")
        return GeoAnswer(str(addr), UNKNOWN, db, network, f"{db.name}: {why}")


def _open_mmdb(path: Path) -> tuple[Any, Database]:
    import maxminddb

    if not path.is_file():
        raise BadInput("no MaxMind database at this path", file=path, field="CLOUDKYC_GEOIP_MMDB")
    try:
        reader = maxminddb.open_database(str(path))
        meta = reader.metadata()
    except (maxminddb.InvalidDatabaseError, ValueError, OSError) as exc:
        raise BadInput(
            f"not a readable MaxMind .mmdb database ({exc})", file=path, field="CLOUDKYC_GEOIP_MMDB"
        ) from None
    name = str(meta.database_type)
    if "country" not in name.lower() and "city" not in name.lower():
        reader.close()
        raise BadInput(
            f"a {name} database holds no countries; give a GeoIP2/GeoLite2 Country or City .mmdb",
            file=path,
            field="CLOUDKYC_GEOIP_MMDB",
        )
    built = dt.datetime.fromtimestamp(int(meta.build_epoch), dt.UTC).date()
    return reader, Database(name, "mmdb", built, str(path), int(meta.ip_version) == 6)


@cache
def _bundled(ipv6: bool) -> tuple[Any, Database]:
    """geoip2fast's own data file, loaded once per process (about 0.1 s)."""
    from geoip2fast import GeoIP2Fast

    fast = None
    if ipv6:
        try:
            fast = GeoIP2Fast(geoip2fast_data_file="geoip2fast-ipv6.dat.gz")
        except Exception:  # an install without the IPv6 file: fall back to IPv4 only
            fast = None
    if fast is None:
        fast = GeoIP2Fast()
    info = fast.get_database_info()
    source = str(info.get("source_info", ""))  # e.g. MAXMIND:GeoLite2-Country-IPv4IPv6-en-20240618
    name = source.split(":", 1)[-1] or "geoip2fast"
    name = _BUNDLED_DATE.sub("", name).rstrip("-") or name
    match = _BUNDLED_DATE.search(source)
    built = dt.datetime.strptime(match.group(1), "%Y%m%d").date() if match else None
    has_v6 = int(info.get("country", {}).get("ipv6_networks", 0) or 0) > 0
    path = str(info.get("database_fullpath", ""))
    return fast, Database(name, "geoip2fast", built, path, has_v6)
