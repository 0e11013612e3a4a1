"""One document through the steps: clean → find numbers → chunk → extract → ground → check → merge.

`process_document` is pure core and takes any `ChatModel` (or none, for the regex baseline).
`run_documents` wires options to a model backend and yields one record per input, in order;
a document that fails becomes a `failed` record and never stops the others.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from functools import partial
from typing import Protocol

from . import __version__
from .baseline import baseline_statistics, make_statistic
from .check import baseline_verdict, unmatched_candidates, verify_offsets
from .chunk import Chunk, chunk_text
from .clean import CleanText, clean
from .config import RunOptions
from .context import ContextReader
from .domain import Domain, load_domain
from .extract import ChatModel, ChunkResult, Proposal, extract_chunk
from .ground import Grounder, Located
from .ingest import Document, IngestFailure, load_documents
from .merge import merge_statistics
from .numbers import NumberMention, find_numbers
from .records import BaselineCheck, DocumentRecord, Grounding, RunInfo, Statistic


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


def _llm_statistics(
    record: DocumentRecord,
    cleaned: CleanText,
    reader: ContextReader,
    mentions: list[NumberMention],
    model: ChatModel,
    domain: Domain,
    options: RunOptions,
    progress: Progress | None,
) -> tuple[list[Statistic], list[tuple[int, int]]]:
    """The model's statistics, grounded, and the clean spans they cover."""
    grounder = Grounder(cleaned.text, mentions)
    chunks = chunk_text(cleaned.text, options.chunk_chars)
    if progress:
        progress.start_document(record.doc_id, len(chunks))
    taken: set[tuple[int, int]] = set()
    stats: list[Statistic] = []
    for number, chunk in enumerate(chunks, 1):
        inside = [m for m in mentions if chunk.start <= m.start and m.end <= chunk.end]
        hints = [_hint(reader, m) for m in inside]
        result = extract_chunk(model, domain, options.strategy, chunk, inside, hints)
        _account(record, result, number, chunk)
        for proposal in result.proposals:
            grounded = _ground(proposal, chunk, grounder, taken)
            if grounded is None:
                record.checks.ungrounded += 1
                continue
            located, verdict = grounded
            record.checks.value_differs += verdict == BaselineCheck.value_differs
            stats.append(
                make_statistic(
                    cleaned, reader, located.mention, proposal.fields, located.grounding, verdict
                )
            )
        if progress:
            progress.advance()
    checks = record.checks
    if checks.chunks and checks.failed_chunks == checks.chunks:
        record.status = "failed"
        record.error = f"every chunk failed; first: {checks.chunk_errors[0]}"
    return stats, sorted(taken)


def process_document(
    doc: Document,
    model: ChatModel | None,
    options: RunOptions,
    domain: Domain | None = None,
    progress: Progress | None = None,
) -> DocumentRecord:
    """Extract one document; `model=None` runs the regex baseline.

    `usage.seconds` is the document's wall time end to end; `checks.call_seconds` the model
    calls within it."""
    began = time.perf_counter()
    record = DocumentRecord(
        doc_id=doc.doc_id,
        source=doc.source,
        model=options.model,
        strategy=options.strategy if model else "regex",
        run=RunInfo(version=__version__),
    )
    cleaned = clean(doc.text, doc.fmt)
    reader = ContextReader(cleaned.text)
    mentions = find_numbers(cleaned.text)
    if model is None:
        stats = baseline_statistics(cleaned, reader, mentions)
        covered = [(m.start, m.end) for m in mentions]
    else:
        domain = domain or load_domain(options.schema_name)
        stats, covered = _llm_statistics(
            record, cleaned, reader, mentions, model, domain, options, progress
        )
        record.run = RunInfo(
            prompt=domain.prompt.ident,
            schema_name=domain.name,
            schema_hash=domain.schema_hash,
            mode=model.mode,
            version=__version__,
        )
    record.stats, record.checks.duplicates_merged = merge_statistics(stats, _headline_end(cleaned))
    verify_offsets(record.stats, doc.text)
    record.usage.seconds = round(time.perf_counter() - began, 3)
    record.unmatched_candidates = unmatched_candidates(mentions, covered, cleaned.to_original)
    return record


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
    except Exception as exc:  # one bad document never stops the run
        return failed_record(item, options, f"{item.source}: {type(exc).__name__}: {exc}")


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
) -> Iterator[DocumentRecord]:
    """One record per input document, in input order. Opens the model backend when needed."""
    if not options.uses_llm:
        for record in regex_records(load_documents(inputs), options):
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
        for item in load_documents(inputs):
            yield _safe_record(item, options, chat, domain, progress)
