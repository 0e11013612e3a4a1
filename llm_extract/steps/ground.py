"""Grounding: find where a proposed statistic stands in the text. Model offsets are never used.

The value as written is searched in its chunk: exactly, then after normalisation (full-width,
spaces, Traditional/Simplified), then fuzzily (a regex number in the chunk with the same
value). The located span is widened to the regex mention that covers it and re-parsed there,
so the written value always comes from the text, not from the model.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from ..lang.textnorm import fold, fold_with_map
from ..records import Grounding
from .chunk import Chunk
from .numbers import NumberMention, find_numbers, parse_number, same_value


@dataclass(frozen=True, slots=True)
class Located:
    mention: NumberMention  # the number at the span, parsed from the text (clean coordinates)
    grounding: Grounding


class Grounder:
    """Locates proposals in one document's clean text, given its regex mentions."""

    def __init__(self, text: str, mentions: list[NumberMention]):
        self.text = text
        self.mentions = mentions
        self._starts = [m.start for m in mentions]
        self._folded: dict[int, tuple[str, list[int]]] = {}  # chunk start -> folded chunk

    def mention_at(self, start: int, end: int) -> NumberMention | None:
        """The regex mention overlapping [start, end), if any."""
        i = bisect.bisect_right(self._starts, end - 1) - 1
        while i >= 0 and self.mentions[i].end > start:
            if self.mentions[i].start < end:
                return self.mentions[i]
            i -= 1
        return None

    def _as_mention(self, start: int, end: int) -> NumberMention | None:
        found = self.mention_at(start, end)
        if found is not None:
            return found
        parsed = find_numbers(self.text[start:end])
        if not parsed:
            return None
        return replace(parsed[0], start=start + parsed[0].start, end=start + parsed[0].end)

    def _ordered(
        self,
        spans: list[tuple[int, int]],
        chunk: Chunk,
        hint: str | None,
        taken: set[tuple[int, int]],
    ) -> list[tuple[int, int]]:
        """Spans inside the evidence the model quoted first, then ones not used yet."""
        inside: tuple[int, int] = (0, -1)
        if hint and (at := chunk.text.find(hint)) >= 0:
            inside = (chunk.start + at, chunk.start + at + len(hint))

        def rank(span: tuple[int, int]) -> tuple[bool, bool, int]:
            within = inside[0] <= span[0] and span[1] <= inside[1]
            return (not within, span in taken, span[0])

        return sorted(spans, key=rank)

    def _exact(self, needle: str, chunk: Chunk) -> list[tuple[int, int]]:
        spans, at = [], chunk.text.find(needle)
        while at >= 0:
            spans.append((chunk.start + at, chunk.start + at + len(needle)))
            at = chunk.text.find(needle, at + 1)
        return spans

    def _normalized(self, needle: str, chunk: Chunk) -> list[tuple[int, int]]:
        if chunk.start not in self._folded:  # fold each chunk once, not once per proposal
            self._folded[chunk.start] = fold_with_map(chunk.text)
        folded, index = self._folded[chunk.start]
        target = fold(needle)
        spans, at = [], folded.find(target) if target else -1
        while at >= 0:
            spans.append((chunk.start + index[at], chunk.start + index[at + len(target) - 1] + 1))
            at = folded.find(target, at + 1)
        return spans

    def _by_value(self, value: float | None, chunk: Chunk) -> list[tuple[int, int]]:
        if value is None:
            return []
        lo = bisect.bisect_left(self._starts, chunk.start)
        hi = bisect.bisect_left(self._starts, chunk.end)
        return [
            (m.start, m.end)
            for m in self.mentions[lo:hi]
            if m.end <= chunk.end and (same_value(m.value, value) or same_value(m.value_max, value))
        ]

    def locate(
        self,
        value_text: str,
        chunk: Chunk,
        *,
        evidence: str | None = None,
        value: float | None = None,
        taken: set[tuple[int, int]] | None = None,
    ) -> Located | None:
        """Ground one proposed value in `chunk`; None when its number is not in the text."""
        taken = taken if taken is not None else set()
        needle = value_text.strip()
        if not needle:
            return None
        expected = _value_of(needle, value)
        steps = (
            (Grounding.exact, lambda: self._exact(needle, chunk)),
            (Grounding.normalized, lambda: self._normalized(needle, chunk)),
            (Grounding.fuzzy, lambda: self._by_value(expected, chunk)),
        )
        for method, find in steps:
            for span in self._ordered(find(), chunk, evidence, taken):
                mention = self._as_mention(*span)
                if mention is None:
                    continue
                same = same_value(mention.value, expected) or same_value(
                    mention.value_max, expected
                )
                if same or span[0] <= mention.start:  # not a fragment inside another number
                    return Located(mention, method)
        return None


def _value_of(value_text: str, fallback: float | None) -> float | None:
    found = find_numbers(value_text)
    if found:
        return found[0].value
    parsed = parse_number(value_text)
    return parsed if parsed is not None else fallback
