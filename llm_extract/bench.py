"""`llm-extract bench regex`: throughput of the regex baseline (clean → numbers → context →
records) over article text, in MB of UTF-8 input per second."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .config import RunOptions
from .ingest import Document
from .pipeline import regex_records

SHARED = Path(__file__).resolve().parents[2] / "shared"


def sample_documents(megabytes: float, folders: list[Path] | None = None) -> list[Document]:
    """Real articles repeated until they add up to `megabytes` of UTF-8 text."""
    folders = folders or [SHARED / "seeds", SHARED / "articles"]
    base = [p for folder in folders for p in sorted(folder.glob("*.txt"))]
    if not base:
        raise FileNotFoundError(f"no articles to benchmark in {folders}")
    texts = [(p, p.read_text(encoding="utf-8")) for p in base]
    docs, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        path, text = texts[i % len(texts)]
        fmt = "html" if "<p" in text else "txt"
        docs.append(Document(f"{path.stem}#{i}", str(path), text, fmt))
        size += len(text.encode("utf-8"))
        i += 1
    return docs


def bench_regex(megabytes: float = 10.0) -> int:
    docs = sample_documents(megabytes)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    options = RunOptions(model="regex")
    for workers in (1, os.cpu_count() or 1):
        began = time.perf_counter()
        stats = sum(len(r.stats) for r in regex_records(docs, options, workers))
        seconds = time.perf_counter() - began
        print(
            f"regex baseline, {workers} process(es): {size / 1e6:.1f} MB in {len(docs)} "
            f"documents, {seconds:.2f} s, {size / 1e6 / seconds:.2f} MB/s, {stats} statistics"
        )
    return 0
