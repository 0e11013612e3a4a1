"""Write records as JSON Lines, one per document, flushed as they come (a crash keeps the rest)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .records import DocumentRecord


@contextmanager
def _open(path: Path | None) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        yield handle


def write_records(records: Iterable[DocumentRecord], path: Path | None) -> list[DocumentRecord]:
    """Stream `records` to `path` (stdout for None or '-'); return them for a summary."""
    written: list[DocumentRecord] = []
    with _open(path) as out:
        for record in records:
            out.write(record.model_dump_json() + "\n")
            out.flush()
            written.append(record)
    return written


def read_records(path: Path) -> list[DocumentRecord]:
    with path.open(encoding="utf-8") as handle:
        return [DocumentRecord.model_validate_json(line) for line in handle if line.strip()]
