"""CSV in and out for batch commands: strict decoding, line numbers on every row, and
outputs written atomically so a failed run never leaves half a file behind."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cloudkyc.errors import BadInput

csv.field_size_limit(1 << 24)  # long remarks and addresses are real; 128 KiB is not enough


def read_text(path: Path) -> str:
    """UTF-8 (BOM allowed) or a clear error naming the line of the first bad byte."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise BadInput("file not found", file=path) from exc
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror}", file=path) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInput(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            file=path,
            line=line,
        ) from exc


def read_rows(
    path: Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    errors: list[BadInput] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as dicts keyed by lower-case header, with the physical line each row starts on.

    A malformed row is appended to `errors` (and skipped) when a list is given, else raised.
    """
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = _checked(reader, path)
    try:
        header = [h.strip().lower() for h in next(rows)]
    except StopIteration as exc:
        raise BadInput("empty file; expected a header row", file=path, line=1) from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise BadInput(
            f"missing column(s) {', '.join(missing)}; header is {','.join(header)}",
            file=path,
            line=1,
        )
    wanted = [*required, *[c for c in optional if c in header]]
    positions = {c: header.index(c) for c in wanted}
    line = reader.line_num + 1
    for row in rows:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            error = BadInput(
                f"has {len(row)} fields, the header has {len(header)}", file=path, line=start
            )
            if errors is None:
                raise error
            errors.append(error)
            continue
        yield start, {c: row[i].strip() for c, i in positions.items()}


def _checked(reader: Any, path: Path) -> Iterator[list[str]]:
    """Rows of a strict csv reader; broken quoting is a file-level error, since every row
    after a stray quote would otherwise be read as part of one field and silently lost."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = f"broken CSV quoting in the row starting here ({exc}); nothing was processed"
            raise BadInput(message, file=path, line=start) from exc
        yield row


def _new_file_mode(path: Path) -> int:
    """The mode the output would have if written in place: that of the file it replaces, or
    0666 less the umask for a new one (a temporary file is created 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def atomic_writer(path: Path) -> Iterator[io.TextIOWrapper]:
    """Write to a temporary file beside `path` and rename it into place only on success."""
    with (
        atomic_binary_writer(path) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as handle,
    ):
        yield handle


@contextmanager
def atomic_binary_writer(path: Path) -> Iterator[io.BufferedWriter]:
    """atomic_writer for bytes (a PDF): a temporary file renamed into place only on success."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise BadInput(f"cannot write: {exc.strerror}", file=path) from exc
    try:
        os.fchmod(fd, _new_file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            yield handle
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise BadInput(f"cannot write: {exc.strerror}", file=path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with atomic_writer(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
