"""The publication date of a Chinese article, from its raw text, and the day its figures were
stated.

`find_published` reads the top of the page: a ` date YYYY-MM-DD ` store prefix, Markdown/YAML
front matter `date:`, a header or byline date (`2022-04-15 記者`, `来源:法治日报2022-05-11 09:39`,
`13.10.2015 12:28`) or a news dateline (`新华社北京10月21日电`, `9月22日讯`), whose year comes
from another full date in the text. The earliest such signal in the first `HEAD` characters
wins. A full date followed by prose (`2023年1月19日，…`) is an event, not a header.
`find_stated` gives the day a press conference or release named near the top (`记者19日从`,
`15日發布`, `今（10日）公布`, `昨(24)日`), else the publication date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from email.utils import parsedate_to_datetime

from .numerals import arabic

__all__ = ["HEAD", "find_datelines", "find_published", "find_stated"]

HEAD = 600
_NUM = r"[\d〇零一二三四五六七八九十廿卅]{1,3}"
_PREFIX = re.compile(r"\s*date (\d{4})-(\d{2})-(\d{2})\s")
_FRONT = re.compile(r"\A\W*---[ \t]*\n(.*?)\n---", re.S)
_FRONT_DATE = re.compile(r"^date:\s*['\"]?(.+?)['\"]?\s*$", re.M)
_FULL = re.compile(
    r"(?<!\d)(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)(?:\s*日)?"
)
_DMY = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_DATELINE = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日(?:电|電|讯|訊)")
# What may follow a header date, and labels that may stand before one on its line.
_HEADER_NEXT = re.compile(r"$|\s|\d|[|)）\]】]|来源|來源|记者|記者|星期|周|週|电|電|讯|訊")
_LABEL = re.compile(r"(?:来源|來源|时间|時間|日期|发布|發布|更新|出版|date|Date)\W*\S{0,12}$")
_STATED_VERBS = (
    "召开|召開|举行|舉行|公布|发布|發布|通报|通報|宣布|从|從|表示|获悉|獲悉|介绍|介紹|透露|指出"
)
_STATED = re.compile(
    rf"(?P<rel>今|昨)\s*[(（]\s*(?P<rday>{_NUM})\s*日?\s*[)）]\s*日?"
    rf"|(?P<yest>昨)(?:日|天)?(?={_STATED_VERBS})|(?P<today>今)(?:天|日)(?={_STATED_VERBS})"
    rf"|(?<![\d月])(?:(?P<month>\d{{1,2}})月)?(?P<day>\d{{1,2}})日(?={_STATED_VERBS})"
)


def _date(year: int | str, month: int | str, day: int | str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _front_matter(text: str) -> date | None:
    """`date:` of a front matter block at the top (ISO or RFC 2822)."""
    block = _FRONT.match(text)
    found = _FRONT_DATE.search(block.group(1)) if block else None
    if not found:
        return None
    value = found.group(1)
    if iso := re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        return _date(*iso.groups())
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError):
        return None


def _is_header(text: str, match: re.Match[str]) -> bool:
    """A full date that stands as a header: followed by a space, time or byline, or labelled."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    return bool(
        _HEADER_NEXT.match(text, match.end()) or _LABEL.search(text[line_start : match.start()])
    )


def _dateline_year(text: str, month: int, day: int) -> date | None:
    """The dateline's day in the year of the first full date of the text (within half a year)."""
    for found in _FULL.finditer(text):
        if near := _date(*found.groups()):
            for year in (near.year, near.year - 1, near.year + 1):
                got = _date(year, month, day)
                if got and abs((got - near).days) <= 183:
                    return got
    return None


def find_published(text: str) -> date | None:
    """The article's publication date found in its raw text, or None."""
    if (prefix := _PREFIX.match(text)) and (got := _date(*prefix.groups())):
        return got
    if got := _front_matter(text):
        return got
    head = text[:HEAD]
    found: list[tuple[int, date]] = []
    for m in _FULL.finditer(head):
        if _is_header(head, m) and (got := _date(*m.groups())):
            found.append((m.start(), got))
    for m in _DMY.finditer(head):
        if got := _date(m.group(3), m.group(2), m.group(1)):
            found.append((m.start(), got))
    for m in _DATELINE.finditer(head):
        if got := _dateline_year(text, int(m.group(1)), int(m.group(2))):
            found.append((m.start(), got))
    return min(found)[1] if found else None


def find_stated(text: str, published: date | None) -> date | None:
    """The day the figures were stated, named near the top; else `published`."""
    if published is None:
        return None
    m = _STATED.search(text[:HEAD])
    if m is None or m["today"]:
        return published
    if m["yest"]:
        return published - timedelta(1)
    day = int(arabic(m["rday"] or m["day"]))
    month = int(m["month"] or published.month)
    year = published.year - (month > published.month)
    got = _date(year, month, day)
    if not m["month"] and got and got > published:  # the day is in the month before
        month_before = published.replace(day=1) - timedelta(1)
        got = _date(month_before.year, month_before.month, day)
    return got if got and got <= published else published


def find_datelines(text: str, published: date | None) -> list[tuple[int, date]]:
    """(position, day) of each wire item's dateline (`新华社汉城１月１５日电`) in a file of
    several, the day in the year that puts it on or before `published`; [] for one item."""
    if published is None:
        return []
    found = []
    for m in _DATELINE.finditer(text):
        month, day = int(m.group(1)), int(m.group(2))
        got = _date(published.year - (month > published.month), month, day)
        if got:
            found.append((m.start(), got))
    return found if len(found) > 1 else []
