"""What every strategy works on: one document as read, and the one protocol strategies share."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from ..core.protocols import ChatModel
from ..lang import Language
from ..records import DocumentRecord, RunInfo, Statistic
from ..steps.chunk import Chunk
from ..steps.clean import CleanText
from ..steps.context import ContextReader
from ..steps.extract import ChunkResult
from ..steps.ingest import Document
from ..steps.numbers import NumberMention


class Progress(Protocol):
    def start_document(self, doc_id: str, chunks: int) -> None: ...
    def advance(self) -> None: ...


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


@dataclass
class ChunkRequest:
    """One chunk to ask about: its regex candidates and the baseline's reading of each."""

    chunk: Chunk
    candidates: list[NumberMention]
    hints: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)  # reread: the period wordings to pick from
    preface: str = ""  # reread: the article's lead, shown before a later chunk


@dataclass
class DocumentState:
    """A document read (cleaned, numbers found, context indexed) and what its strategy adds:
    the chunk requests, the statistics and the spans they cover."""

    doc: Document
    record: DocumentRecord
    cleaned: CleanText
    reader: ContextReader
    mentions: list[NumberMention]
    deadline: Deadline
    lang: Language  # the language pack the document is read with
    published: date | None  # the day the periods are resolved against
    requests: list[ChunkRequest] = field(default_factory=list)
    stats: list[Statistic] = field(default_factory=list)
    covered: list[tuple[int, int]] = field(default_factory=list)


class Strategy(Protocol):
    """How a document's statistics are found. The pipeline runs every strategy the same way:
    `plan` the chunk requests, `ask` the model each one (none for `regex`), `finish` the
    document from the answers in chunk order."""

    name: str
    uses_model: bool

    def plan(self, state: DocumentState) -> list[ChunkRequest]: ...

    def ask(self, model: ChatModel, request: ChunkRequest) -> ChunkResult: ...

    def finish(
        self,
        state: DocumentState,
        answers: Iterable[ChunkResult],
        model: ChatModel | None,
        progress: Progress | None,
    ) -> None: ...

    def run_info(self, model: ChatModel | None, version: str) -> RunInfo: ...
