"""Periods: period mentions (the grammar is the language pack's), the period each paragraph
inherits, and the period of a number."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from .agency import Agencies
from .index import (
    _FROM_WORDS,
    _NUM,
    _SHARE_OF,
    _SPACE,
    LANG,
    Position,
    Spans,
    _after,
    _alt,
    _before,
)
from .phrase import _CAUSE

_PERIOD = LANG.period
_NOT_PERIOD_AFTER = LANG.not_period_after
_BASE_BEFORE = LANG.comparison_before
_YEAR_BEFORE = LANG.year_before
_BASE_OF_FIGURE = LANG.base_of_figure
_FROM_FIGURE = LANG.from_figure
_BASE_CLAUSE = LANG.base_clause
_UP_TO_CLOSE = LANG.up_to_close
_SINCE_CLOSE = LANG.since_close
_SINCE_END = LANG.since_end
_YEAR_RANGE = LANG.year_range
_YEAR_ALONE = LANG.year_alone
_PERIOD_KEY = LANG.period_key
_WHOLE_YEAR = frozenset(LANG.both(LANG.whole_year))
_COMPARING = ("比較", "比较", "對比", "对比", "相比")  # the verb: comparing A with B
_BASE_WITH_DE = ("由", "高于", "高於", "低于", "低於")  # a base only with 的 after it
_COMPARED_WITH = re.compile("[ \u3000]?[與与和同跟]")
_RECORD_BEFORE = re.compile(f"(?:{_alt(LANG.words['record_before'])})$")
_RECORD_AFTER = re.compile(
    f"(?:的)?(?:{_alt(LANG.both(LANG.words['record_after']))})(?:水平|纪录|紀錄)?(?:[，,。；;\n]|$)"
)
_REASON = re.compile(f"(?:{_alt(LANG.both(LANG.words['reason_open']))})[^，,；;。\n]*")
_EVENT_AFTER = re.compile(f"(?:{_alt(LANG.words['event_after'])})")
# `今年35岁的游客`: a year before a person's age dates the age, not a figure (an age group,
# `114年1月底65歲以上人口`, is no person's)
_AGE_AFTER = re.compile(
    f"[0-9{LANG.cn_digits}十]{{1,3}}(?:{LANG.units['readings']['age']})(?![以至到及和、-])"
)
_EXPECTED_FROM = re.compile(f"起[^，,。；;]{{0,6}}?(?:{_alt(LANG.words['expect_after'])})")
_HAS_STAT = LANG.states_figure
_EVENT_SINCE = LANG.event_since
_EVENT_DURING = LANG.event_during
_DURING_LEAD = LANG.during_lead
_DURING_CHARS = 8  # the longest event name before 期间
# 因春运期间出行增加: a cause; 较上一個三個月期間: a base; 二是寒假和春運期間: a reason listed
_EVENT_NAME = re.compile(f"(?![因受由])(?:(?![是和及与與较較比同跟对對])[{LANG.han}])+")
_EVENT_FROM = LANG.event_from

_AVERAGE_AFTER = re.compile("平均(?=[，,：:])")
_DAYS = re.compile("[至到－—~～-]")  # 10月1日至8日: a span of days, not an event's day
_FIRST_DAYS = re.compile(r"年[ \u3000]?[前首头頭]")
_YEAR4 = re.compile(r"(\d{4})年")
_CONTINUE = re.compile(_alt(LANG.words["continue"]))
_SPEAKS = re.compile(f"[^，,。；;]*?(?:{_alt(LANG.words['speaks'])})")
_SPEAKER_CHARS = 12  # a title and a name between a body and its speaking verb
# A figure a change reaches (`从2019年的281.5亿元增加到386.2亿元`): the period inside the
# change's `从…的` is the first figure's, not this one's.
_CHANGE_VERBS = LANG.units["change"]["verbs"]
_TO_FIGURE = re.compile(f"(?:{_alt(_CHANGE_VERBS['rise'] + ' ' + _CHANGE_VERBS['fall'])})(?:到|至)")
_FROM_CHARS = 30  # from the period to the change's verb
_CUMULATIVE = re.compile(r"[前首][ \u3000]?[一二三四1-4两兩]")  # 前三季度: quarters to date


def _one_quarter(period: str) -> bool:
    """`第三季度`, `一季度`: one quarter, not the quarters to date (`前三季度`)."""
    return "季度" in period and not _CUMULATIVE.search(period)


_EVENT_VERB = re.compile(f"[ \u3000]?(?:{_alt(LANG.words['event_verbs'])})")


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
_NEAR_DAY = LANG.near_day
_EACH_YEAR = LANG.each_year


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


class PeriodRules:
    """Period mentions, the period each paragraph inherits, and a number's period."""

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

    def _find_periods(self) -> Spans:
        spans, text, last = Spans(), self.text, 0
        last_end = 0  # the end of the last period added
        causes = sorted(  # 受开学季和国庆假期临近等因素带动; 主要是部分企业上年利润下滑
            [m.span() for m in _CAUSE.finditer(text)] + [m.span() for m in _REASON.finditer(text)]
        )
        cause_starts = [c[0] for c in causes]
        for m in _PERIOD.finditer(text):
            s, e = m.span("p")
            if s < last or _NOT_PERIOD_AFTER.match(text, e) or self._in_brackets(s):
                continue
            if (
                _RECORD_BEFORE.search(text, max(0, s - 2), s)
                or _RECORD_AFTER.match(text, e)
                or _EVENT_AFTER.match(text, e)
                or _EXPECTED_FROM.match(text, e)
                or (_YEAR_ALONE.fullmatch(m.group("p")) and _AGE_AFTER.match(text, e))
            ):  # 創2019年初以來新高, 近3年同月最低, 7月上旬颱風侵臺, 8月中旬起菜價可望回穩
                continue
            k = bisect_left(cause_starts, s) - 1
            if k >= 0 and e <= causes[k][1]:
                continue  # a period inside a cause is the cause's, not the figure's
            last, word = e, m.group("p")
            if self._comparison_base(s, word) or self._whole_of_stated_year(spans, s, word):
                continue
            if (base := _BASE_CLAUSE.match(text, s)) and base.end("p") == e:
                continue  # 上年12月份为下降8.5%: a base's figure (`_find_bases`), no period
            year = _YEAR_BEFORE.search(text, max(last_end, s - 8), s)
            if year:  # 比較二○二五年二月至四月與…: the year the comparing verb hid
                s, word = year.start(), text[year.start() : e]
            close = next((c for c in _UP_TO_CLOSE if text.startswith(c, e)), "")
            if word.startswith(("截", "到")) and close:
                e, word = e + len(close), word + close
                last = e
            elif _EVENT_FROM.match(word):  # 自去年10月起; 從上半年…來看 is 上半年
                since = next((c for c in _SINCE_CLOSE if text.startswith(c, e)), "")
                e, word, last = e + len(since), word + since, e + len(since)
                if not word.endswith(_SINCE_END):
                    word = word[1:].lstrip(_SPACE)
                    s = e - len(word)
            if _AVERAGE_AFTER.match(text, e):  # 1—8月平均，…: the average over the span
                e, word, last = e + 2, word + text[e : e + 2], e + 2
            if word.endswith("年初") and text[e : e + 1] in "，,":
                spans.add(s, e, word[:-1])  # 去年初，省军区把…: an act at the year's start
                last_end = e  # sets the frame of the year's figures
                continue
            day = word[-1] in "日号號" and not word.startswith("截") and not _DAYS.search(word)
            day = day and not _FIRST_DAYS.search(word)  # 今年首20日: a span, not an event
            day = day or _NEAR_DAY.fullmatch(word) is not None  # 今天，…: an event's day
            if day and (text[e : e + 1] in "，," or _EVENT_VERB.match(text, e)):
                continue  # an event date ("今年1月19日，随着…", "10月18日发布")
            spans.add(s, e, word)
            last_end = e
        return self._with_events(spans)

    def _whole_of_stated_year(self, spans: Spans, s: int, word: str) -> bool:
        """`2023年全市法院全年共受理`: the clause's year governs; its 全年 adds no period; nor
        has the whole a share is of (`占全年粮食总产量`, `完成全年计划`)."""
        if word not in _WHOLE_YEAR:
            return False
        if _SHARE_OF.search(self.text, max(0, s - 3), s):
            return True
        if not spans.texts:
            return False
        clause = _before(self._narrow, s, 0)
        return spans.ends[-1] > clause and bool(_YEAR_ALONE.fullmatch(spans.texts[-1]))

    def _with_events(self, spans: Spans) -> Spans:
        """Add periods since an event (`2021年該市打擊電信詐騙“霹靂”行動開展以來`), worded from
        the clause start or its 自/从; the mentions inside them give way."""
        text, events = self.text, list[tuple[int, int, str]]()
        for m in _EVENT_SINCE.finditer(text):
            cs = _before(self._narrow, m.start(), max(0, m.start() - 40))
            opener = _EVENT_FROM.search(text, cs, m.start())
            s = opener.start() if opener else cs
            while s < m.start() and text[s] in _SPACE:
                s += 1
            if m.start() - s >= 2 and (not events or s >= events[-1][1]):
                events.append((s, m.end(), text[s : m.end()]))
        during = self._during_events(spans)
        events = sorted(events + during) if during else events
        if not events:
            return spans
        mentions = zip(spans.starts, spans.ends, spans.texts, strict=True)
        merged = Spans()
        for s, e, t in heapq.merge(events, mentions, key=lambda m: m[0]):  # events first on ties
            if not merged.ends or s >= merged.ends[-1]:  # a mention inside an event gives way
                merged.add(s, e, t)
        return merged

    def _during_events(self, spans: Spans) -> list[tuple[int, int, str]]:
        """Periods during an event named at a clause's start, after a lead (`会议期间，`,
        `预计运输期间…`), where no period mention is already there."""
        text, events = self.text, list[tuple[int, int, str]]()
        for m in _EVENT_DURING.finditer(text):
            s = _before(self._narrow, m.start(), max(0, m.start() - _DURING_CHARS - 2))
            while s < m.start() and text[s] in _SPACE:
                s += 1
            if lead := _DURING_LEAD.match(text, s, m.start()):
                s = lead.end()
            name = text[s : m.start()]
            if not 2 <= len(name) <= _DURING_CHARS or not _EVENT_NAME.fullmatch(name):
                continue
            k = bisect_left(
                self._sents, m.end()
            )  # 夏粮生产期间，…条件匹配较好: no figure, no frame
            se = self._sents[k] if k < len(self._sents) else len(text)
            if not _NUM.search(text, m.end(), se):
                continue
            k = bisect_left(spans.ends, s + 1)  # a period mention there: the grammar's reading
            if k < len(spans.starts) and spans.starts[k] < m.end():
                continue
            events.append((s, m.end(), text[s : m.end()]))
        return events

    def _find_bases(self) -> Spans:
        """Comparison bases opening a clause (`去年同期立案数为3.1万起`): the period of the
        clause's figures, but no period mention (they do not carry on)."""
        return self._clause_openings(_BASE_CLAUSE, self._wide, "p")

    def _find_rates(self) -> Spans:
        """`每年` outside a period mention: a rate's period (`_period`), cut from metrics."""
        spans, p = Spans(), self.periods
        for m in _EACH_YEAR.finditer(self.text):
            i = bisect_right(p.starts, m.start()) - 1
            if i < 0 or p.ends[i] <= m.start():
                spans.add(m.start(), m.end(), m["p"])
        return spans

    def _comparison_base(self, s: int, word: str) -> bool:
        """比2016年12月份, 與去年同月, 較去年第4季, 由上年的: the base of a comparison, not a
        period."""
        text, lo = self.text, max(0, s - 20)
        if m := _BASE_BEFORE.search(text, lo, s):  # after 由 only a base's own (由上年的…)
            verb = text[max(0, m.start() - 1) : m.start() + 2]
            comparing = any(v in verb for v in _COMPARING)
            if comparing and _COMPARED_WITH.match(text, s + len(word)):
                return False  # 比較二○二五年二月至四月與一月至三月: the first is the figures'
            if m.group().startswith(_BASE_WITH_DE):  # 由上年的…, 高于上月末的14.91倍
                return text.startswith("的", s + len(word))
            return True
        return word.startswith("同") and bool(_YEAR_BEFORE.search(text, lo, s))

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
        if i < 0:
            return self._inherited[para]
        years = _YEAR_RANGE.fullmatch(p.texts[i])
        if years:  # 2019年至2021年…分别起诉3.9万人、5万人、4万人: one year each
            k, n = self._list_position(p.ends[i], start, end)
            first, last = int(years[1]), int(years[2])
            if n > 1 and n == last - first + 1:
                return f"{first + k}年"
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
        comes after that change's verb."""
        text, s, e = self.text, self.periods.starts[i], self.periods.ends[i]
        if s == 0 or text[s - 1] not in _FROM_WORDS or not text.startswith("的", e):
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
