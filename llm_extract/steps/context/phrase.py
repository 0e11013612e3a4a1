"""Metric phrases: their word patterns and the functions tidying a phrase."""

from __future__ import annotations

import re

from ...lang.textnorm import fold
from ..numbers import UNITS
from .index import _SPACE, LANG, _alt, _both, _trie

_W = LANG.words
# Rise and fall words ending a metric phrase: the sign rules' verbs plus the phrase's own words.
_CHANGE_VERBS = LANG.units["change"]["verbs"]
_RISE_FALL = f"{_CHANGE_VERBS['rise']} {_CHANGE_VERBS['fall']}"
_CHANGE_WORDS = f"{_W['change']} {_RISE_FALL}"
_VERB_WORDS = _both(_W["verbs"])
_VERBS = frozenset(_VERB_WORDS)
_VERB = re.compile(_trie(_VERB_WORDS))
_LEAD = re.compile(
    r"(?:会同|會同|联合|聯合)[^，,、]{0,8}?(?:部门|部門|单位|單位|企业|企業)"
    r"|向各地|各地|全行业|全行業|再加上|原因是|据统计|據統計|统计显示|統計顯示|主要涉及|但仍|但"
    r"|达到|達到|实现|實現|约(?![谈定])|約(?![談定])"
    r"|(?:" + _alt(_W["lead"]) + r")"
    r"|共(?![享同建治])|有(?![效关關害限偿償色机機线線])|计(?![算划劃])|計(?![算划劃])"
    r"|就(?![业業诊診医醫读讀学學近地职職餐])"  # 仅去年一年就吸引外资, not 就业人数
)
_TRAIL = re.compile(  # not 賣超; 指數報 (an index reported at), not 舉報
    r"(?:" + _alt(_W["trail"]) + r"|(?<!平)均|(?<![买卖買賣])超|(?<=[数數价價率值])[报報])$"
)
_CHANGE = re.compile(
    r"(?:(?:比|较|較)[^，,、]{0,12}?[多少高低快慢]"
    r"|(?<![新净淨])(?!降(?<=[升起]降))(?:" + _alt(_CHANGE_WORDS) + r"))"  # 升降: a noun
    r"(?:了|至|为|為|达|達|到)?[ \u3000]*$"
)
_COMPARED_WITH = (
    r"(?:(?:比|较|較|与|與)[^，,、比较較与與]{0,16}?"  # the nearest comparison word: 同比涨幅比上月
    r"(?:同期|上月|上年|去年|前年|上一?季度?|上一?个?月|上周|上週|年初|年底|上一年|前一年)"
    r"(?:[（(][^）)]*[）)])?(?:相比)?|同比|环比|環比|按年|按月|按季)"
)
_COMPARISON = re.compile(_COMPARED_WITH)  # anywhere: 分别比上年增加480所和减少
_COMPARE = re.compile(
    rf"{_COMPARED_WITH}?[ \u3000]*(?:分别|分別)?[ \u3000]*(?:同比|环比|環比|按年)?[ \u3000]*$"
)
_SHARE = re.compile(r"^[占佔](?!用|有|领|領)")
_SHARE_IN = re.compile(r"(?<=.)[占佔](?!用|有|领|領)")
_INNER = re.compile(r"(?<![公总總])共(?![同享建治计計])|(?<=案)就")
# What may follow a numeral as its unit: a magnitude, and a unit of the language pack's
# `units.toml` (`5199戶`, `3.2万吨`, `1.5個百分點`).
_UNIT_HEAD = re.compile(rf"[余餘多]?(?:[万萬亿億千]{{0,2}}{UNITS}|[万萬亿億千]{{1,2}})?")
_AFTER_STOP = re.compile(r"[，、：；。！？!?;:\n,]")
_MAX_METRIC = 26
_CUT_AT = 8  # a longer phrase not starting with a verb or adverb is cut at its first verb
_KEEP = re.compile(_alt(_W["keep"]))
_MEASURE_END = tuple(_W["measure_end"])
_HEADS = frozenset(_both(_W["heads"]))
_PAIRS = {  # 产销 → 产量, 销量 (words.toml [pairs]), in both scripts
    LANG.traditional(word) if trad else word: [LANG.traditional(p) if trad else p for p in parts]
    for word, parts in _W["pairs"].items()
    for trad in (False, True)
}
_ABOVE = re.compile(_alt(_W["above"]))
_DEPTH = 3  # how many earlier numbers a metric may lean on
_VICTIMS = re.compile(r"(.{1,4}?)(受骗|受騙)")
_CHANGE_JUNK = re.compile(_alt(_W["change_junk"]))
_RANKED_AFTER = re.compile(
    f"(?:{_alt(_W['rank_verbs'])})(?:全国|全國|全省|全市)?(?P<m>[^，,。；;、]{{2,16}}?){_W['rank_end']}"
)
_RATE_WORDS = frozenset(_both(_W["rate_words"]))
_COMPARED_TAIL = re.compile(r"(?<=.)(?<![同环環])(?:比|较|較)[^，,、比较較]{1,14}$")  # 增速比上月末
_MANNER_END = re.compile(f"(?:{_alt(_W['manner'])}|(?<!平)均)+$")  # 均, not 平均
_BEFORE_PERIOD_END = re.compile(f"(?:{_alt(_W['before_period'])})$")
_LIST_JUNK = " \u3000、，,%％倍个個万萬亿億千起名人次条條件宗元+＋-−－"  # 、-5.2%和: a sign too
_QUOTED_LIST = re.compile(r"“[^”]*、[^”]*”|「[^」]*、[^」]*」")


_FRAGMENTS = frozenset(_both(_W["fragment"]))
_ANAPHORA = tuple(_W["anaphora"].split())
_COMPARED = re.compile(_alt(_W["compare"]))
_FRAME = re.compile(f"(?:{_alt(_W['frame_open'])}).{{1,10}}(?:{_alt(_W['frame_close'])})")
_FRAME_OPENING = re.compile(  # a frame opening a clause, within it (`按可比口径同比增长6.3%`)
    f"(?:{_alt(_W['frame_open'])})[^，、：；。！？!?;:\n,]{{1,10}}(?:{_alt(_W['frame_close'])})"
)
_COMPARED_END = tuple(_both(_W["compared_end"]))
_CAUSE = re.compile(f"(?:{_alt(_W['cause_open'])}).{{2,20}}(?:{_alt(_W['cause_close'])})")
_ORDINAL = re.compile(r"第[一二三四五六七八九十0-9]{1,3}[名位]?")
_DURATION = LANG.units["duration"]
# A streak (`連跌三個月`, `连续9个月`, `連升六個月`): how long a change has gone on, no metric.
_STREAK = re.compile(
    f"(?:{_alt(_both(_DURATION['streak']))}|[连連])(?:{_alt(_RISE_FALL)})?"
    f"[0-9{LANG.cn_digits}十两兩]{{1,3}}(?:{_alt(_both(_DURATION['months']))}|年|季|周|週|日|天)"
)
_MARKS = _SPACE + "（()）+-−－"
_BARE_CHANGE = re.compile("(?:" + _alt(_CHANGE_WORDS + " " + _W["compare"]) + ")+")
_DIGIT = re.compile(r"(?<![A-Za-z0-9.])[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9.])|[%％]")  # not PM2.5, 5G


def weak_metric(metric: str | None, numbers: bool = True) -> bool:
    """A metric phrase that is a fragment rather than what is counted: empty or one character,
    a function word (`其次`, `以`), a comparison (`比上年`, `較7月`, `去年同月比較`), a bare
    rise or fall verb, a period wording (`第三季`), a frame (`從縣市別來看`), a cause
    (`受暑运高峰回落影响`), an ordinal (`第三名`), a streak (`連跌三個月`), a pointer to the
    figure before (`這一數字在`), or (with `numbers`) a phrase holding a number."""
    text = fold((metric or "").strip(_MARKS))
    if len(text) <= 1 or text in _FRAGMENTS or (numbers and _DIGIT.search(text)):
        return True
    if text.lstrip("而但则").startswith(_ANAPHORA):  # 這一數字在: the figure before's
        return True
    if any(p.fullmatch(text) for p in (_FRAME, _CAUSE, _ORDINAL, _STREAK)):
        return True
    if text.endswith(_COMPARED_END):
        return True
    if _COMPARED.match(text) or _BARE_CHANGE.fullmatch(text) or _only_verbs(text):
        return True
    period = LANG.period.match(text)
    return period is not None and len(period["p"]) * 2 >= len(text)


def _tidy(seg: str) -> str:
    """Strip function words from both ends of a detached phrase."""
    for _ in range(4):
        before = seg
        m = _LEAD.match(seg)
        seg = seg[m.end() :] if m else seg
        t = _TRAIL.search(seg)
        seg = (seg[: t.start()] if t else seg).strip(_SPACE + "，,、")
        if seg == before:
            break
    return seg


def _drop_unit(words: str) -> str:
    head = _UNIT_HEAD.match(words)
    return words[head.end() :] if head else words


def _only_verbs(seg: str) -> bool:
    return (
        len(seg) % 2 == 0
        and len(seg) <= 8
        and all(seg[k : k + 2] in _VERBS for k in range(0, len(seg), 2))
    )


_HAN_WORD = re.compile(f"[{LANG.han}]+")
_PREDICATE = re.compile(_alt([w for w in _RISE_FALL.split() if len(w) > 1] + ["居前", "居首"]))


def _shared_tail(parts: list[str]) -> str:
    """The words after the last item that the earlier items share: each earlier item is a
    word of one length L (`城镇`, `东部地区`; one character: `汽、柴油價格`, `甲、乙类`) and the
    last is such a word and more."""
    n = len(parts[0])
    last = parts[-1]
    if n < 1 or any(len(p) != n for p in parts[:-1]) or len(last) < n + 2:
        return ""
    if not all(_HAN_WORD.fullmatch(p) for p in [*parts[:-1], last[: n + 1]]):
        return ""
    tail = last[n:]
    return "" if _PREDICATE.search(tail) else tail  # 电子行业涨幅居前: a predicate


def _split(phrase: str, size: int) -> list[str] | None:
    """`教育、社会保障和就业、卫生健康支出` into `size` items; a shared head noun is repeated;
    a word of two measures (`汽车产销`) is the two (`汽车产量`, `汽车销量`)."""
    pair = next((w for w in _PAIRS if phrase.endswith(w)), None) if size == 2 else None
    if pair:
        return [phrase[: -len(pair)] + part for part in _PAIRS[pair]]
    for pattern in ("、", "[、和及与與]"):
        parts = [p for p in re.split(pattern, phrase) if p]
        if len(parts) == size:
            tail = _shared_tail(parts)
            if tail:  # 城镇、农村居民人均可支配收入 → 城镇居民人均可支配收入
                return [p + tail for p in parts[:-1]] + [parts[-1]]
            head = parts[-1][-2:]
            if (
                head in _HEADS
                and len(parts[-1]) > 2
                and not any(p.endswith(_MEASURE_END) for p in parts)
            ):
                parts = [p if p.endswith(head) else p + head for p in parts]
            return parts
    return None


_SIGNS = "+＋-−－"  # a sign written before a number, never the end of a metric
_BULLET = re.compile(r"[-–—•·‧*●○■□◆◇▪►][ \t\u3000]*")  # a list item's marker: `- 學校`


def _clip(metric: str) -> str:
    """Tidy the final phrase: drop a list marker, a sign before the number (`購物+`) and inner
    共/就, keep at most _MAX_METRIC characters."""
    metric = metric.strip(_SPACE + "，,、：:").rstrip(_SPACE + _SIGNS)
    bullet = _BULLET.match(metric)
    metric = metric[bullet.end() :] if bullet else metric
    if "共" in metric or "就" in metric:
        metric = _INNER.sub("", metric)
    if len(metric) > _MAX_METRIC:
        metric = _QUOTED_LIST.sub("", metric)
    if len(metric) > _MAX_METRIC:  # keep the leading verbs and the head after the last 的/等
        verbs = 0
        while metric[verbs : verbs + 2] in _VERBS:
            verbs += 2
        k = max(metric.rfind("的"), metric.rfind("等"))
        tail = metric[k + 1 :] if 0 <= k < len(metric) - 2 else metric
        metric = (metric[:verbs] + tail)[-_MAX_METRIC:]
    return metric
