"""One document through the steps: clean → find numbers → chunk → extract → ground → check → merge.

`process_document` is pure core and takes any `ChatModel` (or none, for the regex baseline).
`run_documents` wires options to a model backend and yields one record per input, in order;
a document that fails becomes a `failed` record and never stops the others.
"""

from __future__ import annotations

import os
import time
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol

from . import __version__
from .assemble import assemble_statistic
from .baseline import baseline_statistics
from .check import baseline_verdict, unmatched_candidates, verify_offsets
from .chunk import Chunk, chunk_text
from .clean import CleanText, clean
from .config import RunOptions
from .context import ContextReader
from .domain import Domain, load_domain
from .extract import BackendUnavailable, ChatModel, ChunkResult, Proposal, extract_chunk
from .ground import Grounder, Located
from .ingest import Document, IngestFailure, load_documents
from .merge import merge_statistics
from .numbers import NumberMention, find_numbers
from .records import BaselineCheck, DocumentRecord, Grounding, RunInfo, Statistic
from .shard import select_shard

if TYPE_CHECKING:
    from .batch import BatchJob


class Progress(Protocol):
    def start_document(self, doc_id: str, chunks: int) -> None: ...
    def advance(self) -> None: ...


def _headline_end(clean_text: CleanText) -> int:
    """Original offset where a short, unpunctuated first line (the headline) ends, else 0."""
    first = clean_text.text.split("\n", 1)[0]
    if not first or len(first) > 60 or "。" in first or len(first) == len(clean_text.text):
        return 0
    return clean_text.to_original(0, len(first))[1]


def _hint(reader: ContextReader, mention: NumberMention) -> str:
    """The baseline's reading of a candidate, `metric|period|region|agency` (`-` for none),
    for the model to confirm or correct."""
    c = reader.describe(mention.start, mention.end)
    return "|".join(part or "-" for part in (c.metric, c.period, c.region, c.agency))


def _account(record: DocumentRecord, result: ChunkResult, number: int, chunk: Chunk) -> None:
    """Add one chunk's usage and outcome to the record's usage and checks."""
    reply, checks = result.reply, record.checks
    record.usage.add(reply.usage)
    checks.chunks += 1
    checks.first_try_valid += reply.first_try_valid
    checks.unlabelled += result.unlabelled
    checks.call_seconds += reply.call_seconds
    if reply.error:
        note = "salvaged complete items" if result.salvaged else "chunk lost"
        checks.chunk_errors.append(
            f"chunk {number} [{chunk.start}:{chunk.end}]: {reply.error} ({note})"
        )
        checks.failed_chunks += not result.salvaged


def _ground(
    proposal: Proposal, chunk: Chunk, grounder: Grounder, taken: set[tuple[int, int]]
) -> tuple[Located, BaselineCheck] | None:
    """Where the proposal stands in the text and how it compares with the baseline."""
    fields = proposal.fields
    if proposal.candidate is not None:
        located = Located(proposal.candidate, Grounding.exact)
    else:
        located = grounder.locate(
            str(fields.get("value_text") or ""),
            chunk,
            evidence=fields.get("evidence"),
            value=fields.get("value"),
            taken=taken,
        )
    if located is None:
        return None
    span = (located.mention.start, located.mention.end)
    taken.add(span)
    regex = grounder.mention_at(*span)
    if regex is not None and (regex.start, regex.end) != span:
        regex = None
    return located, baseline_verdict(located.mention, regex, fields.get("value"))


@dataclass
class _Prepared:
    """A document read, cleaned and cut into chunk requests, waiting for the model's answers."""

    doc: Document
    record: DocumentRecord
    cleaned: CleanText
    reader: ContextReader
    mentions: list[NumberMention]
    requests: list[tuple[Chunk, list[NumberMention], list[str]]]  # chunk, candidates, hints
    began: float


def _new_record(doc: Document, options: RunOptions, llm: bool) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc.doc_id,
        source=doc.source,
        model=options.model,
        strategy=options.strategy if llm else "regex",
        run=RunInfo(version=__version__),
    )


class DocumentTimeout(RuntimeError):
    """A document ran past the per-document time limit."""


class Deadline:
    """The per-document time limit, checked between steps and every few hundred numbers (the
    steps are linear in the text, so no single check is far from the next)."""

    def __init__(self, limit: float, began: float | None = None):
        self.limit = limit
        self.began = time.perf_counter() if began is None else began

    def remaining(self) -> float:
        return self.limit - (time.perf_counter() - self.began)

    def check(self, step: str) -> None:
        if self.remaining() < 0:
            raise DocumentTimeout(
                f"over the per-document time limit of {self.limit:g} s (--doc-timeout) while {step}"
            )


def _read(doc: Document, deadline: Deadline) -> tuple[CleanText, ContextReader, list]:
    cleaned = clean(doc.text, doc.fmt)
    deadline.check("cleaning")
    mentions = find_numbers(cleaned.text)
    deadline.check("reading numbers")
    reader = ContextReader(cleaned.text)
    deadline.check("reading context")
    return cleaned, reader, mentions


def _prepare(doc: Document, options: RunOptions) -> _Prepared:
    """Clean, find numbers and cut chunks; each chunk's request lists its candidates and hints."""
    deadline = Deadline(options.doc_timeout)
    cleaned, reader, mentions = _read(doc, deadline)
    starts = [m.start for m in mentions]
    requests = []
    for chunk in chunk_text(cleaned.text, options.chunk_chars):
        deadline.check("building chunk requests")
        lo, hi = bisect_left(starts, chunk.start), bisect_left(starts, chunk.end)
        inside = [m for m in mentions[lo:hi] if m.end <= chunk.end]
        requests.append((chunk, inside, [_hint(reader, m) for m in inside]))
    record = _new_record(doc, options, llm=True)
    return _Prepared(doc, record, cleaned, reader, mentions, requests, deadline.began)


def _finish(
    job: _Prepared,
    results: Iterable[ChunkResult],
    model: ChatModel,
    domain: Domain,
    progress: Progress | None,
) -> DocumentRecord:
    """Ground the chunk answers in chunk order, merge, and complete the record."""
    record, cleaned = job.record, job.cleaned
    grounder = Grounder(cleaned.text, job.mentions)
    if progress:
        progress.start_document(record.doc_id, len(job.requests))
    taken: set[tuple[int, int]] = set()
    stats: list[Statistic] = []
    for number, ((chunk, _, _), result) in enumerate(zip(job.requests, results, strict=True), 1):
        _account(record, result, number, chunk)
        for proposal in result.proposals:
            grounded = _ground(proposal, chunk, grounder, taken)
            if grounded is None:
                record.checks.ungrounded += 1
                continue
            located, verdict = grounded
            record.checks.value_differs += verdict == BaselineCheck.value_differs
            stats.append(
                assemble_statistic(
                    cleaned,
                    job.reader,
                    located.mention,
                    proposal.fields,
                    located.grounding,
                    verdict,
                )
            )
        if progress:
            progress.advance()
    checks = record.checks
    lost = [e for e in checks.chunk_errors if e.endswith("(chunk lost)")]
    if checks.chunks and checks.failed_chunks == checks.chunks:
        record.status = "failed"
        record.error = f"every chunk failed; first: {checks.chunk_errors[0]}"
    elif checks.failed_chunks:
        record.status = "partial"  # the statistics of the lost chunks are missing
        record.error = (
            f"{checks.failed_chunks} of {checks.chunks} chunks lost (their statistics are "
            f"missing); first: {lost[0] if lost else checks.chunk_errors[0]}"
        )
    record.run = RunInfo(
        prompt=domain.prompt.ident,
        schema_name=domain.name,
        schema_hash=domain.schema_hash,
        mode=model.mode,
        version=__version__,
    )
    _complete(record, job.doc, cleaned, job.mentions, stats, sorted(taken), job.began)
    return record


def _complete(
    record: DocumentRecord,
    doc: Document,
    cleaned: CleanText,
    mentions: list[NumberMention],
    stats: list[Statistic],
    covered: list[tuple[int, int]],
    began: float,
) -> None:
    record.stats, record.checks.duplicates_merged = merge_statistics(stats, _headline_end(cleaned))
    verify_offsets(record.stats, doc.text)
    record.usage.seconds = round(time.perf_counter() - began, 3)
    record.unmatched_candidates = unmatched_candidates(mentions, covered, cleaned.to_original)


def _ask(model: ChatModel, domain: Domain, strategy: str, request: tuple) -> ChunkResult:
    chunk, inside, hints = request
    return extract_chunk(model, domain, strategy, chunk, inside, hints)


def process_document(
    doc: Document,
    model: ChatModel | None,
    options: RunOptions,
    domain: Domain | None = None,
    progress: Progress | None = None,
) -> DocumentRecord:
    """Extract one document, one chunk after another; `model=None` runs the regex baseline.

    `usage.seconds` is the document's wall time end to end; `checks.call_seconds` the model
    calls within it."""
    if model is None:
        deadline = Deadline(options.doc_timeout)
        record = _new_record(doc, options, llm=False)
        cleaned, reader, mentions = _read(doc, deadline)
        stats = []
        for at in range(0, len(mentions), 256):
            stats += baseline_statistics(cleaned, reader, mentions[at : at + 256])
            deadline.check("describing numbers")
        covered = [(m.start, m.end) for m in mentions]
        _complete(record, doc, cleaned, mentions, stats, covered, deadline.began)
        return record
    domain = domain or load_domain(options.schema_name)
    job = _prepare(doc, options)
    results = (_ask(model, domain, options.strategy, request) for request in job.requests)
    return _finish(job, results, model, domain, progress)


def _failure(item: Document | IngestFailure, exc: Exception) -> str:
    """What a document's failure says: its source, the error's kind and message."""
    return f"{item.source}: {type(exc).__name__}: {exc}"


def failed_record(
    item: Document | IngestFailure, options: RunOptions, error: str
) -> DocumentRecord:
    return DocumentRecord(
        doc_id=item.doc_id,
        source=item.source,
        model=options.model,
        strategy=options.strategy if options.uses_llm else "regex",
        status="failed",
        error=error,
        run=RunInfo(version=__version__),
    )


def _safe_record(
    item: Document | IngestFailure,
    options: RunOptions,
    model: ChatModel | None = None,
    domain: Domain | None = None,
    progress: Progress | None = None,
) -> DocumentRecord:
    """`process_document`, with an unreadable or failing document turned into a failed record."""
    if isinstance(item, IngestFailure):
        return failed_record(item, options, item.error)
    try:
        return process_document(item, model, options, domain, progress)
    except BackendUnavailable:
        raise  # no model at all: stop the run (exit 2), do not fail every document
    except Exception as exc:  # one bad document never stops the run
        return failed_record(item, options, _failure(item, exc))


def regex_records(
    items: Iterable[Document | IngestFailure], options: RunOptions, workers: int | None = None
) -> Iterator[DocumentRecord]:
    """The regex baseline over many documents on all cores, in input order, in bounded batches
    (CPU-bound work; one process per core)."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        yield from (_safe_record(item, options) for item in items)
        return
    job = partial(_safe_record, options=options)
    pool: ProcessPoolExecutor | None = None
    batch: list[Document | IngestFailure] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == 256:
                pool = pool or ProcessPoolExecutor(workers)
                yield from pool.map(job, batch, chunksize=16)
                batch = []
        # a small remainder is not worth starting processes for
        yield from pool.map(job, batch, chunksize=16) if pool else map(job, batch)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def run_documents(
    inputs: Sequence[str],
    options: RunOptions,
    model: ChatModel | None = None,
    progress: Progress | None = None,
    done: dict[str, DocumentRecord] | None = None,
    batch: BatchJob | None = None,
) -> Iterator[DocumentRecord]:
    """One record per input document, in input order. Opens the model backend when needed.
    Documents in `done` (by doc_id; see `resume`) are not processed again: their records are
    yielded as they are. With `options.shard`, only that shard's documents."""
    items = select_shard(load_documents(inputs), options.shard)
    if done:
        from .resume import interleave

        rest = partial(_run, options=options, model=model, progress=progress, batch=batch)
        yield from interleave(items, dict(done), rest)
        return
    yield from _run(items, options, model, progress, batch)


def _run(
    items: Iterable[Document | IngestFailure],
    options: RunOptions,
    model: ChatModel | None = None,
    progress: Progress | None = None,
    batch: BatchJob | None = None,
) -> Iterator[DocumentRecord]:
    if options.engine == "ray":
        from .ray_engine import ray_records  # Ray is imported only for --engine ray

        yield from ray_records(items, options, model, progress)
        return
    if not options.uses_llm:
        for record in regex_records(items, options):
            if progress:
                progress.start_document(record.doc_id, 1)
                progress.advance()
            yield record
        return
    if model is None:
        from .providers.select import open_model  # the app layer picks a backend

        backend = open_model(options)
    else:
        backend = nullcontext(model)
    domain = load_domain(options.schema_name)
    with backend as chat:
        if options.batch_api:
            from .batch import BatchJob, batch_records

            yield from batch_records(items, chat, domain, options, progress, batch or BatchJob())
            return
        yield from _llm_records(items, chat, domain, options, progress)


def _answer(future: Future, deadline: Deadline, futures: list[Future]) -> ChunkResult:
    try:
        return future.result(timeout=max(deadline.remaining(), 0))
    except TimeoutError:
        for other in futures:
            other.cancel()
        deadline.check("waiting for the model")
        raise


def _llm_records(
    items: Iterable[Document | IngestFailure],
    model: ChatModel,
    domain: Domain,
    options: RunOptions,
    progress: Progress | None,
) -> Iterator[DocumentRecord]:
    """Records in input order, with up to `options.in_flight` chunk calls running at once.

    Chunks are sent in document order and answered into futures; a document is grounded and
    merged only from its own answers, in chunk order, so the records do not depend on how
    many calls overlap. At most in_flight + 1 documents wait in memory."""
    window: deque[tuple[Document | IngestFailure, _Prepared | None, list[Future]]] = deque()

    previous_done = [time.perf_counter()]

    def finish(item, job, futures) -> DocumentRecord:
        if job is None:
            return _safe_record(item, options)  # unreadable: a failed record
        # The document's own time (its usage.seconds, and what its deadline counts) starts
        # when it was read or when the documents before it were done, whichever is later: a
        # document waiting in the window behind others is not charged for them.
        job.began = max(job.began, previous_done[0])
        try:
            deadline = Deadline(options.doc_timeout, began=job.began)
            answers = (_answer(f, deadline, futures) for f in futures)
            return _finish(job, answers, model, domain, progress)
        except BackendUnavailable:
            raise
        except Exception as exc:  # one bad document never stops the run
            return failed_record(item, options, _failure(item, exc))
        finally:
            previous_done[0] = time.perf_counter()

    with ThreadPoolExecutor(options.in_flight, thread_name_prefix="chunk") as pool:
        try:
            for item in items:
                job = None
                futures: list[Future] = []
                if isinstance(item, Document):
                    try:
                        job = _prepare(item, options)
                    except Exception as exc:  # noqa: BLE001 - becomes the document's record
                        item = IngestFailure(item.doc_id, item.source, _failure(item, exc))
                    else:
                        ask = partial(_ask, model, domain, options.strategy)
                        futures = [pool.submit(ask, request) for request in job.requests]
                window.append((item, job, futures))
                while len(window) > options.in_flight:
                    yield finish(*window.popleft())
            while window:
                yield finish(*window.popleft())
        finally:
            for _, _, futures in window:
                for future in futures:
                    future.cancel()
