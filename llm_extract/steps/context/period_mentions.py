"""Period mentions: where a text states a period (the grammar is the language pack's), the
comparison bases and rates that are no period mentions, and periods since or during an event."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from .index import _NUM, _SHARE_OF, _SPACE, LANG, Spans, _alt, _before
from .phrase import _CAUSE

_PERIOD = LANG.period
_NOT_PERIOD_AFTER = LANG.not_period_after
_BASE_BEFORE = LANG.comparison_before
_YEAR_BEFORE = LANG.year_before
_BASE_CLAUSE = LANG.base_clause
_UP_TO_CLOSE = LANG.up_to_close
_SINCE_CLOSE = LANG.since_close
_SINCE_END = LANG.since_end
_YEAR_ALONE = LANG.year_alone
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
_EVENT_VERB = re.compile(f"[ \u3000]?(?:{_alt(LANG.words['event_verbs'])})")
_NEAR_DAY = LANG.near_day
_EACH_YEAR = LANG.each_year


class PeriodMentions:
    """The period mentions of a text (`periods`), its bases (`bases`) and rates (`rates`)."""

    text: str
    periods: Spans
    _clause_openings: Callable[..., Spans]
    _narrow: list[int]
    _wide: list[int]
    _bracket_starts: list[int]
    _sents: list[int]
    _in_brackets: Callable[[int], bool]

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
        """Comparison bases opening a clause (`去年同期立案数为3.1万起`) or a bracket
        (`7008.2亿元（去年同期为6543.6亿元）`): the period of its figures, but no period mention
        (they do not carry on)."""
        return self._clause_openings(_BASE_CLAUSE, sorted(self._wide + self._bracket_starts), "p")

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
