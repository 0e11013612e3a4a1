"""Tables: the bare numbers of a statistics table, read with their row label and column header.

A table is two or more consecutive lines ending in the same number of bare figures (`8520.3`,
`-2.1`, `—` for none), cells separated by `|`, tabs or spaces, each line opening with a label
(`地区生产总值(亿元)`). The line above, when it has a cell per column, is the header. As the
GUIDE labels them, a cell's metric is its row label (without a bracketed unit), its unit and
magnitude come from the column header's bracket (`绝对量 (亿元)`, `同比增长(%)`), else the row
label's, and its period is the period the column header opens with (`1-2月`, `10月新增`), else
the text's; a column or row naming a rise or fall (`同比增长`, `增速`) holds changes, of the first
column's period when its own header names none. A unit column (`单位`) after the label gives
each row's unit; a rank column (`排名`) before it is no statistic. A line that is not
assigned reliably (another number of cells) is no table line, and one-figure lines make a
table only under a header.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..numbers import NumberMention, unit_reading
from .index import LANG

_CELL = (  # `3 880 500`: thousands grouped by spaces, in a tab-separated line
    r"(?:[-+−]?\d{1,3}(?:[ \u00a0\u2009]\d{3})+(?:\.\d+)?|[-+−]?\d[\d,]*(?:\.\d+)?%?"
    r"|[—–]{1,2}|-{1,2}|…{1,2}|/)"
)
_TOKEN = re.compile(r"[^ \t\u3000|]+")  # cells are separated by `|`, tabs or spaces
_BAR_TOKEN = re.compile(r"[^\t|]+")  # …by `|` or tabs alone where a line has them
_CELLS = re.compile(_CELL)
_FIGURE = re.compile(r"[-+−]?\d[\d, \u00a0\u2009]*(?:\.\d+)?(?P<pct>%)?")
# A table's title states its unit once (`新能源汽车主要产销数据（单位：万辆）`).
# …or on a line of its own, one per kind of column (`單位：億美元；%`).
_TITLE_UNIT = re.compile(r"(?:^|[(（])\s*(?:单位|單位)[:：]\s*([^()（）\n]{1,16}?)\s*(?:[)）]|$)")
_UNIT_LIST = re.compile("[；;，,、/]")
_RATE_HEAD = re.compile("率|%")
_GROWTH_HEAD = re.compile(LANG.alt(LANG.words["table_growth"]))  # a growth rate, not an amount
_UNIT_COLUMN = ("单位", "單位")  # a column of each row's unit, between its label and figures
_RANK_COLUMN = ("排名", "名次", "排序", "位次")  # a column of ranks: no statistics
_RANK = re.compile(r"^\d{1,3}[ \t\u3000|]+")  # a label's rank, in a table ranked first
_PART_OF = re.compile(r"^其中[:：]?[ \u3000]*")  # `其中：猪肉`: a part of the row above
_LAST_WORD = re.compile(r"[ \t\u3000|]+(?=[^ \t\u3000|]+$)")  # before a label's last word
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9]{1,9}")  # PMI, GDP, CPI, M2
_COUNT_WORD = re.compile(r"(.{1,3})[数數]")  # a column of 宗數, 人數: counted in 宗, 人
_BRACKET = re.compile(r"[(（]([^()（）]{1,8})[)）]\s*$")
_CHANGE = re.compile("|".join(LANG.both(LANG.words["table_change"])))
_CHANGE_ONLY = re.compile(f"(?:{_CHANGE.pattern})+")  # a label of change words alone
_PLACE_CORNER = re.compile("|".join(LANG.both(LANG.words["table_place_corner"])))
_PERIOD_CORNER = frozenset(LANG.both(LANG.words["table_period_corner"]))
_EACH_PERIOD = re.compile("|".join(LANG.both(LANG.words["table_each_period"])))
_TABLE_NUMBER = re.compile(r"^[表图圖][ \u3000]*[\d一二三四五六七八九十]*[ \u3000：:、.．]*")
_YEAR_ONLY = re.compile(r"\d{4}[ \u3000]?年(?:度)?")


@dataclass(frozen=True)
class Cell:
    """One figure of a table, and what its row and column say of it."""

    mention: NumberMention
    metric: str
    period: str | None  # the column header, where it is a period
    region: str | None = None  # the row label, in a table whose rows are places


@dataclass(frozen=True)
class _Frame:
    """What a table says of all its cells: its column headers, the unit and period its title
    states, whether its rows are places or periods, and whether it holds only changes."""

    header: list[str]
    title_unit: str | None = None
    title_period: str | None = None
    title_metric: str | None = None  # the measure a table of periods counts (`每月…毛收入`)
    by_place: bool = False
    by_period: bool = False
    changes: bool = False


def text_lines(text: str) -> list[tuple[int, str]]:
    """Each line of `text` with the offset it starts at."""
    lines, at = [], 0
    for line in text.split("\n"):
        lines.append((at, line))
        at += len(line) + 1
    return lines


def read_tables(text: str) -> list[Cell]:
    """Every figure of every table in `text`, in text order."""
    lines = text_lines(text)
    rows = [_row(start, line) for start, line in lines]
    cells: list[Cell] = []
    k = 0
    while k < len(rows):
        run = k
        while run < len(rows) and rows[run] is not None and _width(rows[run]) == _width(rows[k]):
            run += 1
        if rows[k] is None or run - k < 2:
            k += 1
            continue
        parts = _header_parts(lines[k - 1][1] if k else "")
        header = _header(parts, _width(rows[k]))
        by_place = _places_by_row(parts, _width(rows[k]))
        if _width(rows[k]) == 1 and not header:  # `閱讀 1234`: a label and a figure, no table
            k = run
            continue
        titles = [lines[j][1] for j in range(max(0, k - 3), k)]
        over_header = titles[:-1] if header else titles
        by_period = _periods_by_row(parts, _width(rows[k]))
        frame = _Frame(
            header,
            title_unit=next((m[1] for t in titles if (m := _TITLE_UNIT.search(t))), None),
            title_period=_title_period(over_header),
            title_metric=_title_metric(over_header) if by_period else None,
            by_place=by_place,
            by_period=by_period,
            changes=_title_of_changes(over_header),
        )
        ranked = bool(parts) and parts[0] in _RANK_COLUMN  # each label opens with its rank
        above: str | None = None  # the last row naming a measure
        for row in rows[k:run]:
            label, spans = row
            row = (_RANK.sub("", label) if ranked else label), spans
            own = _BRACKET.sub("", row[0]).strip()
            if above and _CHANGE_ONLY.fullmatch(own):  # `按年變動（%）` under `住客（萬人次）`
                cells += _cells(text, row, frame, above)
                continue
            above = own or None
            cells += _cells(text, row, frame)
        k = run
    return cells


_Row = tuple[str, list[tuple[int, int]]]  # the label, the (start, end) of each cell


def table_row(line: str) -> _Row | None:
    """A line of a table: its label and the spans of the cells ending it, or None."""
    return _row(0, line)


def _row(start: int, line: str) -> _Row | None:
    """A table line: its label and the cells ending it, or None (read token by token from
    the end of the line, so a long line costs its length)."""
    tokens = [  # (start, end) of each token, without the spaces around it
        (
            t.start() + len(t.group()) - len(t.group().lstrip(" \u3000")),
            t.end() - len(t.group()) + len(t.group().rstrip(" \u3000")),
        )
        for t in (_BAR_TOKEN if "\t" in line or "|" in line else _TOKEN).finditer(line)
        if t.group().strip(" \u3000")
    ]
    separated = "\t" in line or "|" in line
    if separated and line.rstrip(" \u3000").endswith("\t"):  # an empty last cell
        tokens.append((len(line), len(line)))
    end = len(tokens)
    if separated and end > 2 and not _CELLS.fullmatch(line, *tokens[-1]):
        end -= 1  # a column of words after the figures (`主要受損作物`): a notes cell
    k = end
    while k > 0 and _CELLS.fullmatch(line, *tokens[k - 1]):
        k -= 1
    if k == end or k == 0:
        return None
    label = line[: tokens[k][0]].strip(" \t\u3000|")
    if not (LANG.han_char.search(label) or _LATIN_NAME.fullmatch(label)):
        return None  # a row is named in words (`生产`, `PMI`, `GDP`)
    return label, [(start + s, start + e) for s, e in tokens[k:]]


def _width(row: _Row | None) -> int:
    return -1 if row is None else len(row[1])


def _header(parts: list[str], width: int) -> list[str]:
    """The column headers of a table `width` cells wide, from the words of the line above
    (`_header_parts`), or none if it has no cell per column."""
    if len(parts) == width + 2 and (parts[1] in _UNIT_COLUMN or parts[0] in _RANK_COLUMN):
        return parts[2:]  # 产品名称 单位 1—2月 同比增长（%）; 排名 乡（镇） 粮食产量（万吨） …
    if len(parts) == width + 1:
        return parts[1:]
    return parts if len(parts) == width else []


def _places_by_row(parts: list[str], width: int) -> bool:
    """Whether the header's corner names places (`县（市、区）`, `地區`): each row is a place, so
    a figure counts what its column names; a rank column may come first."""
    parts = parts[1:] if parts and parts[0] in _RANK_COLUMN else parts
    return len(parts) == width + 1 and _PLACE_CORNER.match(parts[0]) is not None


def _periods_by_row(parts: list[str], width: int) -> bool:
    """Whether the header's corner names periods (`月份`, `年份`): each row is a period, so
    a figure's period joins its row's to its column's (`2023年` over `1月`)."""
    return len(parts) == width + 1 and parts[0] in _PERIOD_CORNER


def _joined(column: str | None, row: str) -> str:
    """A column's year and a row's month as one period (`2023年` + `1月` → `2023年1月`)."""
    if column and _YEAR_ONLY.fullmatch(column) and not _YEAR_ONLY.match(row):
        return column + row
    return row


def _title_metric(titles: list[str]) -> str | None:
    """The measure a table's title names once its number, unit, periods and per-period words
    (`每月`) are taken out: `表：2023年至2025年每月幸運博彩毛收入（單位：百萬澳門元）` →
    `幸運博彩毛收入`."""
    for line in reversed(titles):
        line = _BRACKET.sub("", _TITLE_UNIT.sub("", line)).strip()
        line = _without_periods(line)
        line = _EACH_PERIOD.sub("", _TABLE_NUMBER.sub("", line)).strip(" \u3000：:")
        if line and len(line) <= _TITLE_CHARS and not LANG.sentence_end.search(line):
            return line
    return None


def _changed_period(periods: list[str | None], header: list[str], k: int) -> str | None:
    """The period a change column `k` with none of its own compares, where each period column
    has its change beside it (`八月 按年變幅 一月至八月 按年變幅`): the one just before it; else
    None, and the table's first period is meant (`今年 上年 增减`)."""
    if k < 2 or not periods[k - 1]:
        return None
    interleaved = any(_CHANGE.search(header[j]) and not periods[j] for j in range(1, k - 1))
    return periods[k - 1] if interleaved else None


def _without_periods(line: str) -> str:
    """`line` with every period it words taken out."""
    kept, at = [], 0
    for m in LANG.period.finditer(line):
        if m.start("p") >= at:
            kept.append(line[at : m.start("p")])
            at = m.end("p")
    return "".join(kept) + line[at:]


def _header_parts(line: str) -> list[str]:
    """The words of a header line (a bracket belongs to the word before it: `绝对量 (亿元)`)."""
    if not LANG.han_char.search(line) or _FIGURE.fullmatch(line.strip()):
        return []
    words = [w for w in re.split(r"[ \t\u3000]*\|[ \t\u3000]*|[ \t\u3000]+", line.strip()) if w]
    parts: list[str] = []
    for word in words:
        if parts and word[0] in "(（":
            parts[-1] += word
        else:
            parts.append(word)
    return parts


def _unit(spec: str | None) -> tuple[Decimal, str, str] | None:
    """Magnitude, unit and kind a bracket gives (`亿元` → 1e8, 元, money; `%`)."""
    reading = unit_reading(spec) if spec else None
    if reading is None:
        return None
    return Decimal(str(reading.value)), reading.unit, reading.kind


def _title_unit_for(units: str | None, name: str) -> str | None:
    """Of a title's units (`億美元；%`), the percent for a rate or change column, else the
    first other one."""
    if not units:
        return None
    listed = [u.strip() for u in _UNIT_LIST.split(units) if u.strip()]
    rates = [u for u in listed if u in ("%", "％")]
    others = [u for u in listed if u not in rates]
    if _RATE_HEAD.search(name) or _GROWTH_HEAD.search(name):
        return (rates or ["%"])[0]  # `单位：万元` over `同比增长`: the growth rate in percent
    rate = bool(_CHANGE.search(name))
    return (rates if rate and rates else others or rates or [None])[0]


def _column_period(head: str) -> str | None:
    """The period a column header (or a row label) opens with (`10月`, `1—10月新增装机（万千瓦）`
    → `1—10月`), or the one its bracket holds (`主要指標（2024年）`)."""
    bracket = _BRACKET.search(head)
    name = (head[: bracket.start()] if bracket else head).strip()
    for words in (name, bracket[1] if bracket else ""):
        worded = LANG.period.match(words) if words else None
        if worded and worded.start("p") == 0:
            return worded["p"]
    return None


def _column_unit(head: str) -> tuple[Decimal, str, str] | None:
    """The unit a header's bracket gives, or the one it counts in (`宗數` → 宗)."""
    bracket = _BRACKET.search(head)
    if bracket:
        return _unit(bracket[1])
    if head.rstrip().endswith(("%", "％")):  # `增长%`, `占比%`: a percent column
        return _unit("%")
    counted = _COUNT_WORD.fullmatch(head.strip())
    return _unit(counted[1]) if counted else None


def _title_period(titles: list[str]) -> str | None:
    """The period a table's title states (`表　2025年一季度深圳市主要经济指标`): the period of
    cells whose column names none."""
    for line in reversed(titles):
        if worded := LANG.period.search(line):
            return worded["p"]
    return None


_TITLE_CHARS = 40  # a table's title: a short line with no sentence end
_JOINED = re.compile("[及和与與]")  # `产量及增速`: levels and changes side by side
_JOINED_CHARS = 3  # how far before the change word such a joining word stands (`及其`)


def _title_of_changes(titles: list[str]) -> bool:
    """Whether a table's title ends naming only changes (`…分门类增速`), so every cell is one;
    not `主要产品产量及增速`, levels beside their changes."""
    for line in reversed(titles):
        line = _BRACKET.sub("", _TITLE_UNIT.sub("", line)).strip()  # not `单位：%`
        if line and len(line) <= _TITLE_CHARS and not LANG.sentence_end.search(line):
            last = _CHANGE.search(line[-4:])
            if last is None or not line.endswith(last[0]):
                return False
            return not _JOINED.search(line, max(0, len(line) - len(last[0]) - _JOINED_CHARS))
    return False


def _cells(text: str, row: _Row, frame: _Frame, change_of: str | None = None) -> list[Cell]:
    """The cells of one row; a row naming only a change (`按年變動`) is `change_of` the row
    above's measure; in a table of changes every cell is one."""
    header, title_unit, by_place = frame.header, frame.title_unit, frame.by_place
    label, spans = row
    row_period = _column_period(label) if frame.by_period else None  # 1月, 1月至10月累計
    bracket = _BRACKET.search(label)
    metric = label[: bracket.start()].strip() if bracket else label
    named, unit_cell = (_LAST_WORD.split(metric, maxsplit=1) + [""])[:2]  # `火电 亿千瓦时`
    row_unit = _unit(unit_cell) if named.strip() and unit_cell else None  # a unit column
    metric = _PART_OF.sub("", named.strip() if row_unit else metric) or metric
    periods = [_column_period(head) for head in header]
    current = next((p for p in periods if p), None)  # what a change column compares
    out = []
    for k, (s, e) in enumerate(spans):
        raw = text[s:e]
        figure = _FIGURE.fullmatch(raw)
        if not figure:
            continue  # — or …: no figure
        head = header[k] if header else ""
        if head in _RANK_COLUMN:
            continue
        spec = (
            _unit("%")
            if figure["pct"]
            else _column_unit(head)
            or row_unit
            or _unit(bracket[1] if bracket else None)
            or _unit(_title_unit_for(title_unit, head or metric))
        )
        magnitude, unit, kind = spec or (Decimal(1), "", "count")
        try:
            digits = re.sub("[, \u00a0\u2009]", "", raw.rstrip("%")).replace("−", "-")
            value = Decimal(digits) * magnitude
        except InvalidOperation:
            continue
        period = periods[k] if header else None
        if frame.changes or _CHANGE.search(head) or _CHANGE.search(metric):
            kind = "change"
            period = period or _changed_period(periods, header, k) or current
        period = period or (None if current else frame.title_period)
        if row_period:  # a table of periods: 2023年 over 1月, the title's measure
            period = _joined(period, row_period)
        number = int(value) if value == value.to_integral_value() else float(value)
        mention = NumberMention(raw, s, e, number, None, unit, kind, False)
        column = periods[k] if header else None
        named = _BRACKET.sub("", head).strip() if by_place and head and not column else ""
        if named and _CHANGE.search(head):  # 同比变化（%） beside PM2.5浓度: the change of it
            named = next(  # the nearest measure before it
                (_BRACKET.sub("", h).strip() for h in header[k::-1] if not _CHANGE.search(h)),
                named,
            )
        region = metric if by_place else None
        measure = (frame.title_metric if row_period else None) or metric
        out.append(Cell(mention, named or change_of or measure, period, region))
    return out


def with_cells(mentions: list[NumberMention], cells: Iterable[Cell]) -> list[NumberMention]:
    """The numbers found, with the figures of tables in place of any read across them."""
    figures = sorted((c.mention for c in cells), key=lambda m: m.start)
    if not figures:
        return mentions
    starts = [m.start for m in figures]

    def overlaps(m: NumberMention) -> bool:
        k = bisect_right(starts, m.end - 1) - 1  # the last figure starting before m ends
        return k >= 0 and figures[k].end > m.start

    kept = [m for m in mentions if not overlaps(m)]
    return sorted(kept + figures, key=lambda m: m.start)
