"""Lists under a heading: lines opening with a place, below a line ending in a colon, count
what the heading names (`六都30日死亡人數（113年）：` over `臺中市　331人（-4.9%）`); the
heading's bracket or opening words give their period."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .index import LANG
from .region import _REGION
from .table import text_lines

_HEADING = re.compile(
    r"[ \u3000]*(?P<name>[^\n：:]{2,40}?)"
    r"(?:[(（](?P<bracket>[^()（）\n]{1,12})[)）])?[ \u3000]*[：:][ \u3000]*"
)
_PLACE_LINE = re.compile(rf"[ \u3000]*(?:{_REGION.pattern})[ \u3000]*(?=\d)")  # the figure next
_MIN_LINES = 2


@dataclass(frozen=True)
class ListLine:
    """One line of a list under a heading, and what the heading says of its figures."""

    start: int
    end: int
    metric: str
    period: str | None


def read_lists(text: str) -> list[ListLine]:
    """Every line of every list under a heading in `text`, in text order."""
    lines = text_lines(text)
    out: list[ListLine] = []
    for k, (_, line) in enumerate(lines):
        heading = _HEADING.fullmatch(line)
        if not heading or not LANG.han_char.search(heading["name"]):
            continue
        run = k + 1
        while run < len(lines) and _PLACE_LINE.match(lines[run][1]):
            run += 1
        if run - k - 1 < _MIN_LINES:
            continue
        metric, period = _named(heading["name"].strip(), heading["bracket"])
        out += [ListLine(s, s + len(body), metric, period) for s, body in lines[k + 1 : run]]
    return out


def _named(name: str, bracket: str | None) -> tuple[str, str | None]:
    """The metric a heading names and its period (its bracket's, or the words it opens with)."""
    worded = LANG.period.match(bracket) if bracket else None
    if worded and worded.start("p") == 0 and worded.end("p") == len(bracket):
        return name, worded["p"]
    opening = LANG.period.match(name)
    if opening and opening.start("p") == 0 and opening.end("p") < len(name):
        return name[opening.end("p") :].strip(), opening["p"]
    return name, None


def line_at(lines: list[ListLine], starts: list[int], offset: int) -> ListLine | None:
    """The list line holding `offset`, if any (`starts`: the lines' starts)."""
    k = bisect_right(starts, offset) - 1
    return lines[k] if k >= 0 and offset < lines[k].end else None
