"""`--batch-api`: a run whose model calls go through the OpenAI Batch API.

Three passes over the documents, all through the online path's own functions: (1) plan — every
chunk's first request, exactly as it would be sent, minus those the response cache answers;
(2) submit the new ones as batches, or take up the batches an interrupted run created (their
ids are in the run manifest), and wait for them; (3) the online pipeline, with the batch's
answers as its only answer source. The documents are held in memory between the passes; each
is prepared (cleaned, read, chunked) in pass 1 and again in pass 3 rather than keeping its
prepared state, so memory stays at the size of the texts (a prepared state with its indexes is
several times larger) for the price of a second regex pass (about 0.2 MB/s per core).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..pipeline import model_records, prepare
from ..providers.batch_api import (
    Answers,
    batch_errors,
    batch_line,
    collect,
    plan,
    settled,
    submit,
    wait,
)
from ..providers.openai_compat import OpenAICompatible
from ..records import DocumentRecord
from ..steps.ingest import Document, IngestFailure
from ..strategies import Progress, Strategy


@dataclass
class BatchJob:
    """Where a run keeps its batches: the ids (each recorded through `on_ids` as soon as it is
    created, e.g. in the run manifest) and their input files, named by id, in `folder`."""

    folder: Path | None = None
    ids: list[str] = field(default_factory=list)
    on_ids: Callable[[list[str]], None] | None = None
    notify: Callable[[str], None] | None = None

    def add(self, batch_id: str) -> None:
        self.ids.append(batch_id)
        if self.on_ids:
            self.on_ids(list(self.ids))


def _planned(items: list, model: OpenAICompatible, strategy: Strategy, options) -> dict[str, dict]:
    """Every chunk's first request that the cache does not answer, by key, in order."""
    lines: dict[str, dict] = {}
    for item in items:
        if not isinstance(item, Document):
            continue
        try:
            state = prepare(item, options, strategy)
        except Exception:  # noqa: BLE001 - the online pass records this document's failure
            continue
        for request in state.requests:
            ask = partial(strategy.ask, model, request)
            found = plan(model, ask)
            if found is not None:
                lines.setdefault(*found)
    return lines


def _through_batches(client, lines: dict[str, dict], poll: float, job: BatchJob) -> Answers:
    """Send the requests no earlier batch of the job covers, wait for all, collect answers."""
    folder = job.folder or Path(tempfile.mkdtemp(prefix="llm-extract-batch-"))
    folder.mkdir(parents=True, exist_ok=True)
    covered = settled(client, job.ids, folder, poll)
    new = [batch_line(key, body) for key, body in lines.items() if key not in covered]
    if new:
        submit(client, new, folder, {"tool": "llm-extract", "requests": str(len(new))}, job.add)
    if job.notify:
        job.notify(f"batch: {len(lines)} requests ({len(new)} new) in {len(job.ids)} batch(es)")
    return collect(client, wait(client, job.ids, poll, job.notify))


def batch_records(
    items: Iterable[Document | IngestFailure],
    model: OpenAICompatible,
    strategy: Strategy,
    options,
    progress: Progress | None,
    job: BatchJob,
) -> Iterator[DocumentRecord]:
    """Records in input order, the model's answers taken from batches."""
    items = list(items)
    lines = _planned(items, model, strategy, options)
    answers = Answers()
    if lines:
        with batch_errors(model.identity):
            answers = _through_batches(model.client(), lines, options.batch_poll, job)
    model.offline = answers
    try:
        yield from model_records(items, model, strategy, options, progress)
    finally:
        model.offline = None
