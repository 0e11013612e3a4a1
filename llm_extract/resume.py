"""Resumable runs: a manifest beside the output says how it was made, and `--resume` keeps the
documents an earlier run of the same manifest completed.

`OUT.manifest.json` records the inputs, model, base URL (without userinfo), strategy, mode,
domain (schema name and hash, prompt version), chunk size, shard and tool version - never an
API key.
With `--resume`, the records of the earlier run (`OUT.partial` of a run that was killed, else
`OUT`) whose status is `ok` are kept, a torn last line is dropped, and only the other documents
are processed; the output again holds one record per input, in input order.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from . import __version__
from .config import RunOptions
from .core.secrets import strip_userinfo
from .files import write_json
from .records import DocumentRecord
from .steps.ingest import Document, IngestFailure
from .steps.write import partial_path

# What decides the records: a resumed run must agree on all of these.
DECIDING = ("inputs", "model", "base_url", "strategy", "mode", "schema_name", "schema_hash",
            "prompt", "chunk_chars", "model_path", "version", "shard", "published")  # fmt: skip


class ManifestMismatch(ValueError):
    """--resume over an output that a different run wrote."""


def manifest_path(out: Path) -> Path:
    return out.with_name(out.name + ".manifest.json")


def manifest(inputs: Iterable[str], options: RunOptions, domain: Any | None) -> dict[str, Any]:
    """How this run makes its records (the API key is excluded from RunOptions' dump)."""
    settings = options.model_dump(mode="json")
    settings["base_url"] = strip_userinfo(options.base_url) if options.base_url else None
    return {
        **settings,
        "inputs": list(inputs),
        "schema_hash": domain.schema_hash if domain is not None else None,
        "prompt": domain.prompt.ident if domain is not None else None,
        "version": __version__,
    }


def write_manifest(out: Path, data: dict[str, Any]) -> None:
    write_json(manifest_path(out), data, indent=1)


def check_manifest(out: Path, data: dict[str, Any]) -> dict[str, Any]:
    """The earlier run's manifest; ManifestMismatch unless it agrees on every deciding field."""
    path = manifest_path(out)
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestMismatch(f"--resume: no manifest {path} (nothing to resume)") from None
    except ValueError as exc:
        raise ManifestMismatch(f"--resume: unreadable manifest {path} ({exc})") from None
    for key in DECIDING:
        if earlier.get(key) != data.get(key):
            raise ManifestMismatch(
                f"--resume: {out} was written by a different run: {key} was "
                f"{earlier.get(key)!r}, now {data.get(key)!r} (use another -o, or drop --resume)"
            )
    return earlier


def completed(out: Path, fmt: str = "jsonl") -> dict[str, DocumentRecord]:
    """The `ok` records of the earlier run, by doc_id; unparsable (torn) lines are dropped.
    A completed csv or parquet `out` (no journal left) is read back as a table."""
    source = partial_path(out) if partial_path(out).exists() else out
    done: dict[str, DocumentRecord] = {}
    if not source.exists():
        return done
    if source == out and fmt != "jsonl":
        from .steps.tabular import read_table

        for record in read_table(out, fmt):
            if record.status == "ok":
                done.setdefault(record.doc_id, record)
        return done
    with source.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break  # torn by a kill: the document is done again
            try:
                record = DocumentRecord.model_validate_json(line)
            except ValueError:
                continue
            if record.status == "ok":
                done.setdefault(record.doc_id, record)
    return done


def interleave(
    items: Iterable[Document | IngestFailure],
    done: dict[str, DocumentRecord],
    process: Callable[[Iterable[Document | IngestFailure]], Iterator[DocumentRecord]],
) -> Iterator[DocumentRecord]:
    """Records in input order: the kept ones as they were, the others from `process`."""
    order: deque[DocumentRecord | None] = deque()  # None: the next record of `process`

    def todo() -> Iterator[Document | IngestFailure]:
        for item in items:
            kept = done.pop(item.doc_id, None) if isinstance(item, Document) else None
            order.append(kept)
            if kept is None:
                yield item

    for record in process(todo()):
        while order[0] is not None:
            yield order.popleft()  # type: ignore[misc]
        order.popleft()
        yield record
    while order:
        kept = order.popleft()
        if kept is not None:
            yield kept
