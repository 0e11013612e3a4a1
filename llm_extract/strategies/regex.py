"""The deterministic regex baseline as a strategy: every statistic-like number of the text.

`find_numbers` decides what is statistic-like and `assemble_statistic` turns each mention into a
record with the regex context (metric, period, region, agency, evidence sentence).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.protocols import ChatModel
from ..records import RunInfo, Statistic
from ..steps.assemble import assemble_statistic
from ..steps.clean import CleanText
from ..steps.context import ContextReader
from ..steps.extract import ChunkResult
from ..steps.numbers import NumberMention
from .base import ChunkRequest, DocumentState, Progress

BATCH = 256  # numbers described between two deadline checks


def baseline_statistics(
    clean: CleanText, reader: ContextReader, mentions: list[NumberMention]
) -> list[Statistic]:
    """Every statistic-like mention of the article body, as the regex model's output."""
    return [assemble_statistic(clean, reader, mention) for mention in mentions]


class RegexStrategy:
    """No model: each statistic-like number with the regex context."""

    name = "regex"
    uses_model = False

    def plan(self, state: DocumentState) -> list[ChunkRequest]:
        return []

    def ask(self, model: ChatModel, request: ChunkRequest) -> ChunkResult:
        raise TypeError("the regex strategy asks no model")

    def finish(
        self,
        state: DocumentState,
        answers: Iterable[ChunkResult],
        model: ChatModel | None,
        progress: Progress | None,
    ) -> None:
        mentions = state.mentions
        for at in range(0, len(mentions), BATCH):
            part = mentions[at : at + BATCH]
            state.stats += baseline_statistics(state.cleaned, state.reader, part)
            state.deadline.check("describing numbers")
        state.covered = [(m.start, m.end) for m in mentions]

    def run_info(self, model: ChatModel | None, version: str) -> RunInfo:
        return RunInfo(version=version)
