"""A batch of notices: files and folders in, one Notice per notice read (a JSON list holds
several), each bad file reported with the reason (and line), and each value refused inside a
notice reported with its file, line and field, without stopping the rest. A notice that meets a
bug is reported as an internal error and the batch goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cloudkyc.errors import BadInput
from cloudkyc.tenders.document import read_documents
from cloudkyc.tenders.extract import extract
from cloudkyc.tenders.model import Notice, money
from cloudkyc.tenders.parties import PartyScreener

# Files taken from a folder; a file named on the command line is read whatever its name.
NOTICE_SUFFIXES = {".txt", ".text", ".htm", ".html", ".shtml", ".xhtml", ".pdf", ".json"}


@dataclass(slots=True)
class ScanResult:
    notices: list[Notice] = field(default_factory=list)
    errors: list[BadInput] = field(default_factory=list)  # files (or records) not read
    failures: list[str] = field(default_factory=list)  # internal errors, one line per file

    @property
    def rejected_values(self) -> list[BadInput]:
        """Values refused inside notices that were read, as file:line: field 'x': why."""
        return [
            BadInput(
                f"{'record ' + str(n.record) + ': ' if n.record else ''}"
                f"rejected value {r.text!r}: {r.reason}",
                file=n.source_file,
                line=r.line,
                field=r.field,
            )
            for n in self.notices
            for r in n.rejected
        ]


def notice_files(paths: Iterable[Path]) -> tuple[list[Path], list[BadInput]]:
    """Named files, and the notice files under named folders (sorted), each once."""
    files: list[Path] = []
    errors: list[BadInput] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in NOTICE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            files.append(path)
        else:
            errors.append(BadInput("file not found", file=path))
    return list(dict.fromkeys(files)), errors


def scan(
    paths: Iterable[Path],
    screener: PartyScreener | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Read every notice file under `paths`; `progress` is called once per file."""
    files, errors = notice_files(paths)
    result = ScanResult(errors=errors)
    for path in files:
        try:
            _scan_file(path, screener, result)
        except Exception as exc:  # a bug met on one notice must not cost the batch the others
            result.failures.append(f"{path}: internal error ({type(exc).__name__}: {exc})")
        if progress is not None:
            progress(1)
    return result


def _scan_file(path: Path, screener: PartyScreener | None, result: ScanResult) -> None:
    try:
        documents = read_documents(path)
    except BadInput as exc:
        result.errors.append(exc)
        return
    for document in documents:
        try:
            notice = extract(document)
        except BadInput as exc:
            result.errors.append(exc)
            continue
        if screener is not None:
            notice.hits = screener.screen(notice)
        result.notices.append(notice)


def summary_row(notice: Notice) -> dict[str, str]:
    """One line of the Reuters-style table: who bought what, through whom, for how much."""
    intermediaries = [f.evidence.match for f in notice.flags if f.flag == "INTERMEDIARY"]
    suppliers = [s.name for s in notice.suppliers if s.name in intermediaries]
    what = [
        m.name
        for m in notice.mentions
        if m.qualifier is None
        and m.kind != "chip"
        and (m.origin == "US" or m.kind == "overseas_account")
    ]
    chips = [
        f"{m.name} x{m.quantity}" if m.quantity else m.name
        for m in notice.mentions
        if m.kind == "chip" and m.qualifier is None
    ]
    tokens = [
        f"{m.quantity:,} tokens" for m in notice.mentions if m.kind == "tokens" and m.quantity
    ]
    amount = notice.award_total or notice.budget or notice.ceiling
    label = (
        "award"
        if amount is notice.award_total
        else ("budget" if amount is notice.budget else "ceiling")
    )
    value = money(amount.cny) if amount is not None else None
    date = notice.published or next(iter(notice.dates.values()), "")
    return {
        "buyer": notice.buyer.name if notice.buyer else "",
        "intermediary": ", ".join(suppliers or intermediaries),
        "what": ", ".join(dict.fromkeys([*what, *chips, *tokens])),
        "amount": f"{value:,.2f} CNY ({label})" if value is not None else "",
        "date": date[:10],
        "flags": " ".join(notice.flag_names()),
        "file": Path(notice.source_file).name,
    }
