"""Metrics: what a number counts, from the words of its clause (see the package doc)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from .agency import _ENDS as _AGENCY_ENDS
from .index import _FROM_WORDS, _NUM, _SPACE, LANG, Spans, _after, _alt, _before
from .phrase import (
    _ABOVE,
    _BARE_CHANGE,
    _BEFORE_PERIOD_END,
    _CHANGE,
    _CHANGE_JUNK,
    _COMPARE,
    _COMPARED_TAIL,
    _COMPARISON,
    _CUT_AT,
    _DEPTH,
    _FRAME_OPENING,
    _KEEP,
    _LIST_JUNK,
    _MANNER_END,
    _MARKS,
    _MEASURE_END,
    _RANKED_AFTER,
    _RATE_WORDS,
    _SHARE,
    _SHARE_IN,
    _TRAIL,
    _UNIT_HEAD,
    _VERB,
    _VERBS,
    _clip,
    _drop_unit,
    _only_verbs,
    _split,
    _tidy,
    weak_metric,
)
from .region import _REGION
from .surroundings import (
    _APPROX_LEAD,
    _JOINED_END,
    _MAGNITUDE_CHARS,
    Surroundings,
    _links_figures,
)

_BASE_OF_FIGURE = LANG.base_of_figure
_W = LANG.words
_TARGET_VERBS = tuple(LANG.both(_W["target_verbs"]))
_OF_TARGET = re.compile(  # 完成预算的52.1%: a share of a target, of the clause's subject
    f"(?:{_alt(_TARGET_VERBS)})了?[^，,。；]{{0,8}}?(?:{_alt(LANG.both(_W['targets']))})"
    "(?:数|數)?的?$"
)
_BODY_ENDS = _AGENCY_ENDS  # 勞工處今年首四個月共舉辦…: the body acting, not what is counted
_ACTORS = frozenset(LANG.both(_W["actors"]))
_RATIO_UNITS = frozenset(LANG.units["percent"]["units"]) | {"倍", "成"}


def _unit_after(text: str, start: int, end: int) -> str:
    """The unit written after the numeral at `start` (before `end`), without its magnitude."""
    numeral = _NUM.match(text, start, end)
    if numeral is None:
        return ""
    head = _UNIT_HEAD.match(text, numeral.end(), end)
    return head.group().lstrip(_MAGNITUDE_CHARS) if head else ""


_PLACE_FORM = re.compile(f"[{LANG.han}]{{1,4}}(?:区|區|县|縣|市|州|旗|镇|鎮|乡|鄉)")  # 福田区
_PLACE_LIST = re.compile(rf"(?:{_REGION.pattern}|[、和及与與]|則|则|分別|分别|以|均)+")


def _fragment(metric: str) -> bool:
    """A weak metric (`weak_metric`), or places alone (`新北市、臺中市則分別以`, `福田区`): where,
    not what is counted."""
    if weak_metric(metric, numbers=False) or _PLACE_LIST.fullmatch(metric) is not None:
        return True
    return _PLACE_FORM.fullmatch(metric) is not None


_STREAK = re.compile("|".join(LANG.units["duration"]["streak"]))


def _streak_subject(metric: str) -> str:
    """`失業率連續下降` → `失業率`: a figure after a streak counts the streak's subject."""
    at = _STREAK.search(metric)
    return metric[: at.start()] if at and at.start() >= 2 else metric


# A clause opening with a ratio to a base (`，约为全国平均水平的1.4倍`, `，为常年同期的`) or a
# gap against one (`，高于全国平均水平0.8个百分点`): the figure measures what the clause before
# counts, not the base.
_RATIO_TO_BASE = re.compile(
    r"[ \u3000]*(?:(?:约|約|仅|僅|已|达|達)?(?:为|為|是|相当于|相當於)[^，,。；;]{1,16}的"
    rf"|(?:{_alt(LANG.words['above'])})(?:(?![增降升涨漲跌])[^，,。；;]){{1,16}}?)[ \u3000]*"
)
# A verb ending the words before a number: one marked by 了 (`发生了`), or an action verb.
_COUNTING_VERBS = LANG.both(LANG.words["counting_verbs"])
_VERB_BEFORE = re.compile(
    rf"(?P<v>[{LANG.han}]{{2}})了$|(?P<w>{_VERB.pattern}|{_alt(_COUNTING_VERBS)})$"
)
_RANK_VERBS = tuple(LANG.both(LANG.words["rank_verbs"]))
# A list of examples closed by 等 before a count (`北京、天津、河北等15个省区市`).
_EXAMPLES_END = re.compile(f"[、][^、，,。；;]{{1,12}}(?:{_alt(_W['examples_end'])})$")
_EXAMPLES_CHARS = 14
# `有` right before a number: there are so many of what follows (`有９６４０人死于交通事故`), not
# `拥有`, `具有`.
_THERE_ARE = re.compile(r"(?<![拥擁具享持含保没沒占佔])有[ \u3000]*$")
_SUBJECT_MAX = 12  # a subject before `在` and a period, kept in the metric
_NUM_UNIT = re.compile(rf"(?:{_NUM.pattern})(?:{_UNIT_HEAD.pattern})")  # 480所: a figure and unit


class MetricRules(Surroundings):
    """The metric of a number; earlier numbers are resolved (and cached) on demand."""

    _sents: list[int]
    _wide: list[int]
    _metrics: dict[int, tuple[int, str]]
    _period_starts: frozenset[int]
    _clause_openings: Callable[..., Spans]

    def _find_frames(self) -> Spans:
        """Frames opening a clause (`按可比口径同比增长6.3%`): the basis a figure is counted on,
        skipped like a period."""
        return self._clause_openings(_FRAME_OPENING, self._narrow)

    def _metric(self, start: int, end: int, depth: int, ss: int = -1) -> str:
        """The metric of the number at `start`; deeper calls resolve earlier numbers."""
        known = self._metrics.get(start)
        if known is not None and known[0] <= depth:
            return known[1]
        if ss < 0:
            i = bisect_left(self._sents, start)
            ss = self._sents[i - 1] + 1 if i > 0 else 0
        metric = self._compute_metric(start, end, depth, ss)
        # a fragment (其次為新竹縣0.50%, 與去年同月比較減少…) counts what the clause before names
        weak = depth < _DEPTH and _fragment(metric)
        ranked = _RANKED_AFTER.match(self.text, end) if weak else None
        if ranked:  # 以392.1亿元列旅游总收入排行榜第一名: what the ranking is of
            metric, weak = ranked["m"], False
        cs = self._clause_start(start, ss) if weak else start  # only a fragment looks back
        for _ in range(_DEPTH if weak else 0):
            if not _fragment(metric):
                break
            earlier = self._previous(cs, depth)  # and if that is a fragment too, the one before
            if not weak_metric(earlier):
                metric = earlier
                break
            ps = self._paragraph_start(cs)
            if cs <= ps:
                break
            cs = self._clause_start(cs - 1, ps)
        self._metrics[start] = (depth, metric)
        return metric

    def _compute_metric(self, start: int, end: int, depth: int, ss: int) -> str:
        text = self.text
        disposed = self._disposal_object(start, ss)
        if disposed is not None:  # 将全年增长预测由4%至5%向下修订至3.2%: what is revised
            metric = _clip(_tidy(text[slice(*self._strip(*disposed))]))
            if not weak_metric(metric):
                return metric
        if depth < _DEPTH and self._respectively_before(ss, start) >= 0:
            mapped = self._respectively(ss, start, end, depth)
            if mapped is not None:
                return mapped
        cs = self._clause_start(start, ss)
        joint = text[cs - 1] if cs > ss else ""
        if depth < _DEPTH and cs > ss and _RATIO_TO_BASE.fullmatch(text, cs, start):
            before = self._previous(cs, depth)  # 2858立方米，约为全国平均水平的1.4倍
            if not weak_metric(before):
                return before
        lo = self._after_mention(cs, start)
        i, j = self._strip(lo, start, first=True)
        seg = text[i:j]
        inner = self._last_number(i, j) or self._listed_before(i, j)
        if inner is not None and depth < _DEPTH:
            rest = _drop_unit(text[inner.end() : j]).strip(_MARKS)  # 5199戶（+0.05%
            rest = _tidy(_APPROX_LEAD.sub("", rest)).strip(_MARKS)  # 服裝(-13.8%)及電器: no 及
            if _links_figures(rest):
                return self._metric(inner.start(), inner.end(), depth + 1)
            if _JOINED_END.search(rest) and (after := self._counted_noun(end)):
                prev = self._metric(inner.start(), inner.end(), depth + 1)  # ４条干线邮路和
                verb = prev[:2] if prev[:2] in _VERBS else ""  # １２条普件邮路: its own noun
                return _clip(verb + after)
            if not weak_metric(rest, numbers=False):  # `未達35小時者`: the number is inside
                seg = rest  # `受理件數五三○件及財損數`
            elif _drop_unit(text[inner.end() : j]).startswith(("（", "(")) and not weak_metric(
                head := _tidy(text[i : inner.start()]).strip(_MARKS)
            ):  # `国内出游总花费7008.2亿元（去年同期6543.6亿元`: a base in brackets, the subject's
                seg = head
        if _EXAMPLES_END.search(text, max(0, i - _EXAMPLES_CHARS), j) and (
            noun := self._counted_noun(end)
        ):
            return _clip(noun)  # 柬埔寨、菲律賓等10個國家和地區: the examples name no measure
        base = _BASE_OF_FIGURE.search(seg)
        if base:  # 升幅比上一季的7.7%: the base's figure, of what the comparison measures
            seg = _tidy(seg[: base.start()])
            if not seg:  # 收案78.14万件,比去年90.78万件: of what the clause before counts
                return self._previous(cs, depth)
        change = _CHANGE.search(seg, max(0, len(seg) - 16))
        if change:
            return self._change_metric(seg[: change.start()], cs, lo, (start, end, ss), depth)
        modifies = text[j:start].strip(_SPACE) == "的" and len(seg) >= 2 and inner is None
        modifies = modifies and text[end - 1] not in "%％‰倍成点點"  # a count of the noun after
        if modifies and (noun := self._counted_noun(end)):
            return _clip(_tidy(seg) + "的" + noun)  # 我国制造的３４架飞机出口: 制造的飞机
        if seg in ("对", "對", "向", "将", "將"):
            seg = ""
        if seg and not weak_metric(seg) and _THERE_ARE.search(text, max(lo, start - 3), start):
            after = self._counted_noun(end)  # 日本去年有９６４０人死于交通事故
            if after:  # …where 日本 is the region, not part of what is counted
                head = "" if self._all_region(lo, start) else _tidy(_TRAIL.sub("", seg))
                return _clip(head + after)
        if seg:
            return _clip(
                self._subject_before(cs, lo) + self._complete(seg, cs, ss, joint, end, depth)
            )
        if depth < _DEPTH and text[cs:start].lstrip(_SPACE)[:1] in _FROM_WORDS:
            return self._previous(cs, depth)  # ，从1996年的不到30亿美元锐增到…: what the clause
            # before names changes
        if joint == "、" and depth < _DEPTH:
            counted = self._counted_noun(end)  # ４１５所普通高等学校、３３０所科研机构、: its noun
            ranked = counted.startswith(_RANK_VERBS)  # 三千九百八十八件居第二、三名
            if counted and not ranked and self.text.startswith(counted + "、", end):
                return _clip(counted)
            prev = self._previous_number(cs, ss)
            if prev is not None:
                return self._metric(prev.start(), prev.end(), depth + 1)
        after = self._words_after(end, depth)
        return _clip(after) if after else self._previous(cs, depth)

    def _change_metric(
        self, head: str, cs: int, lo: int, span: tuple[int, int, int], depth: int
    ) -> str:
        """A rise or fall measures what is named before its verb (without adverbs of manner:
        `实质`, `进一步`), else what is named before the period the clause states it for
        (`服务输出在上一季上升5.3%`), else what the sentence's last figure in the same unit
        counts (`出生數為7946人，…率為4.15‰，較10月減少1512人`), else the previous metric."""
        start, end, ss = span
        measure = _tidy(_COMPARE.sub("", head))
        if _ABOVE.match(self.text, lo, start) and depth < _DEPTH:  # 高於市場預期增長5.2%
            return _clip(self._previous(cs, depth) + measure)
        measure = _tidy(_MANNER_END.sub("", _COMPARED_TAIL.sub("", measure)))
        if measure in _RATE_WORDS and depth < _DEPTH:  # 增速比上月末高0.5个百分点
            return _clip(self._previous(cs, depth) + measure)
        if not measure and lo > cs:
            measure = self._before_period(cs, lo)
        if measure:
            return _clip(measure)
        return self._same_unit_before(start, end, ss, cs, depth) or self._previous(cs, depth)

    def _same_unit_before(self, start: int, end: int, ss: int, cs: int, depth: int) -> str:
        """The metric of the last figure before clause `cs` in its sentence whose unit is the
        one of text[start:end], where that is a count or an amount (not a percent), and the
        clause before states a figure too (else its words name what changes: `詐騙案急增`)."""
        unit = _unit_after(self.text, start, end + 16)  # `end` may be a bare numeral's
        if not unit or unit in _RATIO_UNITS or depth >= _DEPTH:
            return ""
        if self._previous_number(cs, ss) is None:
            return ""
        for m in reversed(list(_NUM.finditer(self.text, ss, cs))):
            if _unit_after(self.text, m.start(), cs) == unit:
                return self._metric(m.start(), m.end(), depth + 1)
        return ""

    def _before_period(self, cs: int, lo: int) -> str:
        """The words of a clause before the period (or agency) phrase ending at `lo`, without
        the word joining them to it (`在`, `继`): what the clause's change is of."""
        i, j = self._strip(cs, self._tails.get(lo, lo))
        words = _tidy(_BEFORE_PERIOD_END.sub("", self.text[i:j]))
        return "" if weak_metric(words) else words

    def _complete(self, seg: str, cs: int, ss: int, joint: str, end: int, depth: int) -> str:
        """Finish a non-empty phrase: shares and rates (of the metric before), 连续, verb or
        noun reuse, lone verbs, cuts."""
        if _OF_TARGET.match(seg) and depth < _DEPTH:  # 完成预算的52.1%: of the subject before
            prev = self._previous(cs, depth)
            if prev and not weak_metric(prev) and not prev.startswith(_TARGET_VERBS):
                return _clip(prev + seg.removesuffix("的"))
        if (_SHARE.match(seg) or seg in _RATE_WORDS) and depth < _DEPTH:  # 占…的11.7%, 年增率
            prev = self._previous(cs, depth)
            if seg in _RATE_WORDS:  # the rate of the figure before, not of its share
                prev = prev[: m.start()] if (m := _SHARE_IN.search(prev)) else prev
            return prev + seg if prev else seg
        if seg.endswith(("连续", "連續")):  # 立案数连续9个月同比下降
            return _tidy(seg[:-2]) + seg[-2:] + self._words_after(end, depth)
        reuse = depth < _DEPTH and joint in ("、", "，", ",")
        verb_first = seg[:2] in _VERBS
        after = self._words_after(end, depth) if verb_first else ""
        if reuse and verb_first and len(seg) <= 3 and not after:
            prev = self._previous_number(cs, ss)  # 发布视频4300多条、播放30亿次 → 视频播放
            noun = self._metric(prev.start(), prev.end(), depth + 1) if prev else ""
            if noun[:2] in _VERBS and 0 < len(noun) - 2 <= 8:
                return noun[2:] + seg
        if reuse and joint == "、" and not verb_first and not seg.endswith(_MEASURE_END):
            prev = self._previous_number(cs, ss)  # 拦截电话19.5亿次、短信21.4亿条 → 拦截短信
            verb = self._metric(prev.start(), prev.end(), depth + 1)[:2] if prev else ""
            if verb in _VERBS:
                return verb + seg
        if verb_first and _only_verbs(seg):  # 成功避免6178万名群众受骗 → 避免受骗群众
            return seg + after
        counted = self._counted_after(seg, end, depth)
        if counted:  # 全球共发生了１７次大地震 → 发生大地震
            return counted
        if len(seg) > _CUT_AT and not verb_first and "的" not in seg and not _KEEP.match(seg):
            verb = next((m for m in _VERB.finditer(seg) if 2 <= m.start() <= len(seg) - 4), None)
            if verb:  # 精准发现潜在受骗用户并实时发送预警信息 → 发送预警信息
                return seg[verb.start() :]
        return seg

    def _counted_after(self, seg: str, end: int, depth: int) -> str:
        """`全球共发生了１７次大地震`, `省直单位共抽调２４００多名干部`: a verb ending the words
        before the number (marked by `了`, or one of words.toml's verbs) counts the noun after the
        number's unit; the metric is the verb and that noun."""
        verb = _VERB_BEFORE.search(seg)
        after = self._counted_noun(end) if verb else ""
        return (verb["v"] or verb["w"]) + after if verb and after else ""

    def _subject_before(self, cs: int, lo: int) -> str:
        """`国合商业单位在春节期间投放…`, `龙门石窟夜游项目假期接待…`: the subject before the
        period phrase (and its 在) ending at `lo` (words before the verb after it), else ''."""
        if lo <= cs:
            return ""
        k = bisect_right(self._cut_ends, lo) - 1
        ms = self._cut_starts[k] if k >= 0 else cs
        if ms <= cs + 1:
            return ""
        at = ms - 1 if self.text[ms - 1] == "在" else ms
        a, b = self._strip(cs, at)  # a region or body alone is no subject (`广西`, `警方`)
        subject = _tidy(self.text[a:b]).strip(_MARKS)
        if at == ms and self._actor(cs, ms, subject):
            return ""
        if weak_metric(subject) or len(subject) > _SUBJECT_MAX or _NUM.search(subject):
            return ""
        return subject

    def _actor(self, cs: int, ms: int, subject: str) -> bool:
        """Whether the words text[cs:ms] before a mention name who acts, not what is counted:
        before a body (`協調當地警方搗毀`), a body or place (`勞工處`, `广西、海南海关`), a
        phrase with 的 (`伪造假币的犯罪集团`)."""
        return (
            ms not in self._period_starts
            or "的" in subject
            or "、" in self.text[cs:ms]
            or subject in _ACTORS
            or subject.endswith(_BODY_ENDS)
            or self._names_in(cs, ms)
        )

    def _respectively(self, ss: int, start: int, end: int, depth: int) -> str | None:
        """`A…、B…，同比分别上升x%、y%`: the k-th listed number takes the k-th metric."""
        text = self.text
        wcs = _before(self._wide, start, ss)
        k = self._respectively_before(wcs, start)
        between = _COMPARISON.sub("", _NUM_UNIT.sub("", text[k + 2 : start]))  # 分别比上年
        if k < 0 or _CHANGE_JUNK.sub("", between).strip(_LIST_JUNK):
            return None
        index = len(_NUM.findall(text, k, start))
        size = index + 1 + len(_NUM.findall(text, end, _after(self._wide, end, len(text))))
        items = self._listed(wcs, k, size, depth)
        return _clip(items[min(index, len(items) - 1)]) if items else None

    def _listed(self, wcs: int, k: int, size: int, depth: int) -> list[str] | None:
        """The `size` metrics listed before `分别` at k: as words, or by earlier numbers."""
        i, j = self._strip(self._after_mention(wcs, k), k)
        pre = _tidy(_COMPARE.sub("", self.text[i:j]))
        if pre and not _BARE_CHANGE.fullmatch(pre):  # 按年變動分別錄得: what changes is before
            return _split(pre, size) or [pre]
        ps = self._paragraph_start(wcs)
        found: list[str] = []
        pos = wcs
        for _ in range(4):
            if pos <= ps:
                break
            pcs = _before(self._wide, pos - 1, ps)
            nums = list(_NUM.finditer(self.text, pcs, pos - 1))
            if nums:
                found = [self._metric(m.start(), m.end(), depth + 1) for m in nums] + found
                if len(found) >= size:
                    return found[-size:]
            elif found:
                break
            else:
                a, b = self._strip(pcs, pos - 1)
                return _split(_tidy(self.text[a:b]), size)
            pos = pcs
        return None

    def _previous(self, cs: int, depth: int) -> str:
        """The metric of the clause before cs in its paragraph (its last number's, or words)."""
        ps = self._paragraph_start(cs)
        if depth >= _DEPTH or cs <= ps:
            return ""
        prev = self._previous_number(cs, ps)
        if prev is not None:
            return _streak_subject(self._metric(prev.start(), prev.end(), depth + 1))
        pcs = self._clause_start(cs - 1, ps)
        i, j = self._strip(self._after_mention(pcs, cs - 1), cs - 1)
        words = self.text[i:j]
        change = _CHANGE.search(words)
        if change:
            words = _tidy(_COMPARE.sub("", words[: change.start()]))
        return _clip(words)
