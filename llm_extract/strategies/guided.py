"""`guided`: the regex candidates are marked `[n]` in the chunk and listed with the baseline's
reading of each; the model labels each one (is it a statistic, its metric, period, …) and may
add the few it finds that the marks missed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..steps.extract import Proposal, dedupe, items_from_raw, mark_candidates
from .base import ChunkRequest, DocumentState
from .model import ModelStrategy


class GuidedStrategy(ModelStrategy):
    name = "guided"
    per_item_tokens = 32

    @property
    def response_model(self) -> type[BaseModel]:
        return self.domain.guided_model

    def hints(self, state: DocumentState, request: ChunkRequest) -> list[str]:
        """The baseline's reading of each candidate, `metric|period|region|agency` (`-` for
        none), for the model to confirm or correct."""
        hints = []
        for mention in request.candidates:
            c = state.reader.describe(mention.start, mention.end)
            hints.append("|".join(part or "-" for part in (c.metric, c.period, c.region, c.agency)))
        return hints

    def messages(self, request: ChunkRequest) -> list[dict[str, str]]:
        guesses = list(request.hints) + [""] * len(request.candidates)
        listing = (
            " ".join(
                f"[{i}] {c.surface}" + (f" ({guess})" if guess else "")
                for i, (c, guess) in enumerate(zip(request.candidates, guesses, strict=False), 1)
            )
            or "none"
        )
        marked = mark_candidates(request.chunk, request.candidates)
        return self.domain.prompt.messages("guided", marked=marked, candidates=listing)

    def read(self, value: Any, request: ChunkRequest) -> tuple[list[Proposal], int]:
        """Labelled candidates that are statistics, the extra items, and every candidate the
        model never labelled (kept as the baseline read it)."""
        candidates = request.candidates
        proposals = []
        decided: set[int] = set()  # candidate ids the model labelled, either way
        for label in dedupe(value.labels):
            if not 1 <= label.id <= len(candidates) or label.id in decided:
                continue
            decided.add(label.id)
            if not label.is_stat:
                continue
            mention = candidates[label.id - 1]
            fields = label.model_dump(exclude={"id", "is_stat"})
            fields["value_text"] = mention.surface
            proposals.append(Proposal(fields, candidate=mention))
        proposals += [Proposal(item.model_dump()) for item in dedupe(value.extra)]
        skipped = [
            Proposal({"value_text": mention.surface}, candidate=mention)
            for number, mention in enumerate(candidates, 1)
            if number not in decided
        ]
        return proposals + skipped, len(skipped)

    def salvage(self, raw: str | None) -> BaseModel | None:
        """The complete labels and extra items of a cut-off answer."""
        if not raw:
            return None
        labels = items_from_raw(raw, "labels", self.domain.label_model)
        extra = items_from_raw(raw, "extra", self.domain.item)
        return self.domain.guided_model(labels=labels, extra=extra) if labels or extra else None
