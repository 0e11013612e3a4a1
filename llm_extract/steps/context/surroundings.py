"""The words around a number, as the metric rules read them: its clause's start, a phrase
without function words and mentions, the numbers before it and the words after it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .index import _FROM_WORDS, _NUM, _SPACE, _WINDOW, LANG, Spans, _alt, _before
from .phrase import (
    _AFTER_STOP,
    _BARE_CHANGE,
    _LEAD,
    _MARKS,
    _SIGNS,
    _TRAIL,
    _UNIT_HEAD,
    _VICTIMS,
    _drop_unit,
    _tidy,
    weak_metric,
)

_W = LANG.words
_COPULA_AFTER = re.compile("^(?:为|為|是|係|系)")
_JOINED_END = re.compile(f"(?:{_alt(LANG.both(LANG.units['coordination']['item_end']))})$")
_AT_PLACE = re.compile(_alt(LANG.both(_W["at_place"])))  # the noun after a count ends there
_PERCENT_OF = "百分之"  # a percent written before its number: the number's unit
_MAGNITUDE_CHARS = "".join(LANG.magnitudes) + "千余餘多"
_JOINERS = frozenset(LANG.both(LANG.units["coordination"]["joiners"]))  # 、78.6万人次和71.4万
_RESTATED_AS = frozenset(LANG.both(LANG.words["restated_as"]))  # 增加27億元或9.5%
_EXCHANGE = frozenset(LANG.units["not_figure"]["exchange"].split("|"))  # 兑换, 兌, 合
_HAN_FIRST = re.compile(f'[“「"]?[{LANG.han}]')  # a word, maybe quoted (`“三八”生产基地`)
_APPROX_LEAD = re.compile("^(?:余|餘|多|左右|以上)+")  # after the number: 6178万余名, not 上海
_NUMERAL_CHARS = frozenset(LANG.cn_digits + _MAGNITUDE_CHARS + "十百")
_WORDS_AFTER_MAX = 22  # longer words after a number name no measure


def _links_figures(rest: str) -> bool:
    """Words between two figures of one metric: none, a joiner (`78.6万人次和71.4万人次`), a
    change (`下降8.2%至2,700多人`, `从3.5%以上降至2.4%`), a restatement (`增加27億元或9.5%`),
    or an exchange (`１美元兑换４０００盾`: the rate's one and its other side)."""
    change = _BARE_CHANGE.fullmatch(rest.rstrip("至到为為了"))
    return not rest or change is not None or rest in _RESTATED_AS | _JOINERS | _EXCHANGE


class Surroundings:
    """Bounds and words around a number in a text (`MetricRules` builds on them)."""

    text: str
    _narrow: list[int]
    _brackets: dict[int, int]
    _edges: dict[int, int]
    _tails: dict[int, int]
    _cut_starts: list[int]
    _cut_ends: list[int]
    _region_starts: frozenset[int]
    regions: Spans
    agencies: Spans

    def _counted_noun(self, end: int) -> str:
        """The words after a number and its unit, up to the clause's end or the next number,
        where they name something (`１７次大地震，` → 大地震)."""
        last = self.text[end - 1 : end]
        if last.isdigit() or last in _NUMERAL_CHARS:  # a bare numeral's end: past its unit
            head = _UNIT_HEAD.match(self.text, end)
            end = head.end() if head else end
        after = self._words_after(end, 0)
        after = _JOINED_END.sub(
            "", _tidy(after[: m.start()] if (m := _NUM.search(after)) else after)
        )
        if not after or weak_metric(after) or not _HAN_FIRST.match(after):
            return ""
        return after

    def _clause_start(self, start: int, lo: int) -> int:
        """Clause start before `start`; 、 lists without their own numbers are kept whole."""
        text = self.text
        lo = max(lo, start - _WINDOW)
        cs = _before(self._narrow, start, lo)
        while cs > lo and text[cs - 1] == "、":
            pcs = _before(self._narrow, cs - 1, lo)
            if _NUM.search(text, pcs, cs - 1):
                break
            cs = pcs
        return cs

    def _after_mention(self, cs: int, start: int) -> int:
        """Skip to the end of the last period or agency phrase in [cs, start) if words follow."""
        ends = self._cut_ends
        k = bisect_right(ends, start) - 1
        best = ends[k] if k >= 0 and self._cut_starts[k] >= cs else cs
        if best > cs:
            i, j = self._strip(best, start)
            if i >= j:
                return cs
        return best

    def _strip(self, i: int, j: int, first: bool = False) -> tuple[int, int]:
        """Strip function words, brackets and mentions from both ends of text[i:j]."""
        text = self.text
        while i < j:
            e = self._edges.get(i)
            if e is not None and e <= j:
                i = e
            elif text[i] in _SPACE or text[i] in "，,”」』》)）·":
                i += 1
            elif i in self._brackets and self._brackets[i] <= j:
                i = self._brackets[i]
            else:
                m = _LEAD.match(text, i, j)
                if not m:
                    break
                i = m.end()
        if first and i < j and text[j - 1] == "的":
            j -= 1  # only right before the number: `35岁以下的占85%` keeps its 的
        while j > i:
            s = self._tails.get(j)
            if s is not None and s >= i:
                j = s
            elif text[j - 1] in _SPACE or text[j - 1] in "“「《(（" or text[j - 1] in _SIGNS:
                j -= 1
            elif self._from_period_before(i, j):
                j = self._tails[j - 1] - 1  # 增长率将从去年的: the first figure's period
            else:
                m = _TRAIL.search(text, max(i, j - 6), j)
                if not m:
                    break
                j = m.start()
        return i, j

    def _from_period_before(self, i: int, j: int) -> bool:
        """Whether text[i:j] ends with `从`/`由`, a period mention and `的` (`从去年的`)."""
        if self.text[j - 1] != "的":
            return False
        s = self._tails.get(j - 1)
        return s is not None and s > i and self.text[s - 1] in _FROM_WORDS

    def _names_in(self, i: int, j: int) -> bool:
        """Whether a region or agency mention starts inside text[i:j]."""
        return self.regions.last(j, i) >= 0 or self.agencies.last(j, i) >= 0

    def _all_region(self, i: int, j: int) -> bool:
        """Whether text[i:j] is a region mention and words without a meaning of their own."""
        a, b = self._strip(i, j)
        return a >= b and any(i <= s < j for s in self._region_starts)

    def _listed_before(self, i: int, j: int) -> re.Match[str] | None:
        """`78.6万人次和` before `71.4万人次`: the item before in a list of figures."""
        lead = _NUM.match(self.text, i, j)
        if lead is None:
            return None
        rest = _APPROX_LEAD.sub("", _drop_unit(self.text[lead.end() : j])).strip(_MARKS)
        return lead if rest and _links_figures(rest) else None

    def _last_number(self, i: int, j: int) -> re.Match[str] | None:
        """The last number with a unit inside text[i+1:j] (a clause stating two figures)."""
        width = 32
        while True:  # windows growing back from j: a long clause is not rescanned per number
            lo = max(i + 1, j - width)
            found = list(_NUM.finditer(self.text, lo, j))
            if found and found[-1].start() > lo or lo == i + 1:
                break
            width *= 4
        if not found:
            return None
        m = found[-1]
        head = _UNIT_HEAD.match(self.text, m.end(), j)
        unit = head and head.end() > m.end() or m[0].startswith(_PERCENT_OF)  # 百分之十七及
        return m if unit or m.end() == j else None

    def _previous_number(self, cs: int, lo: int) -> re.Match[str] | None:
        pcs = _before(self._narrow, cs - 1, lo)
        nums = list(_NUM.finditer(self.text, pcs, cs - 1))
        return nums[-1] if nums else None

    def _words_after(self, end: int, depth: int) -> str:
        """The words right after the number (`6178万名群众受骗` → 受骗群众)."""
        text = self.text
        stop = _AFTER_STOP.search(text, end, end + 30)
        last = stop.start() if stop else min(end + 30, len(text))
        a = self.agencies
        k = bisect_left(a.starts, end + 2)  # 15个省区市公安机关成功抓获…: up to the body acting
        words = text[end : min(last, a.starts[k]) if k < len(a.starts) else last]
        if depth:
            words = _drop_unit(words)
        words = _APPROX_LEAD.sub("", words.lstrip(_SPACE)).lstrip(_SPACE).rstrip(_SPACE)
        words = words[1:] if words.startswith("的") else words  # ８７．６％的行政村是小康村
        words = _COPULA_AFTER.sub("", words)  # 四成為訪港旅客: the visitors
        if (m := _AT_PLACE.search(words, 2)) and _NUM.search(words, m.end()):
            words = words[: m.start()]  # １２个部委在贵州２０多个贫困县挂钩: the ministries
        if (m := _NUM.search(words)) and m.start() >= 2:  # ４条快速干线汽车邮路和１２条…
            words = _JOINED_END.sub("", _tidy(words[: m.start()]))
        if len(words) > _WORDS_AFTER_MAX:
            return ""
        victims = _VICTIMS.fullmatch(words)
        return victims[2] + victims[1] if victims else words
