"""Merge: one statistic per span, and one per fact when an article restates it."""

from __future__ import annotations

import re

from ..lang import load_language
from ..lang.textnorm import resolution, similar_phrase
from ..records import Statistic
from .context.table import table_row

_LANG = load_language("zh")
_PERIOD_KEY = _LANG.period_key
_FLOOR = tuple(_LANG.units["approx"]["floor"])  # 逾7000亿元: the figure is more
_CEILING = tuple(_LANG.units["approx"]["ceiling"])  # 近3万: the figure is less
_MARKER_CHARS = 3  # how far before a figure its approximation word may start
_NEARER = 2  # of two body figures a headline may round, one this many times nearer is it


def _filled(stat: Statistic) -> int:
    return sum(bool(v) for v in (stat.metric, stat.period, stat.region, stat.agency))


def _same_span(a: Statistic, b: Statistic) -> bool:
    """Both periods resolved, to the same dates (`去年1月至今年5月` = `2023年1月至今年5月`)."""
    same = a.period_start == b.period_start and a.period_end == b.period_end
    return same and a.period_end is not None


def _same_end(a: Statistic, b: Statistic) -> bool:
    """The same span, or a point at its end (`截至去年底` and a column `2024年`)."""
    point = a.period_start is None or b.period_start is None
    return _same_span(a, b) or (point and a.period_end == b.period_end)


def _same_fact(a: Statistic, b: Statistic) -> bool:
    return (
        a.value == b.value
        and a.value_max == b.value_max
        and a.unit == b.unit
        and a.kind == b.kind
        and similar_phrase(a.metric, b.metric)
        and (
            not a.period
            or not b.period
            or _PERIOD_KEY(a.period) == _PERIOD_KEY(b.period)
            or _same_span(a, b)
        )
    )


_BRACKET_OPEN = re.compile(r"\s*[（(]\s*(?:约|約|即|合)?\s*")
_RESTATED_WITHIN = 0.05  # a bracketed figure this close to the one before restates it


def _bracketed_restatement(stat: Statistic, before: Statistic, text: str) -> bool:
    """`近11亿人（10.9967亿人）`: a figure opening a bracket right after one of the same unit
    and kind, and within 5 % of it, is that figure more precisely (a conversion into another
    unit, `5720公斤/公顷(381公斤/亩)`, is a statistic of its own)."""
    same_kind = stat.unit == before.unit and stat.kind == before.kind
    ranges = stat.value_max is not None or before.value_max is not None
    if not same_kind or ranges or not _BRACKET_OPEN.fullmatch(text, before.end, stat.start):
        return False
    return _within(stat.value, before.value, _RESTATED_WITHIN)


def _within(value: float, other: float, share: float) -> bool:
    """Whether two values differ by at most `share` of the larger one."""
    return abs(value - other) <= share * max(abs(value), abs(other))


def _only_body_statement(bucket: list[Statistic], headline_end: int) -> Statistic | None:
    """The one body statistic with a headline figure's value and unit, if there is just one:
    a headline restates a body figure in fewer words (`電詐` for `電信網絡詐騙`, `5年来` for
    `2021年至2025年`), so its metric and period need not agree."""
    body = [other for other in bucket if other.start >= headline_end]
    return body[0] if len(body) == 1 else None


_ROUNDED_WITHIN = 0.1  # a headline's `超7000亿元` rounds a body figure this close
_TENTHS = "成"  # `增一成` for `10.2%`, `八成七` for `86.6%`: a share in tenths is rounded


def _rounds(stat: Statistic, other: Statistic) -> bool:
    """Whether `other` rounds to `stat`: to its tenths (`八成七` 86.6, `一成` 10.2), else within
    10 % (`超7000亿元` 7008.2亿元) where `stat` is approximate, else to its written step, cut or
    rounded (`785萬人次` for `785萬7,000人次`, `26%` for `26.3%`)."""
    if _TENTHS in stat.surface:
        step = 10 if stat.surface.endswith(_TENTHS) else 1
        return abs(other.value - stat.value) <= step / 2
    if stat.approx:
        return _within(other.value, stat.value, _ROUNDED_WITHIN)
    step = resolution(stat.surface) or 0
    return step >= 1 and -step / 2 <= other.value - stat.value < step


def _side(stat: Statistic, text: str) -> int:
    """+1 where an approximate figure is a floor of the true one (`逾`, `超`, `5200余`, `以上`),
    -1 a ceiling (`近`, `不到`), 0 where the text does not say."""
    before = text[max(0, stat.start - _MARKER_CHARS) : stat.start]
    after = text[stat.end : stat.end + _MARKER_CHARS]
    words = (before.endswith(w) or after.startswith(w) or w in stat.surface for w in _FLOOR)
    if any(words):
        return 1
    return -1 if any(before.endswith(w) for w in _CEILING) else 0


def _rounded_in_body(
    stat: Statistic, kept: list[Statistic], headline_end: int, text: str
) -> Statistic | None:
    """The one body statistic a headline figure rounds (`超7000亿元` for `7008.2亿元`, `逾四成`
    for `約44%`, `785萬` for `785萬7,000`; see `_rounds`): same unit and kind; of several,
    the one of the headline's period (`三月旅客按年增一成`: 3月's 10.2%, not 首季's 9.6%), then
    of its metric (`訪港旅客逾四百六十萬人次`: 訪港旅客's 461萬, not 客運量's 475萬), then on
    the side its approximation word gives (`超7000亿元`: 7008.2, not 6543.6), then one clearly
    nearest."""
    close = [
        other
        for other in kept
        if other.start >= headline_end
        and (other.unit, other.kind) == (stat.unit, stat.kind)
        and _rounds(stat, other)
    ]
    side = _side(stat, text) if stat.approx and text else 0
    for keep in (
        lambda other: _same_span(stat, other),
        lambda other: similar_phrase(stat.metric, other.metric),
        lambda other: (other.value - stat.value) * side >= 0,
    ):
        if len(close) > 1:
            close = [other for other in close if keep(other)] or close
    if len(close) > 1:  # the nearest, where one is clearly nearer
        gaps = sorted((abs(other.value - stat.value), k) for k, other in enumerate(close))
        close = [close[gaps[0][1]]] if gaps[0][0] * _NEARER < gaps[1][0] else close
    return close[0] if len(close) == 1 else None


def _on_table_row(text: str, stat: Statistic) -> bool:
    """Whether `stat` is a cell of a table row (`美國\t184.6\t24.3`)."""
    return table_row(_line_of(text, stat)) is not None


_DISPLAY_CHARS = 40  # a key figure shown on a line of its own is short


def _line_of(text: str, stat: Statistic) -> str:
    start = text.rfind("\n", 0, stat.start) + 1
    end = text.find("\n", stat.end)
    return text[start : end if end >= 0 else len(text)]


def _on_display_line(text: str, stat: Statistic) -> bool:
    """Whether `stat` stands on a short line of its own with no sentence end: a key figure
    shown apart (`增长5.8%`, `▲國內旅遊總旅次：1億7,863萬旅次（年增3.6%）`), which the prose
    states again."""
    line = _line_of(text, stat)
    short = len(line) <= _DISPLAY_CHARS
    return short and not _LANG.sentence_end.search(line) and not table_row(line)


def _stated_in_prose(cell: Statistic, same_value: list[Statistic], text: str) -> Statistic | None:
    """The prose statistic a table cell or a key figure shown apart repeats: same value, unit,
    kind and span: a table under an article restates its figures, and only its new cells count
    (`上月 48.0` beside a prose `48.0%` of this month is new)."""
    return next(
        (
            other
            for other in same_value
            if other is not cell
            and (other.unit, other.kind) == (cell.unit, cell.kind)
            and (not other.period_end or not cell.period_end or _same_end(other, cell))
            and not _on_table_row(text, other)
            and not _on_display_line(text, other)
        ),
        None,
    )


_LATIN = re.compile("[A-Za-z]")
_HAN = re.compile(f"[{_LANG.han}]")


def _in_other_language(stat: Statistic) -> bool:
    """Whether `stat` is stated in a sentence of Latin script (`the rate stood at 3.36%`): in a
    Chinese article, a summary whose figures restate the Chinese ones (evals/GUIDE.md)."""
    evidence = stat.evidence
    return len(_LATIN.findall(evidence)) > 2 * len(_HAN.findall(evidence)) + 10


def merge_statistics(
    stats: list[Statistic], headline_end: int = 0, text: str = ""
) -> tuple[list[Statistic], int]:
    """Deduplicate by span (overlapping chunks) and restated facts; keep the body statement.

    Returns the kept statistics in order of `start` and how many were merged away; a kept
    statistic lists the spans of the restatements merged into it in `restated`.
    `headline_end` is the original offset where the headline ends: a fact stated in both
    headline and body is kept at its body statement. With the document's `text`, a figure
    restated in brackets right after it is merged into it.
    """
    by_span: dict[tuple[int, int], Statistic] = {}
    for stat in stats:
        key = (stat.start, stat.end)
        if key not in by_span or _filled(stat) > _filled(by_span[key]):
            by_span[key] = stat
    restated: dict[int, list[tuple[int, int]]] = {}  # id of a kept statistic -> spans
    in_text: list[Statistic] = []
    for stat in sorted(by_span.values(), key=lambda s: s.start):
        if text and in_text and _bracketed_restatement(stat, in_text[-1], text):
            restated.setdefault(id(in_text[-1]), []).append((stat.start, stat.end))
        else:
            in_text.append(stat)
    ordered = sorted(in_text, key=lambda s: (s.start < headline_end, s.start))
    all_values: dict[tuple, list[Statistic]] = {}  # a key figure's prose statement may follow it
    for stat in ordered:
        all_values.setdefault((stat.value, stat.value_max), []).append(stat)
    kept: list[Statistic] = []
    buckets: dict[tuple, list[Statistic]] = {}  # only equal values can be the same fact
    by_value: dict[tuple, list[Statistic]] = {}  # the same, whatever the unit
    for stat in ordered:
        bucket = buckets.setdefault((stat.value, stat.value_max, stat.unit, stat.kind), [])
        same = next((other for other in bucket if _same_fact(stat, other)), None)
        if same is None and stat.start < headline_end:
            same = _only_body_statement(bucket, headline_end) or _rounded_in_body(
                stat, kept, headline_end, text
            )
            if same is None:  # `云南收入72.86亿` for `72.86亿元`: any unit; `成長4.17%` for
                same = _only_body_statement(  # `成長率為4.17%`: any kind
                    [
                        other
                        for other in by_value.get((stat.value, stat.value_max), [])
                        if not stat.unit or other.unit == stat.unit
                    ],
                    headline_end,
                )
        if same is None and (  # a table cell, a figure of an English summary
            (text and _on_table_row(text, stat)) or _in_other_language(stat)
        ):
            same = _stated_in_prose(stat, by_value.get((stat.value, stat.value_max), []), text)
        if same is None and text and stat.start >= headline_end and _on_display_line(text, stat):
            same = _stated_in_prose(stat, all_values.get((stat.value, stat.value_max), []), text)
        if same is None:
            bucket.append(stat)
            by_value.setdefault((stat.value, stat.value_max), []).append(stat)
            kept.append(stat)
        else:  # a restatement: kept once, with every span listed
            restated.setdefault(id(same), []).extend(
                [(stat.start, stat.end), *restated.pop(id(stat), [])]
            )
    for stat in kept:
        if id(stat) in restated:
            stat.restated = sorted([*stat.restated, *restated[id(stat)]])
    kept.sort(key=lambda s: s.start)
    return kept, len(stats) - len(kept)
