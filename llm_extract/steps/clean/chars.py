"""Character steps: line separators, full-width and space characters, invisible characters,
spaces between digits and Hanzi."""

from __future__ import annotations

import re
from bisect import bisect_right

from ...lang import load_language
from ..context.table import table_row, text_lines
from .offsets import Edit, _sub_edits

_LANG = load_language("zh")
HAN = _LANG.han
_HAN_CHAR = _LANG.han_char

_SEPARATOR = re.compile("\r(?!\n)|[\u2028\u2029\x0b\x0c\x85]")


def _line_separators(text: str) -> str:
    """Lone CR and Unicode line/paragraph separators become LF (same length)."""
    return _SEPARATOR.sub("\n", text)


# Full-width digits, letters and ％．＋－～ (other full-width signs stay).
_FULLWIDTH = {k: v for k, v in _LANG.fullwidth.items() if v.isalnum() or k in "％．＋－～"}
_SPACES = _LANG.wide_spaces
_CHAR_MAP = _FULLWIDTH | {c: " " for c in _SPACES} | {"\t": "|"}  # a tab separates cells
_CHAR_RUN = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]+")
_CHAR_TABLE = str.maketrans(_CHAR_MAP)


def _normalize_chars(text: str) -> str:
    """Full-width digits, letters and ％．＋－～ to ASCII; wide and odd spaces to ' ', a tab to
    `|` (the cell separator of a table: `失業人數（人）\t123 100\t131 800`)."""
    return _CHAR_RUN.sub(lambda m: m.group().translate(_CHAR_TABLE), text)


# A middle dot between digits is a decimal point where a percent, magnitude or unit follows
# (`１７·２％`, `１·６万元`, as the People's Daily printed them); else it joins a name (`5·10`).
_UNITS = "|".join(_LANG.units["units"])
_DOT_DECIMAL = re.compile(
    rf"[·・•](?<=[0-9].)(?=[0-9]+[ ]?(?:[%‰]|[{''.join(_LANG.magnitudes)}]|{_UNITS}))"
)


def _dot_decimals(text: str) -> str:
    """`１７·２％` -> `17.2%` (after `_normalize_chars`; same length)."""
    return _DOT_DECIMAL.sub(".", text)


_FINANCIAL = dict(_LANG.financial)
_NUMERAL_CHARS = "".join(_FINANCIAL) + _LANG.cn_digits + "".join(_LANG.small_magnitudes)
_NUMERAL_RUN = re.compile(f"[{_NUMERAL_CHARS}{''.join(_LANG.magnitudes)}]{{2,}}")
_SCALES = frozenset("拾佰仟" + "".join(_LANG.small_magnitudes) + "".join(_LANG.magnitudes))
_FINANCIAL_TABLE = str.maketrans(_FINANCIAL)


def _financial_numerals(text: str) -> str:
    """`壹萬貳仟元` -> `一萬二千元` (same length): a run of numeral characters with a financial
    numeral in it is folded when it has two of them or a magnitude, so a lone 陆 (陆家嘴) or
    伍 (队伍) stays a word."""

    def fold(m: re.Match[str]) -> str:
        run = m.group()
        financial = sum(c in _FINANCIAL for c in run)
        if financial >= 2 or (financial and not _SCALES.isdisjoint(run)):
            return run.translate(_FINANCIAL_TABLE)
        return run

    return _NUMERAL_RUN.sub(fold, text)


_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]+")


def _invisible(text: str) -> list[Edit]:
    return _sub_edits(_INVISIBLE, text)


_SPACES_BEFORE_WORD = re.compile(f" +(?=[0-9{HAN}])")
_MAGNITUDE = "万萬亿億千百"


def _table_row(line: str) -> bool:
    """A label, then two or more cells (`火电 620 5120`): the table reader's row."""
    row = table_row(line)
    return row is not None and len(row[1]) >= 2


def _table_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the rows of space-separated tables (two rows or more) and of the header line
    above them: their spaces separate cells, so they stay."""
    lines = [(at, at + len(line), _table_row(line)) for at, line in text_lines(text)]
    spans = []
    for k, (s, e, row) in enumerate(lines):
        before = k > 0 and lines[k - 1][2]
        after = k + 1 < len(lines) and lines[k + 1][2]
        if not row or not (before or after):
            continue
        if not before and k > 0:  # the first row: the header above goes with it
            s = lines[k - 1][0]
        spans.append((s, e))
    return spans


def _digit_han_spaces(text: str) -> list[Edit]:
    """'2022 年 4 月' -> '2022年4月', '案件 39.4 万起' -> '案件39.4万起'; a space after a
    magnitude stays ('逾9億 6都' must not read as 9億6), and so do the spaces of a table."""
    edits, tables = [], _table_lines(text)
    table_starts = [s for s, _ in tables]
    for m in _SPACES_BEFORE_WORD.finditer(text):
        start, end = m.span()
        k = bisect_right(table_starts, start) - 1
        if start == 0 or (k >= 0 and start < tables[k][1]):
            continue
        before, after = text[start - 1], text[end]
        if after.isascii():  # a digit: remove after a Han character, unless '億 6'
            if before in _MAGNITUDE or not _HAN_CHAR.match(before):
                continue
        elif not "0" <= before <= "9":
            continue
        edits.append((start, end, ""))
    return edits
