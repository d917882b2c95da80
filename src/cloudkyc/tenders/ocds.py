"""Notices as OCDS 1.1 release packages. Core fields carry what OCDS has a place for (buyer,
procuring entity = the agency, tender value = the budget, awards per lot); flags, compute
terms, screening hits, the ceiling (no 1.1 field) and the source go in the namespaced
extension object `x_cloudkyc` on each release. The ocid prefix is not registered with the
Open Contracting Partnership: pass a registered one when publishing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from typing import Any

from cloudkyc.tenders.dates import as_datetime
from cloudkyc.tenders.fields import ocds_method
from cloudkyc.tenders.model import Amount, Notice, Supplier, money
from cloudkyc.tenders.vocab import fold, labels

DEFAULT_PREFIX = "ocds-cloudkyc"
TAGS = {
    "tender": "tender",
    "single_source": "tender",
    "award": "award",
    "candidate": "award",
    "correction": "tenderAmendment",
}
STATUS = {
    "tender": "active",
    "single_source": "active",
    "award": "complete",
    "candidate": "active",
    "correction": "active",
}
_QUANTITY = re.compile(r"^\s*(\d+(?:\.\d+)?)")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _value(amount: Amount | None) -> dict[str, Any] | None:
    """An OCDS Value in the amount's own currency (a USD award stays USD)."""
    if amount is None or amount.amount is None or amount.kind in ("rate", "rejected"):
        return None
    return {"amount": money(amount.amount), "currency": amount.currency}


def _org_id(name: str) -> str:
    return f"cloudkyc-org-{_hash(name)}"


def _tag(notice: Notice) -> str:
    if notice.notice_type in TAGS:
        return TAGS[notice.notice_type]
    folded = fold(notice.type_evidence)
    return next((tag for w, tag in labels().other_tags.items() if w in folded), "tenderUpdate")


def _parties(notice: Notice) -> list[dict[str, Any]]:
    parties: dict[str, dict[str, Any]] = {}

    def add(name: str, role: str, address: str | None = None, contact: str | None = None) -> None:
        party = parties.setdefault(name, {"id": _org_id(name), "name": name, "roles": []})
        if role not in party["roles"]:
            party["roles"].append(role)
        if address and "address" not in party:
            party["address"] = {"streetAddress": address}
        if contact and "contactPoint" not in party:
            party["contactPoint"] = {"name": contact}

    if notice.buyer is not None:
        add(notice.buyer.name, "buyer", notice.buyer.address, notice.buyer.contact)
        for other in notice.buyer.other_names:
            add(other, "buyer")
        if notice.agency is None:
            add(notice.buyer.name, "procuringEntity")
    if notice.agency is not None:
        add(notice.agency.name, "procuringEntity", notice.agency.address, notice.agency.contact)
    for s in notice.suppliers:
        add(s.name, "supplier" if s.role == "winner" else "tenderer", s.address)
    return list(parties.values())


def _items(notice: Notice) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(notice.items, 1):
        entry: dict[str, Any] = {
            "id": str(i),
            "description": " ".join(p for p in (item.name, item.model) if p),
        }
        m = _QUANTITY.match(item.quantity or "")
        if m:
            entry["quantity"] = float(m.group(1))
        unit_value = _value(item.unit_price)
        if unit_value:
            entry["unit"] = {"value": unit_value}
        out.append(entry)
    return out


def _awards(notice: Notice, date: str) -> list[dict[str, Any]]:
    if notice.notice_type not in ("award", "candidate"):
        return []
    by_lot: dict[str | None, list[Supplier]] = {}
    for s in notice.suppliers:
        if s.role in ("winner", "candidate"):
            by_lot.setdefault(s.lot, []).append(s)
    out = []
    for i, (lot, group) in enumerate(by_lot.items(), 1):
        award: dict[str, Any] = {
            "id": f"{lot or i}",
            "status": "active" if all(s.role == "winner" for s in group) else "pending",
            "date": date,
            "suppliers": [{"id": _org_id(s.name), "name": s.name} for s in group],
        }
        if lot:
            award["title"] = f"lot {lot}"
        totals = [
            s.amount
            for s in group
            if s.role == "winner" and s.amount is not None and s.amount.kind != "unit_price"
        ]
        values = [_value(a) for a in totals]
        currencies = {v["currency"] for v in values if v is not None}
        if len(values) == len(group) and None not in values and len(currencies) == 1:
            total = sum((a.amount for a in totals if a.amount is not None), Decimal(0))
            award["value"] = {"amount": money(total), "currency": currencies.pop()}
        prices = [s.amount for s in group if s.amount is not None and s.amount.kind == "unit_price"]
        if prices:
            award["items"] = [
                {"id": f"{award['id']}-{n}", "unit": {"value": _value(p)}}
                for n, p in enumerate(prices, 1)
            ]
        out.append(award)
    return out


def release(
    notice: Notice, prefix: str = DEFAULT_PREFIX, scanned: str | None = None
) -> dict[str, Any]:
    source = notice.source_file + (f"#{notice.record}" if notice.record else "")
    process = re.sub(r"\s+", "", notice.project_number or "") or _hash(
        source, notice.project_name or ""
    )
    ocid = f"{prefix}-{process}"
    dates = notice.dates
    moment = next(
        (dates[k] for k in ("published", "award_date", "tender_date") if k in dates), None
    )
    date = as_datetime(moment) if moment else (scanned or _now())
    tender: dict[str, Any] = {"id": notice.project_number or ocid}
    optional = {
        "title": notice.project_name,
        "status": STATUS.get(notice.notice_type),
        "value": _value(notice.budget),
        "procurementMethod": ocds_method(notice.method),
        "procurementMethodDetails": notice.method,
        "mainProcurementCategory": next(
            (code for w, code in labels().categories if notice.category and w in notice.category),
            None,
        ),
        "items": _items(notice) or None,
        "tenderPeriod": {"endDate": as_datetime(dates["deadline"])}
        if "deadline" in dates
        else None,
    }
    tender.update({k: v for k, v in optional.items() if v is not None})
    if notice.agency is not None or notice.buyer is not None:
        entity = notice.agency or notice.buyer
        tender["procuringEntity"] = {"id": _org_id(entity.name), "name": entity.name}  # type: ignore[union-attr]
    out: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{notice.notice_type}-{_hash(source)}",
        "date": date,
        "tag": [_tag(notice)],
        "initiationType": "tender",
        "language": "zh",
        "parties": _parties(notice),
        "tender": tender,
    }
    if notice.buyer is not None:
        out["buyer"] = {"id": _org_id(notice.buyer.name), "name": notice.buyer.name}
    awards = _awards(notice, date)
    if awards:
        out["awards"] = awards
    out["x_cloudkyc"] = {
        "sourceFile": notice.source_file,
        "sourceRecord": notice.record,
        "noticeType": notice.notice_type,
        "typeEvidence": notice.type_evidence,
        "ceiling": _value(notice.ceiling),
        "lots": [lot.to_json() for lot in notice.lots],
        "dates": dates,
        "flags": [f.to_json() for f in notice.flags],
        "compute": [m.to_json() for m in notice.mentions],
        "hits": notice.hits,
    }
    return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def release_package(
    notices: list[Notice], prefix: str = DEFAULT_PREFIX, uri: str | None = None
) -> dict[str, Any]:
    scanned = _now()
    releases = [release(n, prefix, scanned) for n in notices]
    return {
        "uri": uri or f"urn:cloudkyc:tenders:{_hash(*(r['id'] for r in releases))}",
        "version": "1.1",
        "publishedDate": scanned,
        "publisher": {"name": "cloudkyc procurement-notice monitor"},
        "releases": releases,
    }
