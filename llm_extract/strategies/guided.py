"""`guided`: the regex candidates are marked `[n]` in the chunk and listed with the baseline's
reading of each; the model labels each one (is it a statistic, its metric, period, …) and may
add the few it finds that the marks missed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..steps.check import checked_reading
from ..steps.context import weak_metric
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
        none), for the model to confirm or correct. Where the baseline is unsure the guess is
        `?`, for the model to read itself: a metric that is a fragment (`其次`, `比上年`), a
        period carried from an earlier sentence rather than worded in the figure's own."""
        hints = []
        for mention in request.candidates:
            c = state.reader.describe(mention.start, mention.end)
            metric = "?" if weak_metric(c.metric) else c.metric
            period = c.period if c.period is None or c.period_stated else "?"
            hints.append("|".join(part or "-" for part in (metric, period, c.region, c.agency)))
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
            fields = _own_fields(label.model_dump(exclude={"id", "is_stat"}))
            fields = checked_reading(fields, request.chunk.text)
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


def _own_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A field the model filled with the hint's whole `a|b|c` form keeps its own first part;
    a `?` or `-` copied from the hint is no answer."""
    out = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.split("|", 1)[0].strip()
            value = None if value in ("?", "-", "") else value
        out[name] = value
    return out
