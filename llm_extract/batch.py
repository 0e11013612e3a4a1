"""`--batch-api`: a run whose model calls go through the OpenAI Batch API.

Three passes over the documents, all through the online path's own functions: (1) plan — every
chunk's first request, exactly as it would be sent, minus those the response cache answers;
(2) submit the new ones as batches, or take up the batches an interrupted run created (their
ids are in the run manifest), and wait for them; (3) the online pipeline, with the batch's
answers as its only answer source. The documents are held in memory between the passes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .domain import Domain
from .ingest import Document, IngestFailure
from .pipeline import Progress, _ask, _llm_records, _prepare
from .providers.batch_api import Answers, batch_line, collect, plan, submit, wait
from .providers.openai_compat import OpenAICompatible
from .records import DocumentRecord


@dataclass
class BatchJob:
    """Where a run keeps its batches: the ids (recorded through `on_ids`, e.g. in the run
    manifest) and the input files, named by batch id, in `folder`."""

    folder: Path | None = None
    ids: list[str] = field(default_factory=list)
    on_ids: Callable[[list[str]], None] | None = None
    notify: Callable[[str], None] | None = None

    def submitted(self) -> set[str]:
        """Request keys already in one of this job's batches."""
        keys: set[str] = set()
        for batch_id in self.ids:
            path = self.folder / f"{batch_id}.jsonl" if self.folder else None
            if path is not None and path.exists():
                with path.open(encoding="utf-8") as handle:
                    keys.update(json.loads(line)["custom_id"] for line in handle if line.strip())
        return keys

    def add(self, ids: list[str], folder: Path) -> None:
        for at, batch_id in enumerate(ids, 1):
            (folder / f"batch-input-{at}.jsonl").rename(folder / f"{batch_id}.jsonl")
        self.ids += ids
        if self.on_ids:
            self.on_ids(list(self.ids))


def _planned(items: list, model: OpenAICompatible, domain: Domain, options) -> dict[str, dict]:
    """Every chunk's first request that the cache does not answer, by key, in order."""
    lines: dict[str, dict] = {}
    for item in items:
        if not isinstance(item, Document):
            continue
        try:
            job = _prepare(item, options)
        except Exception:  # noqa: BLE001 - the online pass records this document's failure
            continue
        for request in job.requests:
            ask = partial(_ask, model, domain, options.strategy, request)
            found = plan(model, ask)
            if found is not None:
                lines.setdefault(*found)
    return lines


def batch_records(
    items: Iterable[Document | IngestFailure],
    model: OpenAICompatible,
    domain: Domain,
    options,
    progress: Progress | None,
    job: BatchJob,
) -> Iterator[DocumentRecord]:
    """Records in input order, the model's answers taken from batches."""
    items = list(items)
    lines = _planned(items, model, domain, options)
    answers = Answers()
    if lines:
        client = model.client()
        folder = job.folder or Path(tempfile.mkdtemp(prefix="llm-extract-batch-"))
        folder.mkdir(parents=True, exist_ok=True)
        known = job.submitted()
        new = [batch_line(key, body) for key, body in lines.items() if key not in known]
        if new:
            metadata = {"tool": "llm-extract", "requests": str(len(new))}
            job.add(submit(client, new, folder, metadata), folder)
        if job.notify:
            job.notify(f"batch: {len(lines)} requests ({len(new)} new) in {len(job.ids)} batch(es)")
        answers = collect(client, wait(client, job.ids, options.batch_poll, job.notify))
    model.offline = answers
    try:
        yield from _llm_records(items, model, domain, options, progress)
    finally:
        model.offline = None
