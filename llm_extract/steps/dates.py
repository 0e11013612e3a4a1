"""Dates: the day an article was published, and each statistic's period as ISO dates.

The reference day is the JSONL line's `published`, else the run's `--published`, else the date
the language pack finds in the text (a ` date YYYY-MM-DD ` prefix, front matter, a page header,
a dateline such as `10月21日电`). Figures are resolved against the day they were stated (`记者
19日从…获悉`), which is that day or shortly before. Periods are resolved in text order, so a
pointing word (`同月`, `去年同期`) takes the period stated before it; a change's `compared_*`
span follows from its wording (`同比`: a year earlier; `环比`: the span before).
"""

from __future__ import annotations

import re
from datetime import date

from ..lang import Language
from ..records import Kind, Statistic

_BRACKET = re.compile(r"\s*[（(]")  # 汛期（4月至9月）: a wording that gives its days


def reference_day(
    lang: Language, text: str, given: str | None, fallback: date | None
) -> date | None:
    """The publication date: the document's own, else the run's, else found in the text."""
    if given:
        return date.fromisoformat(given)
    return fallback or lang.find_published(text)


def _wording(stat: Statistic) -> str:
    """The evidence up to the number: what a change's basis word (同比, 环比) is read from."""
    at = stat.evidence.find(stat.surface)
    return stat.evidence[:at] if at >= 0 else stat.evidence


def resolve_dates(
    lang: Language, stats: list[Statistic], text: str, published: date | None
) -> None:
    """Fill `period_start`/`period_end` (and `compared_*` for changes) of `stats`, in place."""
    first = lang.find_stated(text, published)
    items = lang.find_datelines(text, published)  # a file of wire items: each its own day
    anchor: tuple[str | None, str | None] | None = None
    quarter = anchor  # the last quarter stated (`本季` after other spans)
    defined: dict[str, tuple[str | None, str | None]] = {}  # 汛期 -> the days stated with it
    for stat in sorted(stats, key=lambda s: s.start):
        if stat.period is None:
            continue
        stated = next((day for at, day in reversed(items) if at < stat.start), first)
        base = _year_of_sentence(lang, stat, stated) or anchor
        if base is None and lang.pointing_kind(stat.period) == "same":
            base = _named_before(lang, text, stat.start, stated)
        start, end = lang.resolve_period(stat.period, stated, base, quarter)
        if end is None and stat.period in defined:  # `汛期` after `汛期（4月至9月）`
            start, end = defined[stat.period]
        head = _BRACKET.split(stat.period, maxsplit=1)[0]
        if head and head != stat.period and end is not None:
            defined.setdefault(head, (start, end))
        stat.period_start, stat.period_end = start, end
        if stat.kind == Kind.change:
            stat.compared_start, stat.compared_end = lang.compared_with(start, end, _wording(stat))
        if (
            end is not None
            and not lang.steps_back(stat.period)
            and not lang.revises(_wording(stat))
            and not _day_within(start, end, anchor)
        ):
            anchor = (start, end)
            quarter = anchor if lang.is_quarter(start, end) else quarter


def _year_of_sentence(lang: Language, stat: Statistic, stated: date | None) -> tuple | None:
    """`回顧2024年，機場全年客運量…`: the year its sentence states before a `全年`, the year that
    `全年` means (the wording stays the clause's own)."""
    whole = lang.both(lang.whole_year)
    if stat.period not in whole:
        return None
    years = [m["p"] for m in lang.period.finditer(_wording(stat)) if m["p"] not in whole]
    if not years or not lang.year_alone.fullmatch(years[-1]):
        return None
    return lang.resolve_period(years[-1], stated)


def _named_before(lang: Language, text: str, end: int, stated: date | None) -> tuple | None:
    """`通报了国庆假日旅游数据。假日期间，…`: where no figure before has set a period, the last
    period the text names before `end` is the one a pointing word (`假日期间`, `同期`) means."""
    named = [m["p"] for m in lang.period.finditer(text, 0, end)]
    spans = (lang.resolve_period(p, stated) for p in reversed(named) if not lang.steps_back(p))
    return next((span for span in spans if span[1] is not None), None)


def _day_within(start: str | None, end: str | None, anchor: tuple | None) -> bool:
    """One day inside the anchor's span (`9月15日` of a holiday): a breakdown, which leaves the
    anchor to the span (`假期期间` after it is still the holiday)."""
    if start is None or start != end or anchor is None or None in anchor:
        return False
    return anchor[0] <= start <= anchor[1] and anchor[0] != anchor[1]
