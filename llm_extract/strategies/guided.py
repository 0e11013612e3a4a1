"""`guided`: the regex candidates are marked `[n]` in the chunk and listed with the baseline's
reading of each, `?` where the baseline is unsure; the model labels each one and may add the few
statistics the marks missed.

What the model's answer changes was chosen by measurement on the tune split (README): its metric
and period replace the baseline's only where the hint was `?` and the text bears them out; a
candidate it calls no statistic is still kept as the baseline reads it (the 1.5B model's
`is_stat: false` dropped 10 true statistics for 1 spurious one); a candidate's region and agency
are the model's only where listed in `OWN_FIELDS` (none: the baseline's read better). The
statistics the model adds are its own."""

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
        return baseline_hints(state, request)

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
        """Every candidate, with the model's reading where the baseline was unsure, and the
        extra items; a candidate the model left unlabelled is kept as the baseline read it."""
        candidates = request.candidates
        proposals = []
        decided: set[int] = set()  # candidate ids the model labelled, either way
        for label in dedupe(value.labels):
            if not 1 <= label.id <= len(candidates) or label.id in decided:
                continue
            decided.add(label.id)
            mention = candidates[label.id - 1]
            if not label.is_stat:  # the baseline decides what is a statistic (see _where_unsure)
                proposals.append(Proposal({"value_text": mention.surface}, candidate=mention))
                continue
            fields = _own_fields(label.model_dump(exclude={"id", "is_stat"}))
            fields = checked_reading(fields, request.chunk.text)
            if label.id <= len(request.hints):
                fields = _where_unsure(fields, request.hints[label.id - 1])
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


def baseline_hints(state: DocumentState, request: ChunkRequest) -> list[str]:
    """The baseline's reading of each candidate, `metric|period|region|agency` (`-` for none),
    for the model to confirm or correct. Where the baseline is unsure the guess is `?`, for the
    model to read itself: a metric that is a fragment (`其次`, `比上年`), a period carried from
    an earlier sentence rather than worded in the figure's own."""
    hints = []
    for mention in request.candidates:
        c = state.reader.describe(mention.start, mention.end)
        metric = "?" if weak_metric(c.metric) else c.metric
        period = c.period if c.period is None or c.period_stated else "?"
        hints.append("|".join(part or "-" for part in (metric, period, c.region, c.agency)))
    return hints


_ASKED = ("metric", "period")  # the fields a hint may leave to the model with `?`
# Which of them the model's answer may fill where the hint was `?`. Measured on the 13 tune
# documents of d16–d45 (2026-12-03, the baseline of that day): trusting the 1.5B model's
# metric and period there scored core F1 63.7 against the baseline's 68.5, its metric alone
# 67.5, its period alone 64.8, neither 68.5 (strict 30.0 against 28.8): so neither.
TRUSTED_WHERE_UNSURE: tuple[str, ...] = ()
_OWN = ("region", "agency")  # the fields a hint never leaves to the model
# Which of them the model's answer fills for a candidate. Measured on the same 13 tune documents
# (2026-12-04, the baseline of the eighth round, which knows agencies by their form): strict F1
# 37.0 with the 1.5B model's region and agency, 54.5 with its region only, 42.6 with its agency
# only, 60.2 with neither (core 83.4 in all four): so neither.
OWN_FIELDS: tuple[str, ...] = ()


def _where_unsure(
    fields: dict[str, Any],
    hint: str,
    trusted: tuple[str, ...] = TRUSTED_WHERE_UNSURE,
    own: tuple[str, ...] = OWN_FIELDS,
) -> dict[str, Any]:
    """The model's metric and period stand only where the baseline was unsure (`?` in the
    hint) and the field is `trusted`; a guess the baseline was sure of is always kept (on the
    tune split the 1.5B model's changes to sure guesses lose more than they win). Its region
    and agency stand only if `own`."""
    parts = dict(zip(("metric", "period", "region", "agency"), hint.split("|"), strict=False))

    def stands(k: str) -> bool:
        if k in _ASKED:
            return parts.get(k) == "?" and k in trusted
        return k not in _OWN or k in own

    return {k: v if stands(k) else None for k, v in fields.items()}


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
