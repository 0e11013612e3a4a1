"""Periods: the period each paragraph inherits, and the period of a number (the mentions are
`period_mentions`)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from .agency import Agencies
from .index import (
    _FROM_WORDS,
    _NUM,
    _SPACE,
    LANG,
    Position,
    Spans,
    _after,
    _alt,
    _before,
)
from .period_mentions import _NEAR_DAY, _WHOLE_YEAR, _YEAR_ALONE, PeriodMentions

_BASE_OF_FIGURE = LANG.base_of_figure
_FROM_FIGURE = LANG.from_figure
_YEAR_RANGE = LANG.year_range
_QUARTER_RANGE = LANG.quarter_range
_QUARTERS = "一二三四1234"
_PERIOD_KEY = LANG.period_key
_HAS_STAT = LANG.states_figure

_YEAR4 = re.compile(r"(\d{4})年")
_CONTINUE = re.compile(_alt(LANG.words["continue"]))
_SPEAKS = re.compile(f"[^，,。；;]*?(?:{_alt(LANG.words['speaks'])})")
_SPEAKER_CHARS = 12  # a title and a name between a body and its speaking verb
# A figure a change reaches (`从2019年的281.5亿元增加到386.2亿元`): the period inside the
# change's `从…的` is the first figure's, not this one's.
_CHANGE_VERBS = LANG.units["change"]["verbs"]
_TO_FIGURE = re.compile(f"(?:{_alt(_CHANGE_VERBS['rise'] + ' ' + _CHANGE_VERBS['fall'])})(?:到|至)")
_FROM_CHARS = 30  # from the period to the change's verb
_TO_FIGURE_END = re.compile(f"(?:{_TO_FIGURE.pattern})$")  # …增加到 before the figure reached
_TO_CHARS = 6
_CLAUSE_MARK = re.compile("[，,；;]")
# A total to date: 累计 and a verb (`累计建成`, `累计达到`, `累计认证`), then the words it counts;
# not a period's output (`2024年，汽车产销累计完成3128.2万辆`)
_RUNNING_TOTAL = re.compile(
    f"(?:{_alt(LANG.words['running_total'])})(?!{_alt(LANG.words['period_total'])})"
    f"[{LANG.han}]{{2,14}}$"
)
_CUMULATIVE = re.compile(r"[前首][ \u3000]?[一二三四1-4两兩]")  # 前三季度: quarters to date


def _one_year(period: str | None) -> bool:
    """`2024年`, `今年`, `全年`: one calendar year."""
    return bool(period) and (period in _WHOLE_YEAR or _YEAR_ALONE.fullmatch(period) is not None)


def _one_quarter(period: str) -> bool:
    """`第三季度`, `一季度`: one quarter, not the quarters to date (`前三季度`)."""
    return "季度" in period and not _CUMULATIVE.search(period)


def _looks_back(periods: list[str], carry: str | None) -> bool:
    """`根據2018年的《統計公報》…而這一數字在2000年僅為46.1%` after `2019年`: every period of
    the paragraph is an earlier year (or steps back), so it is an aside, not a new frame."""
    frame = _YEAR4.search(carry) if carry else None
    if frame is None:
        return False
    for period in periods:
        year = _YEAR4.search(period)
        if not LANG.steps_back(period) and (year is None or year[1] >= frame[1]):
            return False
    return True


_ONE_DAY = LANG.one_day  # a breakdown of a wider period stated before it
_DAY_ALONE = LANG.day_alone


def _breakdown(period: str, wider: bool) -> bool:
    """A quarter of a year, or (after a `wider` period) one day, or only `近年`: it does not
    carry over."""
    if _one_quarter(period) or LANG.pointing_kind(period) == "recent":
        return True
    if _DAY_ALONE.fullmatch(period) or _NEAR_DAY.fullmatch(period):
        return True  # `2日`, `今天`: a wire report's day, for its own paragraph
    return wider and _ONE_DAY.fullmatch(period) is not None


def _one_quarter_alone(periods: list[str]) -> bool:
    """`2025年一季度…2025年一季度`: one quarter and no other period (the text's frame, not a
    breakdown of a year)."""
    return all(_one_quarter(t) for t in periods) and len({_PERIOD_KEY(t) for t in periods}) == 1


class PeriodRules(PeriodMentions):
    """The period each paragraph inherits, and a number's period."""

    text: str
    periods: Spans
    bases: Spans
    rates: Spans
    _clause_openings: Callable[..., Spans]
    agencies: Agencies
    _lines: list[int]
    _narrow: list[int]
    _wide: list[int]
    _inherited: list[str | None]
    _lede_agencies: dict[str | None, str]
    _items: frozenset[int]

    def _carry_periods(self) -> list[str | None]:
        """Per paragraph, the period it inherits from earlier paragraphs (see module doc)."""
        text, p, inherited, carry = self.text, self.periods, [], None
        starts = [0] + [i + 1 for i in self._lines]
        for ps, pe in zip(starts, [*self._lines, len(text)], strict=True):
            if ps in self._items:  # a new wire item (`新华社马尼拉１月３日电…`)
                carry = None
            mine = carry if carry is not None and self._inherits(ps, pe) else None
            inherited.append(mine)
            lo, hi = bisect_left(p.starts, ps), bisect_left(p.starts, pe)
            texts = [  # “明年春天还要再来”: a period in a quoted speech sets no frame, nor
                p.texts[k]  # does one inside a subject restating the period before (虹桥站假期期间)
                for k in range(lo, hi)
                if not self._quoted(p.starts[k])
                and not self._restates_inside(p.starts[k], p.texts[k])
            ]
            if texts and _looks_back(texts, carry):
                continue  # an aside on earlier years: the carried period goes on past it
            if texts:  # a quarter is a breakdown of a year: it does not carry over…
                # a day after a wider period, stated or inherited, is a breakdown of it
                wider = [mine is not None and _ONE_DAY.fullmatch(mine) is None]
                wider += [_ONE_DAY.fullmatch(t) is None for t in texts]
                carry = next(
                    (
                        t
                        for k, t in reversed(list(enumerate(texts)))
                        if not _breakdown(t, any(wider[: k + 1]))
                    ),
                    mine,
                )
                if carry is None and _one_quarter_alone(texts):  # …unless it opens
                    carry = texts[-1]  # the text, all its paragraph states
            elif _HAS_STAT.search(text, ps, pe):
                carry = mine
        return inherited

    def _restates_inside(self, s: int, word: str) -> bool:
        """`上海虹桥站假期期间`: a word restating the period before, inside a clause."""
        if s == 0:
            return False
        before = self.text[s - 1]  # not where a clause opens: whitespace or `，` `（`…
        opens = before.isspace() or before in LANG.clause_opens
        return not opens and LANG.pointing_kind(word) == "same"

    def _quoted(self, s: int) -> bool:
        """Whether the mention at `s` stands inside a quotation (`“…”`, `「…」`)."""
        k = bisect_right(self._speech_starts, s) - 1
        return k >= 0 and self._speech_starts[k] < s < self._speech[self._speech_starts[k]]

    def _inherits(self, ps: int, pe: int) -> bool:
        body = self.text[ps:pe].strip(_SPACE)
        if not body or _CONTINUE.match(body):
            return bool(body)
        a, n = self.agencies, len(self.agencies.starts)
        i = bisect_left(a.starts, ps)
        actor = a.next_actor[i] if i < n else n
        # a body acting before the paragraph's first figure opens a frame of its own; one
        # speaking after its figures (`…有关负责人表示，下一步…`) does not
        stat = _HAS_STAT.search(self.text, ps, pe)
        if actor == n or a.starts[actor] >= (stat.start() if stat else pe):
            return True
        return self._release_speaks(actor)

    def _release_speaks(self, i: int) -> bool:
        """`主計總處專門委員曹志弘表示，…`: the body the release is from (the lede's) speaks on
        the release's figures, which keep its period; acting (`公安部…组织开展`), it opens a
        frame of its own."""
        a, lede = self.agencies, self._lede_agencies.get(None)
        name = a.texts[i]
        if lede is None or not (name in lede or lede in name):
            return False
        return _SPEAKS.match(self.text, a.ends[i], a.ends[i] + _SPEAKER_CHARS) is not None

    def _period(self, pos: Position) -> str | None:
        """The nearest period before the number in its paragraph, else the inherited one."""
        start, end, ps, para = pos.start, pos.end, pos.paragraph_start, pos.paragraph
        base = _BASE_OF_FIGURE.search(self.text, max(ps, start - 16), start)
        if base:  # 比上年119.6万件: the base's own figure
            return base["p"] or base["q"] or base["m"]
        if _FROM_FIGURE.search(self.text, max(ps, start - 3), start):
            return None  # 由380.3萬人減少至380.0萬人: the figure before the change, unworded
        i = self.bases.last(start, _before(self._wide, start, ps))
        if i >= 0 and self._in_brackets(self.bases.starts[i]) != self._in_brackets(start):
            i = -1  # a base in brackets (（去年同期为…）) is only its own figures'
        if i >= 0:  # 去年同期立案数为3.1万起
            return self.bases.texts[i]
        p = self.periods
        disposed = self._disposal_object(start, pos.sentence_start)
        if disposed is not None and (i := p.last(disposed[1], disposed[0])) >= 0:
            return p.texts[i]  # 将今年通胀预测由8月时的2%修订至1.8%: the revised figure's period
        i = p.last(start, ps)
        while i >= 0 and self._period_of_from_figure(i, start):
            i = p.last(p.starts[i] - 1, ps)
        if i >= 0 and p.ends[i] <= pos.sentence_start and _ONE_DAY.fullmatch(p.texts[i]):
            i = self._wider_than_day(i, ps, para)
        if i < 0 or p.ends[i] <= pos.sentence_start:
            rate = self.rates.last(start, pos.sentence_start)
            if rate >= 0:  # 我国每年约有２０万…: no other period stated in the sentence
                return self.rates.texts[rate]
        cs = _before(self._narrow, start, pos.sentence_start)
        total = (i < 0 or p.ends[i] <= cs) and _RUNNING_TOTAL.search(self.text, cs, start)
        if total and _one_year(self._inherited[para] if i < 0 else p.texts[i]):
            return None  # 全年新建…，累计建成78.3万亩: a total to date, not the year's
        if i < 0:
            return self._inherited[para]
        years = _YEAR_RANGE.fullmatch(p.texts[i])
        if years:  # 2019年至2021年…分别起诉3.9万人、5万人、4万人: one year each
            k, n = self._list_position(p.ends[i], start, end)
            first, last = int(years[1]), int(years[2])
            if n > 1 and n == last - first + 1:
                return f"{first + k}年"
        quarters = _QUARTER_RANGE.fullmatch(p.texts[i])
        if quarters:  # 去年第一至第三季經濟分別增長13.4%、9.5%和7.6%: one quarter each
            k, n = self._list_position(p.ends[i], start, end)
            a, b = (_QUARTERS.index(quarters[g]) % 4 for g in ("a", "b"))
            if n > 1 and n == b - a + 1:
                numeral = _QUARTERS[a + k + (4 if quarters["a"].isdigit() else 0)]
                return f"{quarters['y']}第{numeral}{quarters['u']}"
        return p.texts[i]

    def _wider_than_day(self, i: int, ps: int, para: int) -> int:
        """`月内…波动，节后首个交易日10月9日成交最为活跃。全部A股月换手率为12.87%`: a day of an
        earlier sentence is a breakdown of the wider period before it (stated in the paragraph,
        or inherited: -1), which governs the later sentences."""
        p = self.periods
        j = i - 1
        while j >= 0 and p.starts[j] >= ps and _ONE_DAY.fullmatch(p.texts[j]):
            j -= 1
        if j >= 0 and p.starts[j] >= ps:
            return j
        inherited = self._inherited[para]
        return -1 if inherited is not None and not _ONE_DAY.fullmatch(inherited) else i

    def _period_of_from_figure(self, i: int, start: int) -> bool:
        """Whether period mention `i` is only the first figure's of a change (`从2019年的281.5亿元
        增加到386.2亿元，年均增长6.5%`: 2019年 is 281.5亿元's alone) and the number at `start`
        comes after that change's verb; or only the figure's reached (`增加到1997年的489.9亿美元`)
        and the number is in a later clause."""
        text, s, e = self.text, self.periods.starts[i], self.periods.ends[i]
        if s == 0 or not text.startswith("的", e):
            return False
        if _TO_FIGURE_END.search(text, max(0, s - _TO_CHARS), s):  # …增加到1997年的489.9亿美元，
            return _CLAUSE_MARK.search(text, e, start) is not None  # 年均增长22.6%: not its own
        if text[s - 1] not in _FROM_WORDS:
            return False
        return _TO_FIGURE.search(text, e, min(start, e + _FROM_CHARS)) is not None

    def _period_stated(self, pos: Position) -> bool:
        """Whether the number's period is worded in its own sentence (not carried from an
        earlier sentence or paragraph)."""
        i = self.periods.last(pos.start, pos.paragraph_start)
        return i >= 0 and self.periods.ends[i] > pos.sentence_start

    def _list_position(self, lo: int, start: int, end: int) -> tuple[int, int]:
        """(index, size) of the number in a `分别` list after position lo, else (0, 0)."""
        text = self.text
        ws = _before(self._wide, start, lo)
        k = self._respectively_before(ws, start)
        if k < 0:
            return 0, 0
        before = len(_NUM.findall(text, k, start))
        return before, before + 1 + len(_NUM.findall(text, end, _after(self._wide, end, len(text))))
