"""A progress bar per document and chunk, with ETA, on stderr (rich); silent with -q."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class ChunkProgress:
    """Satisfies `pipeline.Progress`; use as a context manager."""

    def __init__(self, documents: int | None = None):
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._docs = self._bar.add_task("documents", total=documents)
        self._chunks = None

    def __enter__(self) -> ChunkProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def start_document(self, doc_id: str, chunks: int) -> None:
        if self._chunks is not None:
            self._bar.remove_task(self._chunks)
        self._bar.advance(self._docs)
        self._chunks = self._bar.add_task(f"  {doc_id}", total=chunks)

    def advance(self) -> None:
        if self._chunks is not None:
            self._bar.advance(self._chunks)
