"""The index under every context rule: sentence, clause, line and bracket bounds of a text.

Positions are offsets into the clean text. `Position` holds, for one number, the bounds of its
sentence and paragraph; `Spans` holds the mentions of one kind (periods, regions, agencies).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from ...lang import load_language, trie

LANG = load_language("zh")
_both = LANG.both
_alt = LANG.alt
_trie = trie

_SENT_END = LANG.sentence_end
# Clause boundaries. A comma inside a number (28,000) is none, and bracketed or quoted
# stretches (`比2025年同期(2月1日,农历正月初四)`) are skipped whole.
_BOUND = re.compile(f"[{LANG.clause_marks.replace(',', '')}{LANG.sentence_ends}\\n]")
_BOUND_COMMA = re.compile(r",(?:(?<!\d,)|(?!\d{3}(?!\d)))")
_BRACKET = re.compile(r"[（(][^（()）\n]{0,80}[)）]")
_SPEECH = re.compile(r"“[^“”\n]*”|「[^「」\n]*」")  # a quotation, of any length within a line
_QUOTE = re.compile(r"“[^“”\n，,。]{0,60}”|「[^「」\n，,。]{0,60}」")
_RESPECTIVELY = re.compile("分别|分別")
_SPACE = " \u3000\t\xa0"
_W = LANG.words
_DISPOSAL = re.compile(
    f"(?:{_alt(_W['disposal'])})(?P<obj>[^，,。；;、\\n]{{2,30}}?)(?:分别|分別)?"
    f"(?:{_alt(_W['disposal_from'])})"
)
# The word opening a change's first figure (`从2019年的281.5亿元增加到…`, `由20.13亿元…`).
_FROM_WORDS = frozenset(_both(_W["disposal_from"]))
# The whole a share is of, ending right before a place or 全年 (`占全国的5.9%`, `完成全年计划`):
# neither the region nor the period of the figure.
_SHARE_OF = re.compile(f"(?:{_alt(_W['share_of'])})$")
_REVISED = re.compile(f"(?:向[上下])?(?:{_alt(_W['revise'])})(?:至|为|為|到)")
# A number for internal use: digits (not dates, times or codes) or Chinese numerals.
_MAGS = "".join(LANG.magnitudes)  # 万萬亿億兆
_NUM = re.compile(
    rf"(?<![\d.A-Za-z])\d(?:[\d,.]*\d)?(?:[ \u3000]?[{_MAGS}千](?:\d[\d,]*)?)*"  # 120萬9536
    r"(?![\d年月日号號时時点點:：\-/])"
    rf"|(?:百分之)?(?:[零〇○一二两兩三四五六七八九十廿百千{_MAGS}]{{2,}}"  # 百分之八十一點三
    r"|[一二三四五六七八九十两兩](?=[点點．][零〇○一二三四五六七八九]))"  # 一點四倍
    r"(?:[点點．][零〇○一二三四五六七八九]+)?(?![年月日号號时時])"
    r"|[一二三四五六七八九十]成"
)
_LEDE_LINE_CHARS = 8  # shorter lines (section names, dates, bylines) are not counted
_WINDOW = 200  # a clause is never taken longer than this (unpunctuated text stays linear)


class Position(NamedTuple):  # a tuple: made for every number, so cheap to make
    """A number at text[start:end] with the bounds of its sentence and paragraph."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int  # after the sentence end mark (a line break is not included)
    paragraph_start: int
    paragraph_end: int
    paragraph: int  # index of the paragraph (line)


class Spans:
    """Non-overlapping mentions sorted by position."""

    __slots__ = ("starts", "ends", "texts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.texts: list[str] = []

    def add(self, start: int, end: int, text: str) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.texts.append(text)

    def last(self, pos: int, lo: int) -> int:
        """Index of the last mention inside [lo, pos), or -1."""
        i = bisect_right(self.ends, pos) - 1
        return i if i >= 0 and self.starts[i] >= lo else -1


class TextIndex:
    """Sentence, line, bracket and clause bounds of one text, for bisects."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._sents = [m.start() for m in _SENT_END.finditer(text)]
        self._lines = [m.start() for m in re.finditer("\n", text)]
        self._brackets = {m.start(): m.end() for m in _BRACKET.finditer(text)}
        self._speech = {m.start(): m.end() for m in _SPEECH.finditer(text)}
        self._speech_starts = list(self._speech)
        self._bracket_starts = list(self._brackets)
        self._narrow = self._clause_bounds()
        self._wide = [p for p in self._narrow if text[p] != "、"]
        self._respectively_at = [m.start() for m in _RESPECTIVELY.finditer(text)]
        self._disposals = list(_DISPOSAL.finditer(text))
        self._disposal_ends = [m.end() for m in self._disposals]

    def position(self, start: int, end: int) -> Position:
        """The sentence and paragraph of the number at text[start:end]."""
        text, sents, lines = self.text, self._sents, self._lines
        i = bisect_left(sents, start)
        ss = sents[i - 1] + 1 if i > 0 else 0
        j = bisect_left(sents, end)
        se = sents[j] + (text[sents[j]] != "\n") if j < len(sents) else len(text)
        para = bisect_left(lines, start)
        ps = lines[para - 1] + 1 if para > 0 else 0
        pe = lines[para] if para < len(lines) else len(text)
        return Position(start, end, ss, se, ps, pe, para)

    def _clause_bounds(self) -> list[int]:
        text = self.text
        bounds = [m.start() for m in _BOUND.finditer(text)]
        commas = [m.start() for m in _BOUND_COMMA.finditer(text)]
        bounds = sorted(bounds + commas) if commas else bounds
        inside: set[int] = set()
        for s, e in [*self._brackets.items(), *(m.span() for m in _QUOTE.finditer(text))]:
            inside.update(bounds[bisect_right(bounds, s) : bisect_left(bounds, e)])
        return [p for p in bounds if p not in inside] if inside else bounds

    def _clause_openings(
        self, pattern: re.Pattern[str], bounds: list[int], group: int | str = 0
    ) -> Spans:
        """The matches of `pattern` right at a clause start (after each of `bounds`)."""
        spans = Spans()
        for cs in [0, *(b + 1 for b in bounds)]:
            m = pattern.match(self.text, cs)
            if m:
                spans.add(*m.span(group), m[group])
        return spans

    def _in_brackets(self, pos: int) -> bool:
        starts = self._bracket_starts
        i = bisect_right(starts, pos) - 1
        return i >= 0 and starts[i] < pos < self._brackets[starts[i]]

    def _lede(self, lines: int) -> int:
        """End of the first `lines` substantial lines (headline and first paragraphs)."""
        pos, count, text = 0, 0, self.text
        while pos < len(text) and count < lines:
            nl = text.find("\n", pos)
            nl = len(text) if nl < 0 else nl
            count += len(text[pos:nl].strip()) >= _LEDE_LINE_CHARS
            pos = nl + 1
        return min(pos, len(text))

    def _paragraph_start(self, pos: int) -> int:
        i = bisect_left(self._lines, pos)
        return self._lines[i - 1] + 1 if i > 0 else 0

    def _disposal_object(self, start: int, ss: int) -> tuple[int, int] | None:
        """The span of `METRIC` when the number at `start` is a figure of `将 METRIC 由 A 修订至
        B` in its sentence (from `ss`): after the source word in the same clause, or in a later
        clause opening with a revision verb (`，向下修订至3.2%`)."""
        i = bisect_right(self._disposal_ends, start) - 1
        if i < 0 or self._disposals[i].start() < max(ss, start - _WINDOW):
            return None
        found = self._disposals[i]
        cs = _before(self._wide, start, found.end())
        if cs > found.end() and not _REVISED.match(self.text, cs):
            return None
        return found.span("obj")

    def _respectively_before(self, lo: int, pos: int) -> int:
        at = self._respectively_at
        i = bisect_left(at, pos) - 1
        return at[i] if i >= 0 and at[i] >= lo else -1


def _before(bounds: list[int], pos: int, lo: int) -> int:
    """Just after the last boundary before pos, but not before lo nor _WINDOW back."""
    i = bisect_left(bounds, pos) - 1
    return max(bounds[i] + 1 if i >= 0 else lo, lo, pos - _WINDOW)


def _after(bounds: list[int], pos: int, hi: int) -> int:
    """The first boundary at or after pos, but not after hi nor _WINDOW ahead."""
    i = bisect_left(bounds, pos)
    return min(bounds[i] if i < len(bounds) else hi, hi, pos + _WINDOW)
