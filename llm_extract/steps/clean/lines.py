"""The line pass: chrome lines, photo credits and captions, repeated captions and banners,
trailing sidebars and footers go; each line is stripped and blank lines collapse."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...lang import load_language
from ..context.table import table_row
from .chrome import _is_chrome, _is_footer, _is_sidebar_heading
from .offsets import Edit

_LANG = load_language("zh")


@dataclass(frozen=True)
class _Line:
    index: int  # position among the non-blank lines
    start: int  # content start (after leading space) in the current text
    end: int  # content end (before trailing space)
    blank_before: bool  # a blank line precedes it since the previous non-blank line

    def text(self, source: str) -> str:
        return source[self.start : self.end]


_EDGE = " \t\r|"


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    blank = False
    for raw in text.split("\n"):
        stripped = raw.strip(_EDGE)
        if stripped:
            start = pos + len(raw) - len(raw.lstrip(_EDGE))
            lines.append(_Line(len(lines), start, start + len(stripped), blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return lines


def _lines(text: str) -> list[Edit]:
    """Drop chrome lines and trailing sidebars, strip each line, collapse blank lines."""
    lines = _split_lines(text)
    kept = _filter_lines(_without_page_breaks(lines, text), text)
    kept = _drop_repeated(kept, text)
    kept = _trim_tail(kept, text)
    return _join_edits(kept, lines, len(text), _hard_wraps(kept, text))


_PAGE_NUMBER = re.compile(_LANG.chrome["page_number"])
_WRAP_NOT_BEFORE = re.compile(_LANG.chrome["wrap_not_before"])
_LINE_DONE = re.compile(f'[{_LANG.sentence_ends}.!?:：)）」』”"]$')  # a line that ends its text
_FIGURE_END = re.compile(r"[\d%％—–\-…/]$")
_WRAP_MIN = 3  # lines filled to the width that make a document hard-wrapped
_WRAP_SLACK = 0.1  # how much narrower than the width a filled line may be
_WRAP_WIDTH = 40  # the least width a document is wrapped at (20 CJK characters)
_WRAP_SHARE = 0.5  # of the filled lines, the share that stop mid-sentence


_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"
)


def _width(line: str) -> int:
    """Display width: wide (CJK) characters count two (the East Asian wide ranges)."""
    return len(line) + len(_WIDE.findall(line))


def _hard_wraps(kept: list[_Line], text: str) -> frozenset[int]:
    """The kept lines whose break is a hard wrap (text out of a PDF: `完成预⏎算的52.1%`): a line
    filled to the document's width that stops mid-sentence, before a line that opens no
    heading, list item or table. The width is the commonest width of the lines stopping
    mid-sentence; a document is hard-wrapped if at least `_WRAP_MIN` and most of its filled
    lines are."""
    texts = [line.text(text) for line in kept]
    rows: dict[int, bool] = {}  # read as a table row, only where asked

    def row(k: int) -> bool:
        if k not in rows:  # a row ends in a figure unless its cells are separated
            t = texts[k]
            maybe = "\t" in t or "|" in t or _FIGURE_END.search(t) is not None
            rows[k] = maybe and table_row(t) is not None
        return rows[k]

    def at_least(k: int, width: float) -> bool:  # wide characters count two: len ≤ width ≤ 2 len
        n = len(texts[k])
        return n >= width or (2 * n >= width and _width(texts[k]) >= width)

    open_ended = [
        k
        for k in range(len(texts) - 1)
        if not _LINE_DONE.search(texts[k])
        and not _WRAP_NOT_BEFORE.match(texts[k + 1])
        and kept[k + 1].index == kept[k].index + 1  # nothing dropped between them
        and at_least(k, _WRAP_WIDTH)
        and not row(k)
        and not row(k + 1)
    ]
    if len(open_ended) < _WRAP_MIN:
        return frozenset()
    widths = Counter(_width(texts[k]) for k in open_ended)
    full = max(widths, key=lambda w: (sum(n for v, n in widths.items() if abs(v - w) <= 2), w))
    filled = {k for k in range(len(texts)) if at_least(k, full * (1 - _WRAP_SLACK)) and not row(k)}
    wraps = frozenset(k for k in open_ended if k in filled)
    if len(wraps) < _WRAP_MIN or len(wraps) < _WRAP_SHARE * len(filled):
        return frozenset()  # most filled lines end their sentence: a page of paragraphs
    return wraps


def _without_page_breaks(lines: list[_Line], text: str) -> list[_Line]:
    """The lines without the page breaks of a document turned into text: page numbers
    (`— 2 —`), and the running header beside one (a line that repeats an earlier line)."""
    texts = [line.text(text) for line in lines]
    pages = [k for k, t in enumerate(texts) if _PAGE_NUMBER.fullmatch(t)]
    drop = set(pages)
    for k in pages:
        for j in (k - 1, k + 1):
            if 0 <= j < len(texts) and texts[j] in texts[: min(k, j)]:
                drop.add(j)
    return [line for k, line in enumerate(lines) if k not in drop]


def _filter_lines(lines: list[_Line], text: str) -> list[_Line]:
    """Keep non-chrome lines up to the first sidebar heading or footer after the body."""
    kept: list[_Line] = []
    body_seen = False
    for line in lines:
        raw = line.text(text)
        footer = _is_footer(raw)
        if body_seen and (footer or _is_sidebar_heading(raw)):
            break
        trimmed = None if footer else _trim_byline(_trim_credit(line, text), text)
        trimmed = _trim_dateline(trimmed, text)
        if trimmed is None or _is_chrome(trimmed.text(text)):
            continue
        kept.append(trimmed)
        body_seen = body_seen or _is_body(trimmed.text(text))
    return kept


def _join_edits(
    kept: list[_Line], lines: list[_Line], size: int, wraps: frozenset[int] = frozenset()
) -> list[Edit]:
    """Edits keeping only the `kept` line contents, one line break between two of them, or
    two if a blank line separated them, or none after a line whose break is a hard wrap."""
    if not kept:
        return [(0, size, "")] if size else []
    edits: list[Edit] = [(0, kept[0].start, "")]
    for k, (prev, line) in enumerate(zip(kept, kept[1:], strict=False)):
        blank = any(lines[j].blank_before for j in range(prev.index + 1, line.index + 1))
        edits.append((prev.end, line.start, "\n\n" if blank else "" if k in wraps else "\n"))
    edits.append((kept[-1].end, size, ""))
    return [e for e in edits if e[0] < e[1] or e[2]]


# Photo credits: '(記者葉進耀攝)', '攝:李睿哲', '聯合報系資料照'.
_CREDIT = _LANG.chrome["credit"]
_CREDIT_END = re.compile(
    rf"\s*(?:[(（][^()（）\n]{{0,20}}[{_CREDIT['shot']}](?:影)?[)）]"
    rf"|(?:{_CREDIT['labels']})[:：/／][ \t]*[^\s，。,:：]{{1,12}}"
    rf"|[^\s，。,]{{0,12}}(?:{_CREDIT['archive']}))$"
)
_CAPTION_MAX = 100
_CREDIT_SCAN = 40
# Credits are short: only the end of a line is searched.
_CREDIT_HINT = re.compile(f"[{_CREDIT['hint']}]")


# A byline after the last sentence of a paragraph: '…修订至1.8%及2.2%。(完) 【编辑:朱延】'.
_BYLINE_TAIL = re.compile(
    rf"(?<=[{_LANG.sentence_ends}])\s*(?:[(（]完[)）])?\s*[【\[(（]?\s*"
    rf"(?:{_LANG.chrome['byline_labels']})\s*[:：][^{_LANG.sentence_ends}]*$"
)
_BYLINE_SCAN = 40  # a byline is short: only a line's last characters are searched


def _trim_byline(line: _Line | None, text: str) -> _Line | None:
    """Cut a byline (`(完) 【编辑:…】`) off the end of a prose line, so the line is kept."""
    if line is None:
        return None
    m = _BYLINE_TAIL.search(text, max(line.start, line.end - _BYLINE_SCAN), line.end)
    if not m or m.start() == line.start:
        return line
    return _Line(line.index, line.start, m.start(), line.blank_before)


_DATELINE = re.compile(_LANG.chrome["dateline"])


def dateline_before(original: str, at: int) -> bool:
    """Whether the original line holding position `at` opens with a news dateline ending at
    `at` (`新华社马尼拉１月３日电` before a wire item's body)."""
    line_start = original.rfind("\n", 0, at) + 1
    m = _DATELINE.match(original, line_start, at)
    return m is not None and m.end() == at > line_start


def _trim_dateline(line: _Line | None, text: str) -> _Line | None:
    """Cut a news dateline (`本报郑州１月３日电记者戴鹏报道：`) off the start of a line; a line
    that is only a dateline goes (None)."""
    if line is None:
        return None
    m = _DATELINE.match(text, line.start, line.end)
    if not m or m.end() == line.start:
        return line
    return _Line(line.index, m.end(), line.end, line.blank_before) if m.end() < line.end else None


def _trim_credit(line: _Line, text: str) -> _Line | None:
    """Strip a photo credit at the end of a line; a short line carrying one is a caption and
    goes (None)."""
    start = max(line.start, line.end - _CREDIT_SCAN)
    if not _CREDIT_HINT.search(text, start, line.end):
        return line
    m = _CREDIT_END.search(text, start, line.end)
    if not m:
        return line
    if m.start() - line.start <= _CAPTION_MAX:
        return None
    return _Line(line.index, line.start, m.start(), line.blank_before)


# Without the ASCII `;`, which ends no sentence in a caption or banner line.
_SENTENCE_END = re.compile(f"[{_LANG.sentence_ends.replace(';', '')}]")
# A number with a unit of the language pack, or a streak (連續42年): a line stating a quantity.
_STREAKS = "|".join(_LANG.units["duration"]["streak"])
_QUANTITY = re.compile(
    rf"\d[\d,.]*\s*(?:[万萬亿億千百]|{'|'.join(_LANG.units['units'])})"
    rf"|(?:{_STREAKS})\s*[\d{_LANG.cn_digits}十]+\s*(?:[个個]?月|年)"
)


def _is_body(line: str) -> bool:
    """Looks like article prose: a sentence, or a long line."""
    return len(line) >= 80 or (len(line) >= 15 and _SENTENCE_END.search(line) is not None)


_REPEAT_WINDOW = 3
_REPEAT_MAX = 100


def _drop_repeated(kept: list[_Line], text: str) -> list[_Line]:
    """A line repeated within a few lines is an image caption, a banner or a title: captions
    and banners (they end like sentences) go entirely, other repeats keep the first copy."""
    texts = [line.text(text) for line in kept]
    drop: set[int] = set()
    for i, t in enumerate(texts):
        if len(t) > _REPEAT_MAX:
            continue
        for j in range(i + 1, min(i + 1 + _REPEAT_WINDOW, len(texts))):
            if texts[j] == t:
                drop.add(j)
                if _SENTENCE_END.search(t[-1]):
                    drop.add(i)
    return [line for i, line in enumerate(kept) if i not in drop]


_TABLE_HEAD = 2  # a table's header and title lines above its rows


def _trim_tail(kept: list[_Line], text: str) -> list[_Line]:
    """After the last prose line, short lines without a quantity are sidebar links or menus;
    a table (two rows or more, its header and title) stays."""
    last_body = max((i for i, ln in enumerate(kept) if _is_body(ln.text(text))), default=-1)
    if last_body < 0:
        return kept
    after = [ln.text(text) for ln in kept[last_body + 1 :]]
    rows = [table_row(t) is not None for t in after]
    table = {  # a table's rows (two or more), with its header and title above them
        k - j
        for k in range(1, len(rows))
        if rows[k] and rows[k - 1]
        for j in range(_TABLE_HEAD + 2)
        if k - j >= 0
    }
    tail = [
        ln
        for k, (ln, t) in enumerate(zip(kept[last_body + 1 :], after, strict=True))
        if _QUANTITY.search(t) or k in table
    ]
    return kept[: last_body + 1] + tail
