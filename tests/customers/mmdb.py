"""A minimal MaxMind DB (.mmdb) writer for tests: enough of the format (version 2.0, 24-bit
records, maps, strings, unsigned integers, arrays) to build a tiny Country database that the
real `maxminddb` reader opens. No writer library is installed, and the format is small:
https://maxmind.github.io/MaxMind-DB/ (search tree, 16-byte separator, data, metadata).
"""

from __future__ import annotations

import ipaddress
import struct
from pathlib import Path
from typing import Any

METADATA_MARKER = b"\xab\xcd\xefMaxMind.com"


def _control(type_: int, size: int) -> bytes:
    if size < 29:
        head, extra = size, b""
    elif size < 29 + 256:
        head, extra = 29, bytes([size - 29])
    else:
        head, extra = 30, struct.pack(">H", size - 285)
    if type_ <= 7:
        return bytes([(type_ << 5) | head]) + extra
    return bytes([head, type_ - 7]) + extra  # extended type: 0 in the top bits, then type - 7


class U16(int):
    """An integer the format stores as uint16 (the metadata's versions, sizes)."""


class U64(int):
    """An integer the format stores as uint64 (build_epoch)."""


def encode(value: Any) -> bytes:
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _control(2, len(raw)) + raw
    if isinstance(value, bool):
        return _control(14, int(value))
    if isinstance(value, int):
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
        type_ = 5 if isinstance(value, U16) else 9 if isinstance(value, U64) else 6
        return _control(type_, len(raw)) + raw
    if isinstance(value, dict):
        body = b"".join(encode(str(k)) + encode(v) for k, v in value.items())
        return _control(7, len(value)) + body
    if isinstance(value, list):
        return _control(11, len(value)) + b"".join(encode(v) for v in value)
    raise TypeError(type(value))


def write_mmdb(
    path: Path,
    networks: dict[str, dict[str, Any]],
    *,
    ip_version: int = 6,
    database_type: str = "GeoLite2-Country",
    build_epoch: int = 1_750_000_000,
) -> Path:
    """Write `networks` (CIDR -> record) as a MaxMind DB; IPv4 networks go under ::/96 in an
    IPv6 tree, as MaxMind's own databases place them."""
    depth = 128 if ip_version == 6 else 32
    nodes: list[list[Any]] = [[None, None]]
    data = b""
    offsets: dict[bytes, int] = {}
    for cidr, record in networks.items():
        net = ipaddress.ip_network(cidr)
        bits, length = int(net.network_address), net.prefixlen
        if net.version == 4 and ip_version == 6:
            length += 96
        elif net.version != ip_version:
            raise ValueError(f"{cidr} does not fit an IPv{ip_version} tree")
        blob = encode(record)
        if blob not in offsets:
            offsets[blob] = len(data)
            data += blob
        node = 0
        for i in range(length):
            bit = (bits >> (depth - 1 - i)) & 1
            if i == length - 1:
                nodes[node][bit] = ("data", offsets[blob])
            else:
                if nodes[node][bit] is None:
                    nodes.append([None, None])
                    nodes[node][bit] = ("node", len(nodes) - 1)
                node = nodes[node][bit][1]
    count = len(nodes)

    def record_value(entry: Any) -> int:
        if entry is None:
            return count
        kind, value = entry
        return value if kind == "node" else count + 16 + value

    tree = b"".join(
        record_value(left).to_bytes(3, "big") + record_value(right).to_bytes(3, "big")
        for left, right in nodes
    )
    metadata = {
        "binary_format_major_version": U16(2),
        "binary_format_minor_version": U16(0),
        "build_epoch": U64(build_epoch),
        "database_type": database_type,
        "description": {"en": "cloudkyc test database"},
        "ip_version": U16(ip_version),
        "languages": ["en"],
        "node_count": count,
        "record_size": U16(24),
    }
    path.write_bytes(tree + b"\x00" * 16 + data + METADATA_MARKER + encode(metadata))
    return path
