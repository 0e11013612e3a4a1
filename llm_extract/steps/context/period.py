"""Periods: the period grammar, period mentions and the period of a number."""

from __future__ import annotations

import re
from bisect import bisect_left

from .agency import Agencies
from .index import _NUM, _SPACE, LANG, Position, Spans, _after, _alt, _before

_S = r"[ \u3000]?"
_N = r"(?:\d{1,4}|[一二三四五六七八九十两兩廿]{1,3})"
_Y = rf"(?:\d{{4}}{_S}年|[今去上前明本当當]年)"
_M = rf"{_N}{_S}月份?"
_TO = r"(?:至|到|－|-|—|~|～)"
_MOD = r"(?:底|末|初|上旬|中旬|下旬)"
_SINCE = r"(?:以来|以來|(?:开始|開始)?(?:至今|迄今))"
_PERIOD_BODY = (
    rf"(?:(?:截至|截止到?|截至到){_S})?(?:[自从從]{_S})?"
    r"(?:"
    rf"{_Y}{_S}(?:{_M}{_S})?{_TO}{_S}(?:{_Y}{_S}(?:{_M}{_MOD}?)?|今)"
    rf"|(?:{_Y}{_S})?{_M}{_S}{_TO}{_S}(?:{_Y}?{_S}{_M}{_MOD}?|今)"
    rf"|(?:{_Y}{_S})?{_N}{_S}{_TO}{_S}{_N}{_S}月份?"
    rf"|(?:{_Y}{_S})?[前首]{_S}{_N}{_S}(?:个|個)?(?:月|季度)份?"
    rf"|(?:{_Y}{_S})?(?:第?[一二三四1-4]{_S}季度|[上下]半年|全年)"
    rf"|(?:{_Y}{_S})?{_M}(?:{_S}{_N}{_S}[日号號])?{_MOD}?{_SINCE}?"
    rf"|{_Y}(?:{_S}(?:{_SINCE}|{_MOD}))?"
    rf"|(?:近|过去|過去)?{_N}{_S}年(?:来|來|以来|以來)"
    r"|目前|至今|迄今|同月|当月|當月|(?:周|週|星期)[一二三四五六日天]"
    r")"
)
# A period starts with one of these characters, not right after another listed one; the
# leading class lets the regex engine skip other positions fast, the rest is a lookahead.
_PERIOD_FIRST = "截止自从從今去上前明本当當首第全近过過目至迄同周週星0-9一二三四五六七八九十两兩廿"
_NUMERAL = "0-9一二三四五六七八九十两兩廿"
_PERIOD_HINT = (  # cheap test before the full pattern: a numeral must lead to 年/月/季/至
    rf"(?=[^{_NUMERAL}]|[{_NUMERAL}]{{1,4}}[ \u3000]?[年月季至到－\-—~～])"
)
_PERIOD = re.compile(
    rf"[{_PERIOD_FIRST}](?<![\d.比较較第每近连連上下本这這该該].)"
    rf"(?<={_PERIOD_HINT}(?=(?P<p>{_PERIOD_BODY})).)"
)
_NOT_PERIOD_AFTER = re.compile(r"[ \u3000]?(?:同期|[电電讯訊])")
_YEAR_RANGE = re.compile(r"(\d{4})年至(\d{4})年")
_CONTINUE = re.compile(_alt(LANG.words["continue"]))
# Linear time: a number is matched from the start of its run only, and the run is consumed
# once (possessive); `\d(?:[\d,.]*\d)?` retried every start inside a long digit run (quadratic).
_HAS_STAT = re.compile(
    r"(?<![\d,.])\d[\d,.]*+(?<=\d)[ \u3000]?"
    r"(?:[%％万萬亿億千百个個名人起件宗条條次元张張笔筆家倍]|个百分点)"
    r"|(?<![一二三四五六七八九十两兩廿百千])[一二三四五六七八九十两兩廿百千]++[万萬亿億]"
    r"|[一二三四五六七八九十]成"
)


class PeriodRules:
    """Period mentions, the period each paragraph inherits, and a number's period."""

    text: str
    periods: Spans
    agencies: Agencies
    _lines: list[int]
    _wide: list[int]
    _inherited: list[str | None]

    def _find_periods(self) -> Spans:
        spans, text, last = Spans(), self.text, 0
        for m in _PERIOD.finditer(text):
            s, e = m.span("p")
            if s < last or _NOT_PERIOD_AFTER.match(text, e) or self._in_brackets(s):
                continue
            last, word = e, m.group("p")
            if word[-1] in "日号號" and not word.startswith("截") and text[e : e + 1] in "，,":
                continue  # an event date ("今年1月19日，随着…"), not a reporting period
            spans.add(s, e, word)
        return spans

    def _carry_periods(self) -> list[str | None]:
        """Per paragraph, the period it inherits from earlier paragraphs (see module doc)."""
        text, p, inherited, carry = self.text, self.periods, [], None
        starts = [0] + [i + 1 for i in self._lines]
        for ps, pe in zip(starts, [*self._lines, len(text)], strict=True):
            mine = carry if carry is not None and self._inherits(ps, pe) else None
            inherited.append(mine)
            lo, hi = bisect_left(p.starts, ps), bisect_left(p.starts, pe)
            if lo < hi:  # quarters are breakdowns of a year: they do not carry over
                carry = next((t for t in reversed(p.texts[lo:hi]) if "季度" not in t), mine)
            elif _HAS_STAT.search(text, ps, pe):
                carry = mine
        return inherited

    def _inherits(self, ps: int, pe: int) -> bool:
        body = self.text[ps:pe].strip(_SPACE)
        if not body or _CONTINUE.match(body):
            return bool(body)
        a, n = self.agencies, len(self.agencies.starts)
        i = bisect_left(a.starts, ps)
        actor = a.next_actor[i] if i < n else n
        return actor == n or a.starts[actor] >= pe

    def _period(self, pos: Position) -> str | None:
        """The nearest period before the number in its paragraph, else the inherited one."""
        start, end, ps, para = pos.start, pos.end, pos.paragraph_start, pos.paragraph
        p = self.periods
        i = p.last(start, ps)
        if i < 0:
            return self._inherited[para]
        years = _YEAR_RANGE.fullmatch(p.texts[i])
        if years:  # 2019年至2021年…分别起诉3.9万人、5万人、4万人: one year each
            k, n = self._list_position(p.ends[i], start, end)
            first, last = int(years[1]), int(years[2])
            if n > 1 and n == last - first + 1:
                return f"{first + k}年"
        return p.texts[i]

    def _list_position(self, lo: int, start: int, end: int) -> tuple[int, int]:
        """(index, size) of the number in a `分别` list after position lo, else (0, 0)."""
        text = self.text
        ws = _before(self._wide, start, lo)
        k = self._respectively_before(ws, start)
        if k < 0:
            return 0, 0
        before = len(_NUM.findall(text, k, start))
        return before, before + 1 + len(_NUM.findall(text, end, _after(self._wide, end, len(text))))
