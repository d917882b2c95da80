"""Repository for restricted-party lists: whole sources are replaced atomically, then read back.

A source (e.g. "ofac-sdn") is always replaced as a whole, in the caller's transaction, so a
screening run never sees half an old list and half a new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from cloudkyc.errors import BadInput, NotFound
from cloudkyc.lists.common import NUL
from cloudkyc.lists.model import MAX_ID_LENGTH, MAX_SOURCE_LENGTH, ParseResult, Party
from cloudkyc.store.audit import digest
from cloudkyc.store.db import upsert
from cloudkyc.store.models import ListSource, PartyRow

CHUNK = 5000  # rows per INSERT batch: bounded memory, few round trips
_PARTY_FIELDS = frozenset(f.name for f in fields(Party))


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """What `lists status` shows for one loaded source."""

    source: str
    format: str
    parties: int
    rejected: int
    published: str | None
    loaded_at: datetime
    sha256: str
    files: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "parties": self.parties,
            "rejected": self.rejected,
            "published": self.published,
            "loaded_at": self.loaded_at.isoformat(),
            "sha256": self.sha256,
            "files": self.files,
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_entries(paths: Sequence[Path], sha256s: Mapping[str, str]) -> list[dict[str, Any]]:
    entries = []
    for path in paths:
        sha = sha256s.get(str(path))
        if sha is None and path.is_file():
            sha = file_sha256(path)
        size = path.stat().st_size if path.is_file() else None
        entries.append({"path": str(path), "sha256": sha, "bytes": size})
    return entries


def _combined_sha256(entries: Sequence[dict[str, Any]]) -> str:
    # names and digests only, so the same files read from another directory give the same digest
    lines = "\n".join(f"{Path(e['path']).name} {e['sha256'] or '-'}" for e in entries)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _group(results: Iterable[ParseResult]) -> dict[str, list[ParseResult]]:
    groups: dict[str, list[ParseResult]] = {}
    for result in results:
        groups.setdefault(result.source, []).append(result)
    return groups


def _check_storable(source: str, party: Party, where: Path | None) -> None:
    """What PostgreSQL would refuse (and SQLite take): parsers reject such rows, this is the
    last guard so that both backends always accept and refuse the same loads."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise BadInput(
            f"source id {source[:40]!r}... is over {MAX_SOURCE_LENGTH} characters", file=where
        )
    if len(party.id) > MAX_ID_LENGTH:
        raise BadInput(
            f"party id {party.id[:40]!r}... is over {MAX_ID_LENGTH} characters", file=where
        )
    if any(NUL in text for text in (source, party.id, party.name, party.type, *party.countries)):
        raise BadInput(f"party {party.id!r} holds a NUL character (0x00)", file=where)


def _check_ids(session: Session, groups: Mapping[str, list[ParseResult]]) -> None:
    """Refuse duplicate, colliding or unstorable ids up front, naming the file and party."""
    owner: dict[str, str] = {}
    for source, results in groups.items():
        for result in results:
            where = result.files[0] if result.files else None
            for party in result.parties:
                _check_storable(source, party, where)
                if party.id in owner:
                    raise BadInput(
                        f"party id {party.id!r} appears twice (sources {owner[party.id]!r} "
                        f"and {source!r})",
                        file=where,
                    )
                owner[party.id] = source
    others = select(PartyRow.id, PartyRow.source).where(PartyRow.source.not_in(list(groups)))
    for party_id, other in session.execute(others):
        if party_id in owner:
            raise BadInput(
                f"party id {party_id!r} of source {owner[party_id]!r} is already stored "
                f"under source {other!r}"
            )


def _party_rows(source: str, results: Sequence[ParseResult]) -> Iterator[dict[str, Any]]:
    for result in results:
        for party in result.parties:
            yield {
                "id": party.id,
                "source": source,
                "name": party.name,
                "type": party.type,
                "countries": ",".join(party.countries),
                "data": party.to_dict(),
            }


def _chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def replace_sources(
    session: Session,
    results: Sequence[ParseResult],
    sha256s: Mapping[str, str] | None = None,
    *,
    loaded_at: datetime | None = None,
) -> list[SourceStatus]:
    """Replace every source named in `results` by exactly their parties, in the session's
    transaction: commit to publish all of them, roll back to keep all the old ones.

    Results sharing a source are merged (e.g. two watchlist files). `sha256s` maps str(path) to
    a digest already computed (by the downloader); other files are hashed here.
    """
    groups = _group(results)
    if not groups:
        return []
    sha256s = sha256s or {}
    loaded_at = loaded_at or datetime.now(UTC)
    _check_ids(session, groups)
    session.execute(delete(PartyRow).where(PartyRow.source.in_(list(groups))))
    sources = []
    for source, group in groups.items():
        entries = _file_entries([f for r in group for f in r.files], sha256s)
        formats = list(dict.fromkeys(r.format for r in group))
        published = [r.published for r in group if r.published]
        sources.append(
            {
                "id": source,
                "format": "+".join(formats),
                "files": entries,
                "sha256": _combined_sha256(entries),
                "published": published[0] if published else None,
                "party_count": sum(len(r.parties) for r in group),
                "rejected_count": sum(len(r.errors) for r in group),
                "loaded_at": loaded_at,
            }
        )
    upsert(session, ListSource, sources)  # before the parties: they reference it
    table = cast(Table, PartyRow.__table__)
    for source, group in groups.items():
        for chunk in _chunks(_party_rows(source, group)):
            session.execute(insert(table), chunk)
    session.flush()
    return [_status(ListSource(**row)) for row in sources]


def _to_party(data: dict[str, Any]) -> Party:
    # tolerate fields added or dropped since the row was written
    return Party.from_dict({k: v for k, v in data.items() if k in _PARTY_FIELDS})


def load_parties(session: Session, sources: Iterable[str] | None = None) -> list[Party]:
    """Every stored party (of `sources` if given), ordered by id so runs are reproducible."""
    query = select(PartyRow.data).order_by(PartyRow.id)
    if sources is not None:
        query = query.where(PartyRow.source.in_(list(sources)))
    return [_to_party(data) for data in session.execute(query).scalars()]


def get_party(session: Session, party_id: str) -> Party:
    data = session.execute(select(PartyRow.data).where(PartyRow.id == party_id)).scalar()
    if data is None:
        raise NotFound(f"no party with id {party_id!r}")
    return _to_party(data)


def _status(row: ListSource) -> SourceStatus:
    loaded_at = row.loaded_at
    if loaded_at.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC
        loaded_at = loaded_at.replace(tzinfo=UTC)
    return SourceStatus(
        source=row.id,
        format=row.format,
        parties=row.party_count,
        rejected=row.rejected_count,
        published=row.published,
        loaded_at=loaded_at,
        sha256=row.sha256,
        files=list(row.files),
    )


def list_status(session: Session) -> list[SourceStatus]:
    """One entry per loaded source, by source id."""
    rows = session.execute(select(ListSource).order_by(ListSource.id)).scalars()
    return [_status(row) for row in rows]


def party_digest(party: Party) -> str:
    """What a screening hit remembers of the entry it matched: when the entry changes, so does
    this, and a reviewer's clearance of the hit lapses."""
    return digest(party.to_dict())


def party_digests(session: Session, sources: Iterable[str] | None = None) -> dict[str, str]:
    return {p.id: party_digest(p) for p in load_parties(session, sources)}


@dataclass(frozen=True)
class ListDelta:
    """What a load changed: the ids of the entries added, changed and removed."""

    added: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()

    @classmethod
    def between(cls, before: Mapping[str, str], after: Mapping[str, str]) -> ListDelta:
        """From two {party id: digest} snapshots of the same sources."""
        return cls(
            added=frozenset(after.keys() - before.keys()),
            changed=frozenset(k for k in after.keys() & before.keys() if after[k] != before[k]),
            removed=frozenset(before.keys() - after.keys()),
        )

    @property
    def touched(self) -> frozenset[str]:
        return self.added | self.changed | self.removed

    def __bool__(self) -> bool:
        return bool(self.touched)


def replace_sources_delta(
    session: Session, results: Sequence[ParseResult], sha256s: Mapping[str, str] | None = None
) -> ListDelta:
    """replace_sources, and what it changed (for re-screening customers as a delta)."""
    before = party_digests(session, {r.source for r in results})
    replace_sources(session, results, sha256s)
    after = {p.id: party_digest(p) for r in results for p in r.parties}
    return ListDelta.between(before, after)
