"""`reread`: the baseline reads every number; the model rereads only the ones it is unsure of.

A candidate whose period the baseline carried from another sentence, or whose metric is a
fragment (the `?` of `guided`'s hints), is marked in its chunk. The model picks its period by
letter from the period wordings of the lead and the chunk, so it can choose but never invent
one, and copies a fragment's metric from the sentence. Its answers are short (a letter per
number), which matters where decoding, not reading, is the cost. Every other number keeps the
baseline's reading; a chunk with nothing unsure is not asked at all.

A small model tends to pick the first letter listed, so each chunk is asked twice, its
wordings in text order and reversed, and an answer stands only where both agree. A chosen
period that resolves to the dates of the baseline's keeps the baseline's wording, and a copied
metric that is not in the chunk or is only a unit (`亿元`, `百分點`) is no answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from string import ascii_lowercase
from typing import Any

from pydantic import BaseModel

from ..core.protocols import ChatModel
from ..lang.textnorm import fold
from ..steps.assemble import assemble_statistic
from ..steps.check import checked_reading
from ..steps.extract import ChunkResult, Proposal, dedupe, items_from_raw, mark_candidates
from ..steps.numbers import unit_reading
from .base import ChunkRequest, DocumentState, Progress
from .guided import baseline_hints
from .model import ModelStrategy

MAX_CHOICES = len(ascii_lowercase)
_LEAD_CHARS = 240  # of the article's start, shown before a later chunk


class RereadStrategy(ModelStrategy):
    name = "reread"
    per_item_tokens = 24

    @property
    def response_model(self) -> type[BaseModel]:
        return self.domain.reread_model

    def plan(self, state: DocumentState) -> list[ChunkRequest]:
        """Two requests per chunk holding unsure candidates, with only those candidates: the
        period wordings in text order, then reversed."""
        requests = []
        for request in super().plan(state):
            hints = baseline_hints(state, request)
            unsure = [k for k, hint in enumerate(hints) if "?" in hint.split("|")[:2]]
            if not unsure:
                continue
            request.candidates = [request.candidates[k] for k in unsure]
            request.hints = [hints[k] for k in unsure]
            request.choices = period_choices(state, request)
            start = request.chunk.start
            request.preface = _lead(state.cleaned.text) if start > 0 else ""
            requests += [request, replace(request, choices=request.choices[::-1])]
        return requests

    def messages(self, request: ChunkRequest) -> list[dict[str, str]]:
        periods = " ".join(f"({ascii_lowercase[k]}) {p}" for k, p in enumerate(request.choices))
        numbers = " ".join(
            f"[{k}] {c.surface}" + (" (metric ?)" if hint.startswith("?|") else "")
            for k, (c, hint) in enumerate(zip(request.candidates, request.hints, strict=True), 1)
        )
        preface = f"Lead: {request.preface}\n\n" if request.preface else ""
        return self.domain.prompt.messages(
            "reread",
            preface=preface,
            marked=mark_candidates(request.chunk, request.candidates),
            periods=periods or "none",
            numbers=numbers,
        )

    def read(self, value: Any, request: ChunkRequest) -> tuple[list[Proposal], int]:
        """Each candidate with the model's period and metric where the baseline was unsure
        of them; one it did not answer keeps the baseline's reading."""
        answers = {}
        for answer in dedupe(value.answers):
            if 1 <= answer.id <= len(request.candidates):
                answers.setdefault(answer.id, answer)
        proposals = []
        for number, (mention, hint) in enumerate(
            zip(request.candidates, request.hints, strict=True), 1
        ):
            fields: dict[str, Any] = {"value_text": mention.surface}
            answer = answers.get(number)
            if answer is not None:
                fields |= reading(answer, hint, request)
            proposals.append(Proposal(fields, candidate=mention))
        return proposals, len(request.candidates) - len(answers)

    def salvage(self, raw: str | None) -> BaseModel | None:
        """The complete answers of a cut-off reply."""
        if not raw:
            return None
        answers = items_from_raw(raw, "answers", self.domain.reread_item)
        return self.domain.reread_model(answers=answers) if answers else None

    def finish(
        self,
        state: DocumentState,
        answers: Iterable[ChunkResult],
        model: ChatModel | None,
        progress: Progress | None,
    ) -> None:
        """The reread candidates as the model answered, every other number as the baseline
        reads it, in text order."""
        answers = agreed(state, list(answers))
        super().finish(state, answers, model, progress)
        asked = set(state.covered)
        for mention in state.mentions:
            if (mention.start, mention.end) not in asked:
                state.stats.append(assemble_statistic(state.cleaned, state.reader, mention))
        state.stats.sort(key=lambda stat: (stat.start, stat.end))
        state.covered = [(m.start, m.end) for m in state.mentions]


def reading(answer: BaseModel, hint: str, request: ChunkRequest) -> dict[str, Any]:
    """The fields an answer changes: a period chosen by a listed letter, where the baseline
    carried its period; a metric copied from the chunk, not a fragment or a unit, where the
    baseline's was a fragment."""
    metric_unsure, period_unsure = (part == "?" for part in hint.split("|")[:2])
    letter = (answer.period or "").strip().strip("()").lower()
    fields: dict[str, Any] = {}
    if period_unsure and len(letter) == 1 and letter in ascii_lowercase:
        k = ascii_lowercase.index(letter)
        if k < len(request.choices):
            fields["period"] = request.choices[k]
    if metric_unsure and answer.metric:
        metric = checked_reading({"metric": answer.metric}, request.chunk.text)["metric"]
        if metric and fold(metric) in fold(request.chunk.text) and not only_unit(metric):
            fields["metric"] = metric
    return fields


def only_unit(metric: str) -> bool:
    """Whether a metric is nothing but a unit the number reader knows (`亿元`, `個百分點`)."""
    return unit_reading(metric) is not None


def agreed(state: DocumentState, results: list[ChunkResult]) -> list[ChunkResult]:
    """Each chunk's two answers (wordings in text order, then reversed) made one: a field
    stands only where both give it alike, and a period only where its dates differ from the
    baseline's (the same dates keep the baseline's wording). The second answer keeps its
    usage and no proposals."""
    lang = state.lang
    stated = lang.find_stated(state.doc.text, state.published)  # as `resolve_dates` does

    def dates(period: str | None) -> tuple[str | None, str | None]:
        return lang.resolve_period(period, stated, None) if period else (None, None)

    out = list(results)
    for k in range(0, len(results) - 1, 2):
        first, second = results[k], results[k + 1]
        merged = []
        for a, b in zip(first.proposals, second.proposals, strict=False):
            fields = {
                name: value
                for name, value in a.fields.items()
                if name == "value_text" or b.fields.get(name) == value
            }
            if "period" in fields and a.candidate is not None:
                baseline = state.reader.describe(a.candidate.start, a.candidate.end).period
                same = dates(fields["period"])
                if same[1] is not None and same == dates(baseline):
                    del fields["period"]
            merged.append(Proposal(fields, candidate=a.candidate))
        if len(merged) < len(state.requests[k].candidates):
            merged = []  # one call lost: every candidate keeps the baseline's reading
        out[k] = ChunkResult(merged, first.reply, first.salvaged, first.unlabelled)
        out[k + 1] = ChunkResult([], second.reply, second.salvaged, second.unlabelled)
    return out


def period_choices(state: DocumentState, request: ChunkRequest) -> list[str]:
    """The period wordings a candidate may take: the lead's, the chunk's up to its last
    candidate, and the baseline's carried guesses, each once (folded), in text order."""
    periods, text = state.reader.periods, state.cleaned.text
    lead_end = len(_lead(text))
    last = request.candidates[-1].end
    spans = [
        (s, 1, t)
        for s, t in zip(periods.starts, periods.texts, strict=True)
        if s < lead_end or request.chunk.start <= s < last
    ]
    for mention in request.candidates:
        carried = state.reader.describe(mention.start, mention.end).period
        if carried:
            spans.append((mention.start, 0, carried))  # before a mention at the same start
    choices, seen = [], set()
    for _, _, wording in sorted(spans):
        key = fold(wording)
        if key not in seen:
            seen.add(key)
            choices.append(wording)
    return choices[-MAX_CHOICES:]


def _lead(text: str) -> str:
    """The article's start (headline and first sentence), at most `_LEAD_CHARS`."""
    head = text[:_LEAD_CHARS]
    line = head.find("\n")
    stop = head.find("。", line + 1 if line >= 0 else 0)
    return head[: stop + 1] if stop >= 0 else head
