"""Progress on stderr (rich): documents done and failed, tokens, cost so far, and an ETA;
silent with -q."""

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

from .providers.prices import cost
from .records import DocumentRecord


class RunTally:
    """Running totals of a batch, as the progress line shows them."""

    def __init__(self, price: tuple[float, float] | None = None):
        self.price = price  # USD per 1M (prompt, completion) tokens; None: unknown
        self.done = self.failed = self.partial = 0
        self.prompt_tokens = self.completion_tokens = 0

    def add(self, record: DocumentRecord) -> None:
        self.done += 1
        self.failed += record.status == "failed"
        self.partial += record.status == "partial"
        self.prompt_tokens += record.usage.prompt_tokens
        self.completion_tokens += record.usage.completion_tokens

    @property
    def cost(self) -> float | None:
        if self.price is None:
            return None
        return cost(self.prompt_tokens, self.completion_tokens, self.price)

    def describe(self) -> str:
        tokens = self.prompt_tokens + self.completion_tokens
        cost = "cost ?" if self.cost is None else f"${self.cost:.4f}"
        return f"{self.failed} failed · {self.partial} partial · {tokens:,} tokens · {cost}"


class ChunkProgress:
    """Satisfies `pipeline.Progress`; use as a context manager. The ETA is by documents when
    their number is known, and by chunks within the document in progress."""

    def __init__(self, documents: int | None = None, price: tuple[float, float] | None = None):
        self.tally = RunTally(price)
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[tally]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._docs = self._bar.add_task("documents", total=documents, tally=self.tally.describe())
        self._chunks = None

    def __enter__(self) -> ChunkProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def start_document(self, doc_id: str, chunks: int) -> None:
        if self._chunks is not None:
            self._bar.remove_task(self._chunks)
        self._chunks = self._bar.add_task(f"  {doc_id}", total=chunks, tally="")

    def advance(self) -> None:
        if self._chunks is not None:
            self._bar.advance(self._chunks)

    def document_done(self, record: DocumentRecord) -> None:
        self.tally.add(record)
        self._bar.update(self._docs, advance=1, tally=self.tally.describe())
