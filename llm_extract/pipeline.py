"""One document through the steps: clean → numbers → context → the strategy (chunk → extract →
ground → check → assemble) → merge.

Every strategy takes the same path: `prepare` (read the document, plan its chunk requests),
the model's answers, `finish` (the strategy's statistics, merged and checked).
`process_document` takes any `ChatModel` (or none, for the regex baseline).
`run_documents` wires options to a model backend and yields one record per input, in order;
a document that fails becomes a `failed` record and never stops the others.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import nullcontext
from functools import partial
from typing import TYPE_CHECKING

from . import __version__
from .config import RunOptions
from .core.protocols import BackendUnavailable, ChatModel
from .domains import Domain, load_domain
from .lang import load_language
from .records import DocumentRecord, RunInfo
from .scale.shard import select_shard
from .steps.check import unmatched_candidates, verify_offsets
from .steps.clean import CleanText, clean, wire_items
from .steps.context import ContextReader, with_cells
from .steps.dates import reference_day, resolve_dates
from .steps.extract import ChunkResult
from .steps.ingest import Document, IngestFailure, load_documents, published_dates
from .steps.merge import merge_statistics
from .steps.numbers import find_numbers
from .strategies import (
    Deadline,
    DocumentState,
    Progress,
    RegexStrategy,
    Strategy,
    make_strategy,
)

if TYPE_CHECKING:
    from .scale.batch import BatchJob


_TITLE_LINES = 5  # a site's name, a date line, a menu, a section, the headline: short lines up top
_TITLE_CHARS = 60
_SENTENCE_MARKS = ("。", "；")  # a headline may exclaim or ask (`…下降21.6%！这份…`)


def _headline_end(clean_text: CleanText) -> int:
    """Original offset where the headline ends, else 0: the end of the last of the first
    lines that are short and unpunctuated (a site's name or a label before the headline goes
    with it: `安徽省统计局` over `我省粮食总产量达837.9亿斤`)."""
    text, at, end, titles = clean_text.text, 0, -1, 0
    while titles < _TITLE_LINES:
        nl = text.find("\n", at)
        line = text[at : nl if nl >= 0 else len(text)].strip()
        if line:
            if len(line) > _TITLE_CHARS or any(m in line for m in _SENTENCE_MARKS) or nl < 0:
                break
            titles, end = titles + 1, nl
        elif nl < 0:
            break
        at = nl + 1
    return clean_text.to_original(0, end)[1] if end > 0 else 0


def strategy_for(options: RunOptions, domain: Domain | None = None) -> Strategy:
    """The run's strategy: the regex baseline without a model, else the model strategy."""
    if not options.uses_llm:
        return RegexStrategy()
    domain = domain or load_domain(options.schema_name)
    return make_strategy(options.strategy, domain, options.chunk_chars)


def prepare(doc: Document, options: RunOptions, strategy: Strategy) -> DocumentState:
    """Clean, find numbers, index the context and plan the strategy's chunk requests."""
    deadline = Deadline(options.doc_timeout)
    cleaned = clean(doc.text, doc.fmt)
    deadline.check("cleaning")
    mentions = find_numbers(cleaned.text)
    deadline.check("reading numbers")
    reader = ContextReader(cleaned.text, wire_items(cleaned))
    mentions = with_cells(mentions, reader.cells.values())  # a table's figures
    deadline.check("reading context")
    record = DocumentRecord(
        doc_id=doc.doc_id,
        source=doc.source,
        model=options.model,
        strategy=strategy.name,
        run=RunInfo(version=__version__),
    )
    lang = load_language(options.language)
    given = doc.published
    if given is None and options.published_from is not None:
        given = published_dates(options.published_from).get(doc.doc_id)
    published = reference_day(lang, doc.text, given, options.published)
    state = DocumentState(doc, record, cleaned, reader, mentions, deadline, lang, published)
    state.requests = strategy.plan(state)
    return state


def finish(
    state: DocumentState,
    answers: Iterable[ChunkResult],
    strategy: Strategy,
    model: ChatModel | None,
    progress: Progress | None = None,
) -> DocumentRecord:
    """The strategy's statistics from the answers (in chunk order), merged, checked, timed."""
    strategy.finish(state, answers, model, progress)
    record, cleaned = state.record, state.cleaned
    record.run = strategy.run_info(model, __version__)
    # dates first: a restatement may word the same period otherwise (去年1月 / 2023年1月)
    resolve_dates(state.lang, state.stats, state.doc.text, state.published)
    record.stats, record.checks.duplicates_merged = merge_statistics(
        state.stats, _headline_end(cleaned), state.doc.text
    )
    if state.published is not None:
        record.published = state.published.isoformat()
    verify_offsets(record.stats, state.doc.text)
    record.usage.seconds = round(time.perf_counter() - state.deadline.began, 3)
    record.unmatched_candidates = unmatched_candidates(
        state.mentions, state.covered, cleaned.to_original
    )
    return record


def process_document(
    doc: Document,
    model: ChatModel | None,
    options: RunOptions,
    strategy: Strategy | None = None,
    progress: Progress | None = None,
) -> DocumentRecord:
    """Extract one document, one chunk after another; `model=None` runs the regex baseline.

    `usage.seconds` is the document's wall time end to end; `checks.call_seconds` the model
    calls within it."""
    if model is None:
        strategy = RegexStrategy()
    strategy = strategy or strategy_for(options)
    state = prepare(doc, options, strategy)
    answers = (strategy.ask(model, request) for request in state.requests)
    return finish(state, answers, strategy, model, progress)


def _failure(item: Document | IngestFailure, exc: Exception) -> str:
    """What a document's failure says: its source, the error's kind and message."""
    return f"{item.source}: {type(exc).__name__}: {exc}"


def failed_record(
    item: Document | IngestFailure,
    options: RunOptions,
    error: str,
    strategy: Strategy | None = None,
) -> DocumentRecord:
    """The record of a document that could not be read or processed, named for the run's
    strategy (the one given, else the one the options name)."""
    return DocumentRecord(
        doc_id=item.doc_id,
        source=item.source,
        model=options.model,
        strategy=strategy.name if strategy else options.strategy if options.uses_llm else "regex",
        status="failed",
        error=error,
        run=RunInfo(version=__version__),
    )


def _safe_record(
    item: Document | IngestFailure,
    options: RunOptions,
    model: ChatModel | None = None,
    strategy: Strategy | None = None,
    progress: Progress | None = None,
) -> DocumentRecord:
    """`process_document`, with an unreadable or failing document turned into a failed record."""
    if isinstance(item, IngestFailure):
        return failed_record(item, options, item.error, strategy)
    try:
        return process_document(item, model, options, strategy, progress)
    except BackendUnavailable:
        raise  # no model at all: stop the run (exit 2), do not fail every document
    except Exception as exc:  # one bad document never stops the run
        return failed_record(item, options, _failure(item, exc), strategy)


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


def _ticked(
    records: Iterable[DocumentRecord], progress: Progress | None
) -> Iterator[DocumentRecord]:
    """The records, each counted as one finished document of one step."""
    for record in records:
        if progress:
            progress.start_document(record.doc_id, 1)
            progress.advance()
        yield record


def _run(
    items: Iterable[Document | IngestFailure],
    options: RunOptions,
    model: ChatModel | None = None,
    progress: Progress | None = None,
    batch: BatchJob | None = None,
) -> Iterator[DocumentRecord]:
    if options.engine == "ray":
        from .scale.ray_engine import ray_records  # Ray is imported only for --engine ray

        yield from _ticked(ray_records(items, options, model), progress)
        return
    if not options.uses_llm:
        yield from _ticked(regex_records(items, options), progress)
        return
    if model is None:
        from .providers.select import open_model  # the app layer picks a backend

        backend = open_model(options)
    else:
        backend = nullcontext(model)
    strategy = strategy_for(options)
    with backend as chat:
        if options.batch_api:
            from .scale.batch import BatchJob, batch_records

            job = batch or BatchJob()
            yield from batch_records(items, chat, strategy, options, progress, job)
            return
        yield from model_records(items, chat, strategy, options, progress)


def _answer(future: Future, deadline: Deadline, futures: list[Future]) -> ChunkResult:
    try:
        return future.result(timeout=max(deadline.remaining(), 0))
    except TimeoutError:
        for other in futures:
            other.cancel()
        deadline.check("waiting for the model")
        raise


def model_records(
    items: Iterable[Document | IngestFailure],
    model: ChatModel,
    strategy: Strategy,
    options: RunOptions,
    progress: Progress | None,
) -> Iterator[DocumentRecord]:
    """Records in input order, with up to `options.in_flight` chunk calls running at once.

    Chunks are sent in document order and answered into futures; a document is grounded and
    merged only from its own answers, in chunk order, so the records do not depend on how
    many calls overlap. At most in_flight + 1 documents wait in memory."""
    window: deque[tuple[Document | IngestFailure, DocumentState | None, list[Future]]] = deque()

    previous_done = [time.perf_counter()]

    def settle(item, state, futures) -> DocumentRecord:
        if state is None:
            return _safe_record(item, options, strategy=strategy)  # unreadable: a failed record
        # The document's own time (its usage.seconds, and what its deadline counts) starts
        # when it was read or when the documents before it were done, whichever is later: a
        # document waiting in the window behind others is not charged for them.
        began = max(state.deadline.began, previous_done[0])
        state.deadline = deadline = Deadline(options.doc_timeout, began=began)
        try:
            answers = (_answer(f, deadline, futures) for f in futures)
            return finish(state, answers, strategy, model, progress)
        except BackendUnavailable:
            raise
        except Exception as exc:  # one bad document never stops the run
            return failed_record(item, options, _failure(item, exc), strategy)
        finally:
            previous_done[0] = time.perf_counter()

    with ThreadPoolExecutor(options.in_flight, thread_name_prefix="chunk") as pool:
        try:
            for item in items:
                state = None
                futures: list[Future] = []
                if isinstance(item, Document):
                    try:
                        state = prepare(item, options, strategy)
                    except Exception as exc:  # noqa: BLE001 - becomes the document's record
                        item = IngestFailure(item.doc_id, item.source, _failure(item, exc))
                    else:
                        ask = partial(strategy.ask, model)
                        futures = [pool.submit(ask, request) for request in state.requests]
                window.append((item, state, futures))
                while len(window) > options.in_flight:
                    yield settle(*window.popleft())
            while window:
                yield settle(*window.popleft())
        finally:
            for _, _, futures in window:
                for future in futures:
                    future.cancel()
