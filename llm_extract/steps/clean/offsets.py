"""Edits of a cleaning step, applying them, and the offset map back to the original.

A step returns a same-length string or sorted edits `(start, end, replacement)`; `_apply`
yields the next text and a `_Layer` mapping its pieces back; `CleanText.to_original` walks the
layers back with `bisect`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

Edit = tuple[int, int, str]
Step = Callable[[str], str | list[Edit]]


class _Layer:
    """Maps spans of one step's output back to its input."""

    __slots__ = ("starts", "old_starts", "old_ends", "copied", "new_len", "old_len")

    def __init__(self, new_len: int, old_len: int) -> None:
        self.starts: list[int] = []
        self.old_starts: list[int] = []
        self.old_ends: list[int] = []
        self.copied: list[bool] = []
        self.new_len = new_len
        self.old_len = old_len

    def add(self, start: int, old_start: int, old_end: int, copied: bool) -> None:
        self.starts.append(start)
        self.old_starts.append(old_start)
        self.old_ends.append(old_end)
        self.copied.append(copied)

    def _start(self, pos: int) -> int:
        if pos >= self.new_len:
            return self.old_len
        i = bisect_right(self.starts, pos) - 1
        if self.copied[i]:
            return self.old_starts[i] + pos - self.starts[i]
        return self.old_starts[i]

    def _end(self, pos: int) -> int:
        """Old end of the new character at `pos`."""
        i = bisect_right(self.starts, pos) - 1
        if self.copied[i]:
            return self.old_starts[i] + pos - self.starts[i] + 1
        return self.old_ends[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            pos = self._start(start)
            return pos, pos
        return self._start(start), self._end(end - 1)


def _apply(text: str, edits: list[Edit]) -> tuple[str, _Layer | None]:
    """Apply sorted edits; overlapping ones (starting before the previous end) are skipped."""
    if not edits:
        return text, None
    parts: list[str] = []
    pieces: list[tuple[int, int, int, bool]] = []
    pos = new = 0
    for start, end, rep in edits:
        if start < pos:
            continue
        if start > pos:
            parts.append(text[pos:start])
            pieces.append((new, pos, start, True))
            new += start - pos
        if rep:
            parts.append(rep)
            pieces.append((new, start, end, False))
            new += len(rep)
        pos = end
    if pos < len(text):
        parts.append(text[pos:])
        pieces.append((new, pos, len(text), True))
        new += len(text) - pos
    layer = _Layer(new, len(text))
    for piece in pieces:
        layer.add(*piece)
    return "".join(parts), layer


@dataclass
class CleanText:
    """Clean article text plus the original it came from."""

    text: str
    original: str
    _layers: list[_Layer] = field(default_factory=list, repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span [start, end) to the smallest original span covering exactly those
        characters (so for a clean span of a number the original slice is the number as
        written, e.g. '39.4 万起' or '３９．４万')."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside clean text of {len(self.text)}")
        for layer in reversed(self._layers):
            start, end = layer.span(start, end)
        return start, end

    def paragraphs_after(self, cut: Callable[[str, int], bool]) -> frozenset[int]:
        """Clean offsets of the paragraphs whose original line had words before them that
        `cut(original, at)` says were cut off (a wire item's dateline)."""
        starts = (m.end() for m in re.finditer("\n+", self.text))
        return frozenset(
            s
            for s in starts
            if s < len(self.text) and cut(self.original, self.to_original(s, s + 1)[0])
        )


def _words(words: str, lower: bool = False) -> frozenset[str]:
    """A space-separated word list as a set (lower-cased if `lower`)."""
    return frozenset(w.lower() if lower else w for w in words.split())


def _sub_edits(pattern: re.Pattern[str], text: str, rep: str = "") -> list[Edit]:
    """Edits replacing every match of `pattern` by `rep`."""
    return [(m.start(), m.end(), rep) for m in pattern.finditer(text)]
