"""`llm-extract bench regex`: throughput of the regex baseline (clean → numbers → context →
records) over article text, in MB of UTF-8 input per second."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from .config import RunOptions
from .paths import shared_dir
from .pipeline import regex_records
from .steps.ingest import Document, load_documents


def sample_documents(megabytes: float, folders: list[Path] | None = None) -> list[Document]:
    """Real articles, read as `llm-extract run` reads them, repeated to `megabytes` of UTF-8."""
    folders = folders or [shared_dir() / "seeds", shared_dir() / "articles"]
    base = [
        d for d in load_documents([str(f / "*.txt") for f in folders]) if isinstance(d, Document)
    ]
    if not base:
        raise FileNotFoundError(f"no articles to benchmark in {folders}")
    docs, size = [], 0
    while size < megabytes * 1_000_000:
        doc = base[len(docs) % len(base)]
        docs.append(replace(doc, doc_id=f"{doc.doc_id}#{len(docs)}"))
        size += len(doc.text.encode("utf-8"))
    return docs


def bench_regex(megabytes: float = 10.0) -> Iterator[str]:
    """One line of figures per process count (1, then every core), as each is measured."""
    docs = sample_documents(megabytes)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    options = RunOptions(model="regex")
    for workers in (1, os.cpu_count() or 1):
        began = time.perf_counter()
        stats = sum(len(r.stats) for r in regex_records(docs, options, workers))
        seconds = time.perf_counter() - began
        yield (
            f"regex baseline, {workers} process(es): {size / 1e6:.1f} MB in {len(docs)} "
            f"documents, {seconds:.2f} s, {size / 1e6 / seconds:.2f} MB/s, {stats} statistics"
        )
