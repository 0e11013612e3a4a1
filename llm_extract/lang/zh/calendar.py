"""Period wording of Chinese statistics (`今年1月至8月`, `前5個月`, `截至11月底`) as ISO dates:
`resolve_period` counts from a reference day (publication, or the day figures were stated) and,
for pointing words (`同月`, `季内`, `上一季`), from the period stated before (`anchor`);
`compared_with` gives the base span of a change (同比: a year back; 環比: the span before).
The grammar words, both scripts, are data in calendar.toml.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from dateutil.easter import easter

from .. import trie
from .chars import FULLWIDTH
from .numerals import DIGITS, arabic
from .script import to_simplified

__all__ = ["compared_with", "resolve_period", "revises", "steps_back"]

Span = tuple[date | None, date | None]
ISO = tuple[str | None, str | None]
Shape = tuple[str, int, int]  # kind (year quarter month day), first and last month / month, day
_NONE: Span = (None, None)
_QUOTES = "“”\"「」『』‘’'《》〈〉"
_DASHES = str.maketrans(dict.fromkeys("—–―~〜-", "至"))
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
# Five-year plans, from the third (三五, 1966-1970): 八五 = 1991-1995, 十五 = 2001-2005,
# 十三五 = 2016-2020; 十四五以来 runs to the reference day
_PLAN = re.compile(
    r"(?:(十)([一二三四五六七八九])?|([三四五六七八九]))五(?:规划|计划)?(?:时期|期间)?(以来)?"
)
_LAST_YEARS_PART = re.compile(r"(?:上年|去年|上年度)(?:\d{1,2}月份?|第?[一二三四1-4]季度?)")
# `刚刚过去的一年里`: the last year, as `过去一年` is
_LAST_SPAN = re.compile(r"^(?:刚刚|刚)?(过去|最近)的|(?<=[年月天日])(?:里|内)$")
_FIRST_WEEKS = re.compile(r"(.+月)[首头前](\d{1,2})(?:周|个星期)")
_ONE_YEAR = re.compile("年一年$")
_AVERAGE = re.compile("(?<=[年月季])平均$")  # 1—8月平均: the span averaged over
_WEEKDAY_NOTE = re.compile(r"(?<=[日号])\((?:星期|周)[一二三四五六日天]\)$")
_DATES_BRACKET = re.compile(r"[（(](?:即为|即)?([^（）()]*\d[^（）()]*[日月])[)）]$")
_FISCAL = re.compile(r"(\d{4})[/／-](\d{2})(?:财政)?年度")
_FIRST_DAYS = re.compile(r"(.+[年月])[前首头](\d{1,3})[日天]")
_SPAN_BEFORE = {"previous_month": 1, "previous_quarter": 3}  # the anchor they count back from
_BACK = ("previous_month", "previous_quarter", "previous_year", "same_span_last_year")


def _alt(words: Any) -> str:
    """A regex of any of `words` (literal), longest first: the pack's `trie`."""
    return trie(words)


@cache
def _grammar() -> dict[str, Any]:
    """calendar.toml, with the maps and regexes built from it."""
    g = tomllib.loads(resources.files(__package__).joinpath("calendar.toml").read_text("utf-8"))
    years, w, h = _alt(g["years"]), g["words"], g["holidays"]
    g["wide"] = str.maketrans(FULLWIDTH)
    g["kind"] = {word: kind for kind, words in g["pointing"].items() for word in words}
    g["year_re"] = re.compile(rf"(?:(\d{{4}})年|(?:民国(\d{{1,3}})|(1\d\d))年|({years}))")
    names, suffixes = _alt(h["names"]), _alt(h["suffixes"])
    joined = _alt(h["joined"])  # 中秋国庆假期, 国庆、中秋假期: one holiday run
    g["holiday_re"] = re.compile(
        rf"(?:(\d{{4}})年|({years}))?(?:(?:{joined})[、和及]?)?(?:{names})"
        rf"(?:[、和及]?(?:{joined}))?(?:{suffixes})?(?:期间)?(?:(\d{{1,2}})天)?"  # 假期8天
    )
    easter = _alt(h["easter"]["names"])
    g["easter_re"] = re.compile(rf"(?:(\d{{4}})年|({years}))?(?:{easter})(?:{suffixes})?(?:期间)?")
    g["weekday_re"] = re.compile(rf"(?:{_alt(w['weekday_lead'])})([{''.join(w['weekdays'])}])")
    lead = _alt(w["duration_lead"])
    g["duration_re"] = re.compile(rf"({lead})?(\d{{1,2}})多?(个月|年|天|日)(以来|来)?")
    g["since_re"] = re.compile(rf"(?:{_alt(w['open_lead'])})(.+?)(?:{_alt(w['open_trail'])})")
    return g


@lru_cache(maxsize=16384)
def _normalise(text: str) -> str:
    """Simplified script, ASCII digits and brackets, no quotes or spaces."""
    text = to_simplified(text.translate(_grammar()["wide"]))
    text = _WEEKDAY_NOTE.sub("", text)  # 2月15日(星期六): the day
    text = _ONE_YEAR.sub("年", text)  # 去年一年: the year
    text = _AVERAGE.sub("", text)
    return "".join(c for c in text if c not in _QUOTES and not c.isspace())


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, n: int) -> date:
    """`day` moved by `n` months; a month end stays a month end (29 Feb -> 28 Feb)."""
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    last = calendar.monthrange(y, m + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(y, m + 1, last if at_end else min(day.day, last))


def _shifted(span: Span, months: int) -> Span:
    return (span[0] and _shift_months(span[0], months), span[1] and _shift_months(span[1], months))


def _whole_months(span: Span) -> int:
    """How many whole calendar months `span` covers, 0 if it is not whole months."""
    start, end = span
    if not (start and end) or start.day != 1 or end != _month_end(end.year, end.month):
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _shape(body: str) -> Shape | None:
    """The span a year-less wording covers in any year (`1月`, `第3季`, `前5个月`), or None."""
    w, first = _grammar()["words"], _alt(_grammar()["words"]["first"])
    if body in ("", *w["whole"]):
        return ("year", 1, 12)
    if body in w["halves"]:
        return ("quarter", *w["halves"][body])
    if m := re.fullmatch(r"第?([1-4])季度?|[Qq]([1-4])|([1-4])[Qq]", body):
        q = int(next(g for g in m.groups() if g))
        return ("quarter", 3 * q - 2, 3 * q)
    if m := re.fullmatch(rf"(?:{first})([1-4])?个?季度?", body):
        return ("quarter", 1, 3 * int(m.group(1) or 1))
    if (m := re.fullmatch(rf"(?:{first})(\d{{1,2}})个?月份?", body)) and int(m.group(1)) <= 12:
        return ("month", 1, int(m.group(1)))
    m = re.fullmatch(r"(\d{1,2})月(?:份|单月|当月)?(?:(\d{1,2})[日号])?", body)  # 9月单月, 6月当月
    if m and 0 < int(m[1]) <= 12:
        return ("day", int(m[1]), int(m[2])) if m[2] else ("month", int(m[1]), int(m[1]))
    return None


def _dates(shape: Shape, year: int) -> tuple[date, date]:
    kind, a, b = shape
    if kind == "day":
        return date(year, a, b), date(year, a, b)
    return date(year, a, 1), _month_end(year, b)


def _split_year(s: str, ref: date | None) -> tuple[int | None, str, bool]:
    """(the year a wording opens with or None, the rest, whether that year could be fixed)."""
    m = _grammar()["year_re"].match(s)
    if not m:
        return None, s, True
    full, roc, roc3, relative = m.groups()
    year = int(full) if full else 1911 + int(roc or roc3) if not relative else None
    if relative and ref:
        year = ref.year + _grammar()["years"][relative]
    return year, s[m.end() :], ref is not None or not relative


def _infer_year(shape: Shape, ref: date | None, anchor: Span | None) -> int | None:
    """The anchor's year, else the reference year unless the span is still to come (`11月`
    on 10 January) or not over and not running (`一季度` on 9 February). An anchor still to
    come (`明年一月`, a plan) gives no year to the spans after it."""
    if anchor and anchor[1] and (ref is None or anchor[0] is None or anchor[0] <= ref):
        return anchor[1].year
    if ref is None:
        return None
    start, end = _dates(shape, ref.year)
    late = start > ref or (end > ref and (end.year, end.month) != (ref.year, ref.month))
    return ref.year - late


def _span(s: str, ref: date | None, anchor: Span | None) -> tuple[Span, bool]:
    """A single span or a range (`1至8月`, `去年6月至今年3月`), and whether it counts months."""
    left, sep, right = re.split(r"(至|到)", s, maxsplit=1) if re.search("至|到", s) else (s, "", "")
    ly, lbody, lok = _split_year(left, ref)
    ry, rbody, rok = _split_year(right, ref) if sep else (None, "", True)
    if sep and len(lbody) == 4 and lbody.isdigit() and not rbody:  # `2017至2021年`
        ly, lbody = int(lbody), ""
    if sep and lbody.isdigit() and (unit := re.search(r"月|季", rbody)):  # `1至8月`
        lbody += unit.group()
    if sep and re.fullmatch(r"第[1-4]", lbody) and "季" in rbody:  # `第一至第三季`
        lbody += "季"
    if sep and re.fullmatch(r"\d{1,2}[日号]", rbody) and (m := re.match(r"\d{1,2}月", lbody)):
        rbody = m.group() + rbody  # `11月1日至15日`
    lshape = _shape(lbody)
    rshape = _shape(rbody) if sep else lshape
    if not (lok and rok and lshape and rshape) or (sep and not right):
        return _NONE, False
    if ry is None:
        ry = _infer_year(rshape, ref, anchor) if ly is None else ly
        if ly is not None and ry is not None and _dates(rshape, ry)[1] < _dates(lshape, ly)[0]:
            ry += 1  # `12月至2月` read forwards
    if ly is None and ry is not None:
        ly = ry - (_dates(lshape, ry)[0] > _dates(rshape, ry)[1])
    if ly is None or ry is None:
        return _NONE, False
    return (_dates(lshape, ly)[0], _dates(rshape, ry)[1]), rshape[0] in ("month", "day")


def _is_quarter(span: Span | None) -> bool:
    return span is not None and _whole_months(span) == 3 and span[0].month % 3 == 1


def is_quarter(start: str | None, end: str | None) -> bool:
    """Whether ISO dates `start`..`end` are one calendar quarter (`本季` may point to it)."""
    return _is_quarter(_parse((start, end)))


def _pointing(kind: str, ref: date | None, anchor: Span | None, quarter: Span | None) -> Span:
    """A pointing word's span: from the anchor, or from the reference day (see calendar.toml);
    `本季` is the last quarter stated (`quarter`) when the anchor is none."""
    if kind == "recent":
        return _NONE
    if kind == "this_quarter" and not _is_quarter(anchor) and quarter is not None:
        anchor = quarter  # 本季 in a table after 首三季 and a revised 第二季: the release's
    a_start, a_end = anchor or _NONE
    if kind == "same_quarter" and _is_quarter(anchor):
        return anchor  # type: ignore[return-value]
    if kind == "same_quarter":  # no quarter stated: the last quarter ended by the reference day
        kind, a_end = "previous_quarter", None
    if kind == "this_quarter" and _is_quarter(anchor):
        return anchor  # type: ignore[return-value]  # 本季 in a release on the third quarter
    base = ref if kind.startswith("this") else a_end
    if kind in _SPAN_BEFORE and _whole_months(anchor or _NONE) != _SPAN_BEFORE[kind]:
        base = ref  # 上月 after `今年首3季`: the month before publication, not before September
    if base is None and kind.startswith(("previous", "same_year", "year_end")):
        base = ref
        if kind == "same_year" and ref and ref.month <= _grammar()["words"]["year_closing"]:
            base = date(ref.year - 1, 12, 31)  # 全年 told in January: the year just ended
    if base is None:
        return _NONE
    if kind in ("same", "period_end"):
        return (a_start if kind == "same" else None, a_end)
    if kind in ("previous_year", "same_span_last_year"):
        return _shifted((a_start, a_end), -12)
    if kind in ("same_month", "this_month", "month_end", "previous_month"):
        first = _shift_months(base.replace(day=1), -(kind == "previous_month"))
        return (None if kind == "month_end" else first, _month_end(first.year, first.month))
    if kind in ("this_quarter", "previous_quarter"):
        y, q = divmod(base.year * 4 + (base.month - 1) // 3 - (kind == "previous_quarter"), 4)
        return date(y, 3 * q + 1, 1), _month_end(y, 3 * q + 3)
    return (None if kind == "year_end" else date(base.year, 1, 1), date(base.year, 12, 31))


def _point(rest: str, ref: date | None, anchor: Span | None) -> Span:
    """`截至11月底`, `2月末`: start None, end the day pointed at; None on a vague day."""
    w = _grammar()["words"]
    rest = re.sub(rf"(?:{_alt(w['point_trail'])})$", "", rest)
    hour = rf"\d{{1,2}}(?:{_alt(w['hour_marks'])})(?:\d{{1,2}}分)?"
    rest = re.sub(rf"(?<=.)(?:{_alt(w['dayparts'])})?(?:{hour})?$", "", rest)  # 今日上午10时
    if rest in w["now"] or rest in w["today"] or not rest:
        return (None, ref if rest else None)
    if rest in w["yesterday"]:
        return (None, ref and ref - timedelta(1))
    if any(rest.endswith(v) for v in w["vague"]):
        return _NONE
    body = rest[:-1] if rest[-1] in w["point_end"] else rest
    if body in _grammar()["kind"]:  # 上月末, 上季末: the end of the span pointed at
        return (None, _resolve(body, ref, anchor)[1])
    return (None, _span(body, ref, anchor)[0][1])


def _resolve(s: str, ref: date | None, anchor: Span | None, quarter: Span | None = None) -> Span:
    g, w = _grammar(), _grammar()["words"]
    numeric = arabic(s.translate(_DASHES))  # read once; the checks below want the wording as is
    if (dates := _DATES_BRACKET.search(numeric)) and dates.start() > 0:  # 汛期（4月至9月）
        span = _resolve(dates[1], ref, anchor)
        if span[0] and span[1]:
            return span
    if (m := _FISCAL.match(s)) and int(m[2]) == (int(m[1]) + 1) % 100:  # 2024/25财政年度上半年
        months = w["fiscal_year_start"] - 1  # its halves and quarters count from that month
        return _shifted(_resolve(f"{m[1]}年{s[m.end() :]}", ref, anchor), months)
    day = re.sub(rf"(?<=.)(?:{_alt(w['dayparts'])})$", "", s)  # 今天上午: the day
    if day in w["yesterday"]:
        return (ref and ref - timedelta(1),) * 2
    if s in w["now"] or day in w["today"]:
        return (ref if day in w["today"] else None, ref)
    if s in g["kind"]:
        return _pointing(g["kind"][s], ref, anchor, quarter)
    if m := _ISO.fullmatch(s):  # `2024-02`, `2024-02-29`
        return _span(f"{m[1]}年{m[2]}月" + (f"{m[3]}日" if m[3] else ""), ref, anchor)[0]
    if m := _PLAN.fullmatch(s):
        number = 10 + DIGITS[m[2]] if m[2] else 10 if m[1] else DIGITS[m[3]]
        first = 1966 + 5 * (number - 3)
        return date(first, 1, 1), ref if m[4] else date(first + 4, 12, 31)
    if m := g["holiday_re"].fullmatch(s):
        a, b = (tuple(int(x) for x in d.split("-")) for d in g["holidays"]["dates"])
        offset = ref and g["years"].get(m[2], -(date(ref.year, *a) > ref))  # not yet: last year
        year = int(m[1]) if m[1] else ref and ref.year + offset
        if not year:
            return _NONE
        first = date(year, *a)
        return first, first + timedelta(int(m[3]) - 1) if m[3] else date(year, *b)
    if m := g["easter_re"].fullmatch(s):  # 復活節假期: the year stated, else the reference's
        year = int(m[1]) if m[1] else ref and ref.year + g["years"].get(m[2], 0)
        if not year:
            return _NONE
        sunday, (first, last) = easter(year), g["holidays"]["easter"]["days"]
        return sunday + timedelta(first), sunday + timedelta(last)
    if (m := g["weekday_re"].fullmatch(s)) and ref:  # the day of the reference day's week
        return (ref + timedelta(w["weekdays"][m.group(1)] - ref.weekday()),) * 2
    s = numeric
    s = re.sub(r"[今本去上前明]年?\((\d{2,4})年?\)年?", lambda m: f"{m.group(1)}年", s)
    s = re.sub(rf"^(?:{_alt(w['lead'])})|(?<=.)(?:{_alt(w['trail'])})$", "", s)
    if not s:
        return _NONE
    if m := re.fullmatch(r"(.+)的(?:过去|最近|近)?(\d{1,3})(个月|天|日)", s):  # 截至8月底的3个月
        end, n = _resolve(m.group(1), ref, anchor)[1], int(m.group(2))
        if m.group(3) != "个月":  # 截至11月18日的过去7天
            return (end and end - timedelta(n - 1), end)
        return (end and _shift_months(end, 1 - n).replace(day=1), end)
    if m := _FIRST_WEEKS.fullmatch(s):  # 3月首2周: the month's first weeks
        first = _span(m[1], ref, anchor)[0][0]
        return (first, first and first + timedelta(7 * int(m[2]) - 1))
    if lead := next((p for p in w["point_lead"] if s.startswith(p)), None):
        return _point(s[len(lead) :], ref, anchor)
    if s[0] in "至到" and s[1:3] in w["today"] + w["yesterday"]:  # 至今日上午, 至昨晚
        return _point(s[1:], ref, anchor)
    if s[-1] in w["point_end"] and len(s) > 1:
        return _point(s, ref, anchor)
    if (m := g["duration_re"].fullmatch(_LAST_SPAN.sub(r"\1", s))) and (m[1] or m[4]):
        if m.group(3) in ("天", "日"):  # 过去7天: the days up to the reference day
            return (ref - timedelta(int(m.group(2)) - 1), ref) if ref else _NONE
        n = int(m.group(2)) * (12 if m.group(3) == "年" else 1)
        if ref and n % 12 == 0 and m.group(1) == "过去" and ref.month <= w["year_closing"]:
            years = n // 12  # a January review: 过去五年 are the five years just ended
            return date(ref.year - years, 1, 1), date(ref.year - 1, 12, 31)
        return (_shift_months(ref, -n) + timedelta(1), ref) if ref else _NONE
    if end := next((e for e in w["open_end"] if s.endswith(e)), None):
        rest = re.sub(rf"^(?:{_alt(w['open_lead'])})", "", s[: -len(end)])
        rest = re.sub(rf"(?:{_alt(w['open_trail'])}|{_alt(w['since_events'])})$", "", rest)
        rest = re.sub(r"年年$", "年", re.sub(r"初$", "", rest))  # `今年年初以来`
        rest = "今年" if rest == "年" else rest
        return (_span(rest, ref, anchor)[0][0] if rest else None, ref)
    if m := g["since_re"].fullmatch(s):  # 自去年10月起: from then to the reference day
        start = _span(m[1], ref, anchor)[0][0]
        return start, ref if start and ref and start <= ref else None
    if (m := re.fullmatch(r"(\d{1,2})日", s)) and ref:  # 2日: this month's, else last month's
        return (_day_of(ref, int(m[1])),) * 2
    s = re.sub(r"首月$", "首1个月", s)  # the year's first month
    if (m := _FIRST_DAYS.fullmatch(s)) and (begins := _span(m[1], ref, anchor)[0][0]):
        first = begins if m[1].endswith("月") else date(begins.year, 1, 1)  # 九月首十日
        return first, first + timedelta(int(m[2]) - 1)  # 今年首20日: the year's first 20 days
    (start, end), monthly = _span(s, ref, anchor)
    if monthly and ref and start and end and start <= ref < end:  # a running total: to the day
        end = ref if (end.year, end.month) == (ref.year, ref.month) else end
    return (start, end)


def _day_of(ref: date, day: int) -> date | None:
    """Day `day` of the reference day's month if it has come, else of the month before."""
    month = ref if day <= ref.day else ref.replace(day=1) - timedelta(1)
    days = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=day) if day <= days else None


def _parse(span: ISO | None) -> Span | None:
    return span and tuple(d and date.fromisoformat(d) for d in span)  # type: ignore[return-value]


def _iso(span: Span) -> ISO:
    return (span[0] and span[0].isoformat(), span[1] and span[1].isoformat())


@lru_cache(maxsize=16384)  # the same wordings recur within and across articles
def resolve_period(
    period: str | None,
    published: date | None,
    anchor: ISO | None = None,
    quarter: ISO | None = None,
) -> ISO:
    """(first day, last day) of `period`, ISO; None where it cannot be fixed. `published` is
    the reference day; `anchor` the (start, end) of the period stated before (for `同月`)."""
    s = _normalise(period or "")
    try:
        return _iso(_resolve(s, published, _parse(anchor), _parse(quarter))) if s else (None, None)
    except ValueError:  # no such day (2023年2月29日) or out of the calendar's range
        return (None, None)


def revises(wording: str) -> bool:
    """Whether the words before a figure revise an earlier release (`將第二季本地生產總值的實質
    增幅修訂為`): its period is an earlier one and does not become the anchor either."""
    text = _normalise(wording)
    return any(text.endswith(w) for w in _grammar()["words"]["revised"])


def pointing_kind(period: str | None) -> str | None:
    """The span a pointing wording names (calendar.toml [pointing]): `same` for the period
    stated before (同期, 假期期间), `recent` for no span at all (近年, 近期), `previous_month`
    for 上月…; None for any other wording."""
    return _grammar()["kind"].get(_normalise(period or ""))


def steps_back(period: str | None) -> bool:
    """Whether `period` names a span before the one stated (`上一季`, `去年同期`, a month of
    last year as a base: `上年12月份`): such a wording points aside and does not become the
    anchor of the wording after it."""
    return (
        pointing_kind(period) in _BACK
        or _LAST_YEARS_PART.fullmatch(_normalise(period or "")) is not None
    )


def compared_with(period_start: str | None, period_end: str | None, wording: str) -> ISO:
    """The span a change in `wording` is measured against: the same span a year earlier
    (同比, 按年, 較上年同期, 比2025年同期) or the span just before of the same length (環比,
    按月, 比上月). The last basis word in `wording` decides; (None, None) if it has none."""
    span, basis, text = _parse((period_start, period_end)), _grammar()["basis"], _normalise(wording)
    found = [(text.rfind(word), kind) for kind in ("year", "sequential") for word in basis[kind]]
    found += [(m.start(), m.group(1)) for m in re.finditer(r"[比较与](\d{4})年同期", text)]
    pos, kind = max(found)
    if pos < 0 or span is None or span[1] is None:
        return (None, None)
    start, end = span
    if kind != "sequential":
        return _iso(_shifted(span, 12 * (int(kind) - end.year) if kind.isdigit() else -12))
    if months := _whole_months(span):
        return _iso(_shifted(span, -months))
    if start is None:  # a point: the end of the month before, or the day before
        at_end = end == _month_end(end.year, end.month)
        return _iso((None, _shift_months(end, -1) if at_end else end - timedelta(1)))
    length = end - start + timedelta(1)
    return _iso((start - length, end - length))
