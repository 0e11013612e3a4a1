"""Write records as JSON Lines, one whole line per document, flushed as it comes.

A run writes `OUT.partial` beside the output and renames it to `OUT` only when every record is
in, so an earlier `OUT` survives a rerun that is killed, interrupted or refused; a killed run
leaves only complete lines in `OUT.partial`. `OUT.lock` (an flock) refuses a second writer.
For a csv or parquet output `OUT.partial` is the same JSONL journal; at the end the table is
written beside `OUT`, renamed over it, and the journal removed (see tabular.py).
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TextIO

from ..records import DocumentRecord


class OutputBusy(RuntimeError):
    """Another run is writing the same output file."""


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold `path`'s lock for the block; OutputBusy if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(f"{path}: another llm-extract run is writing this file") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _open(path: Path | None, lock: bool, finish: Callable[[Path], None] | None) -> Iterator[TextIO]:
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with locked(path) if lock else nullcontext():
        partial = partial_path(path)
        with partial.open("w", encoding="utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if finish is None:
            os.replace(partial, path)  # only a complete run replaces the output
        else:
            finish(path)  # a table of the records replaces it; the journal is done with
            partial.unlink()


def write_records(
    records: Iterable[DocumentRecord], path: Path | None, lock: bool = True, fmt: str = "jsonl"
) -> list[DocumentRecord]:
    """Stream `records` to `path` (stdout for None or '-'); return them for a summary.
    `lock=False`: the caller holds the output's lock already. `fmt` csv or parquet: the records
    still stream as JSONL to the journal `OUT.partial`, and the complete table replaces `OUT`."""
    from .tabular import write_csv, write_table

    written: list[DocumentRecord] = []
    if fmt != "jsonl" and (path is None or str(path) == "-"):
        if fmt != "csv":
            raise ValueError(f"--format {fmt} cannot go to stdout; give -o OUT.{fmt}")
        return write_csv(records, sys.stdout)
    finish = None if fmt == "jsonl" else lambda out: write_table(written, out, fmt)
    with _open(path, lock, finish) as out:
        for record in records:
            out.write(record.model_dump_json() + "\n")
            out.flush()
            written.append(record)
    return written


def read_records(path: Path) -> list[DocumentRecord]:
    with path.open(encoding="utf-8") as handle:
        return [DocumentRecord.model_validate_json(line) for line in handle if line.strip()]
