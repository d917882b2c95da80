"""Download the official lists, verify every file, and publish all of them at once or none.

A compliance store must never hold a half-downloaded or truncated list: screening against it
would silently miss parties. So every file is fetched and parsed first, checked against floors
(minimum party count, rejected-row share, no sharp drop from the stored count), and only then
are all sources replaced in one transaction. The files of the last good update are kept.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from cloudkyc import __version__
from cloudkyc.errors import BadInput, UpstreamError
from cloudkyc.lists.checks import MAX_REJECTED_SHARE, MIN_KEPT, verify
from cloudkyc.lists.formats import read_list
from cloudkyc.lists.model import ParseResult
from cloudkyc.settings import Settings
from cloudkyc.store.parties import ListDelta

# source id -> (official upper-case file name, local name the parsers expect)
OFAC_FILES: dict[str, tuple[tuple[str, str], ...]] = {
    "ofac-sdn": (
        ("SDN.CSV", "sdn.csv"),
        ("ALT.CSV", "alt.csv"),
        ("ADD.CSV", "add.csv"),
        ("SDN_COMMENTS.CSV", "sdn_comments.csv"),
    ),
    "ofac-cons": (
        ("CONS_PRIM.CSV", "cons_prim.csv"),
        ("CONS_ALT.CSV", "cons_alt.csv"),
        ("CONS_ADD.CSV", "cons_add.csv"),
        ("CONS_COMMENTS.CSV", "cons_comments.csv"),
    ),
}
SOURCES = ("csl", *OFAC_FILES)

MIN_PARTIES: dict[str, int] = {source: 1 for source in SOURCES}

# (what is happening, steps done, steps in all)
ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Download:
    source: str
    url: str
    path: Path
    sha256: str
    bytes: int


@dataclass(slots=True)
class UpdateReport:
    """What an update stored: where the files are kept, and what each source yielded."""

    directory: Path
    downloads: list[Download] = field(default_factory=list)
    results: list[ParseResult] = field(default_factory=list)
    delta: ListDelta = field(default_factory=ListDelta)  # entries added, changed, removed


def _csl_format(settings: Settings) -> str:
    return "csl-json" if urlsplit(settings.csl_url).path.lower().endswith(".json") else "csl-csv"


def plan(settings: Settings) -> list[tuple[str, str, Path]]:
    """(source, url, path relative to the download dir) for every file an update fetches."""
    base = settings.ofac_base_url.rstrip("/") + "/"
    suffix = ".json" if _csl_format(settings) == "csl-json" else ".csv"
    files = [("csl", settings.csl_url, Path("csl") / f"consolidated{suffix}")]
    for source, names in OFAC_FILES.items():
        files += [(source, base + remote, Path(source) / local) for remote, local in names]
    return files


def _fetch(client: httpx.Client, source: str, url: str, path: Path) -> Download:
    digest = hashlib.sha256()
    size = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise UpstreamError(f"{url}: HTTP {response.status_code}, expected 200")
            with path.open("wb") as fh:
                for block in response.iter_bytes():
                    digest.update(block)
                    size += len(block)
                    fh.write(block)
    except httpx.HTTPError as exc:  # refused, timed out, cut short (body < Content-Length)
        raise UpstreamError(f"{url}: download failed: {exc}") from exc
    if size == 0:
        raise UpstreamError(f"{url}: empty response")
    return Download(source, url, path, digest.hexdigest(), size)


def _parse(source: str, fmt: str, downloads: list[Download]) -> ParseResult:
    """Read what was downloaded for `source` in the format the official files are published in
    (not detected: a garbage page must fail as a broken list, not as some other format)."""
    mine = [d for d in downloads if d.source == source]
    target = mine[0].path.parent if source in OFAC_FILES else mine[0].path
    urls = ", ".join(d.url for d in mine)
    try:
        result = read_list(target, fmt)
    except BadInput as exc:
        raise BadInput(
            f"{exc.message} (downloaded from {urls})",
            file=exc.file,
            line=exc.line,
            field=exc.field,
        ) from exc
    if result.source != source:
        raise BadInput(
            f"expected a {source} list, read a {result.source!r} list ({result.format}) "
            f"from {urls}",
            file=target,
        )
    return result


def _stored_counts(settings: Settings) -> dict[str, int]:
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.parties import list_status

    with session_scope(settings) as session:
        return {s.source: s.parties for s in list_status(session)}


def _new_directory(root: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=root))
    except OSError as exc:  # the data dir is a file, unwritable, on a read-only file system
        raise BadInput(
            f"cannot create a download directory in {root}: {exc.strerror or exc}",
            file="environment",
            field="CLOUDKYC_DATA_DIR",
        ) from None


def _prune(root: Path, keep: Path) -> None:
    for old in root.iterdir():
        if old.is_dir() and old != keep:
            shutil.rmtree(old, ignore_errors=True)


def update_lists(
    settings: Settings,
    progress: ProgressFn | None = None,
    *,
    min_parties: Mapping[str, int] | None = None,
    max_rejected_share: float = MAX_REJECTED_SHARE,
    min_kept: float = MIN_KEPT,
) -> UpdateReport:
    """Fetch CSL and OFAC SDN + consolidated lists, verify them, store all or nothing.

    Raises UpstreamError (a URL failed) or BadInput (a file failed verification); the store
    and the files of the previous update are then left exactly as they were.
    """
    from cloudkyc.store.db import session_scope
    from cloudkyc.store.parties import replace_sources_delta

    floors = {**MIN_PARTIES, **(min_parties or {})}
    files = plan(settings)
    total = len(files) + len(SOURCES) + 1
    step = 0

    def tick(what: str) -> None:
        nonlocal step
        if progress is not None:
            progress(what, step, total)
        step += 1

    root = settings.data_dir / "downloads"
    directory = _new_directory(root)
    report = UpdateReport(directory)
    try:
        headers = {"User-Agent": f"cloudkyc/{__version__} (list update)"}
        with httpx.Client(
            timeout=settings.http_timeout, follow_redirects=True, headers=headers
        ) as client:
            for source, url, relative in files:
                tick(f"downloading {url}")
                report.downloads.append(_fetch(client, source, url, directory / relative))
        stored = _stored_counts(settings)
        for source in SOURCES:
            tick(f"checking {source}")
            fmt = "ofac-csv" if source in OFAC_FILES else _csl_format(settings)
            result = _parse(source, fmt, report.downloads)
            verify(result, stored, floors, max_rejected_share, min_kept)
            report.results.append(result)
        tick("storing")
        sha256s = {str(d.path): d.sha256 for d in report.downloads}
        with session_scope(settings) as session:
            report.delta = replace_sources_delta(session, report.results, sha256s)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    _prune(root, keep=directory)
    if progress is not None:
        progress("done", total, total)
    return report
