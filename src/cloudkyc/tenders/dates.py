"""Dates and times as notices print them, to ISO 8601 in Beijing time (UTC+08:00, the zone
every notice is written in): "2025年07月14日 01:59", "2026-01-05 14:00:00", "2026年02月26日
09时30分", "2026年09月29日 13点30分", cover pages' "二〇二六年四月", and 13-digit epoch
milliseconds from 政采云 and aggregator JSON."""

from __future__ import annotations

import datetime as dt
import re

BEIJING = dt.timezone(dt.timedelta(hours=8))
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[年./-]\s*(?P<m>\d{1,2})\s*[月./-]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})?\s*分?(?::(?P<S>\d{2}))?)?"
)
_MONTH = re.compile(r"(?P<y>[〇○零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_EPOCH = re.compile(r"(?<!\d)1\d{12}(?!\d)")


def _iso(day: dt.date, hour: int | None, minute: int | None) -> str | None:
    if hour is None:
        return day.isoformat()
    if not (0 <= hour <= 24 and 0 <= (minute or 0) <= 59):
        return day.isoformat()
    moment = dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING) + dt.timedelta(
        hours=hour, minutes=minute or 0
    )
    return moment.isoformat()


def first_date(text: str) -> str | None:
    """The first date (with its time, when one is given) in `text`, as ISO 8601."""
    epoch = _EPOCH.search(text)
    m = _DATE.search(text)
    if epoch is not None and (m is None or epoch.start() < m.start()):
        moment = dt.datetime.fromtimestamp(int(epoch.group()) / 1000, tz=BEIJING)
        return moment.replace(second=0).isoformat()
    if m is not None:
        try:
            day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            return None
        hour = int(m["H"]) if m["H"] else None
        return _iso(day, hour, int(m["M"]) if m["M"] else None)
    month = _MONTH.search(text)
    if month is not None:
        year = int("".join(str(_CN_DIGIT[c]) for c in month["y"]))
        names = "一二三四五六七八九十"
        mm = month["m"]
        number = (
            10 + (names.index(mm[1]) + 1 if len(mm) > 1 else 0)
            if mm[0] == "十"
            else (names.index(mm[0]) + 1)
        )
        if 1 <= number <= 12:
            return f"{year:04d}-{number:02d}"
    return None


def as_datetime(value: str) -> str:
    """An ISO date or date-time from `first_date` as a full date-time (OCDS wants one)."""
    if "T" in value:
        return value
    if len(value) == 7:
        value += "-01"
    return f"{value}T00:00:00+08:00"
