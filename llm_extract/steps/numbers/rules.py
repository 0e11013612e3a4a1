"""Context rules around a match: units and kinds, approximation markers, change verbs, and the
words, names, ranks and durations that only look like numbers (data: `lang/zh/units.toml`)."""

from __future__ import annotations

import re

from .values import _CN_DIGITS, _LANG, _U

_CURRENCY = dict(_U["currency"])
_SPELLING = dict(_U["spelling"])
_PERCENT_UNITS = set(_U["percent"]["units"])
_PER_BASE = _U["percent"]["per_base"]
_MONTHS = set(_U["duration"]["months"])
_MONEY = frozenset(_CURRENCY.values())
_SENTENCE_END = _LANG.sentence_end
_COMPARED = re.compile(r"较|較|比")
_STREAK = tuple(_U["duration"]["streak"])
_STREAK_ORDINAL = tuple(f"{w}第" for w in _STREAK)
_EVERY = frozenset(_U["duration"]["every"])
_SCOPE = _U["scope"]


def _scope_regex(pattern: str) -> re.Pattern[str]:
    """A scope regex of units.toml, with the kinds of place counted put in."""
    return re.compile(pattern.replace("{places}", _SCOPE["places"]))


_SCOPE_AFTER = _scope_regex(_SCOPE["after"])
_SCOPE_OVER = [(frozenset(o["units"]), _scope_regex(o["after"])) for o in _SCOPE["over"]]
_APPROX_BEFORE = tuple(_U["approx"]["before"])
_MARKERS = tuple(sorted(_APPROX_BEFORE, key=len, reverse=True))
_APPROX_AFTER = tuple(_U["approx"]["after"])
_LICENCE = ("共", "计", "計", "达", "達", "有")
# …and a space after a figure before a word, as between a headline's items (`按年升10.9% 留宿…`)
_BOUNDARY = re.compile(
    rf"(?s:.*)(?:[，{_LANG.sentence_ends}\n:：]|,(?![0-9])"
    r"|(?<=[%％0-9])[ \u3000](?=[^\x00-\x7f])(?![和及与與或、至到]))"
)
_VERBS = _U["change"]["verbs"]
_VERB_CLASS = {word: name for name, words in _VERBS.items() for word in words.split()}
_VERB_GUARDS = _U["change"]["guards"]
_VERB = re.compile(
    "|".join(w + _VERB_GUARDS.get(w, "") for w in sorted(_VERB_CLASS, key=len, reverse=True))
)
_CHANGE_NOUNS = frozenset(w for w in _VERB_CLASS if w.endswith("幅"))  # 升幅, 降幅, 漲幅
_LONG_GUARDS = {  # a guarded verb of two or more characters, and its guard
    w: (re.compile(re.escape(w)), re.compile(re.escape(w) + g))
    for w, g in _VERB_GUARDS.items()
    if len(w) > 1
}
_RANKING = re.compile(_U["change"]["ranking"]["after_verb"])
_CONTINUES = re.compile("|".join(_LANG.both(_U["change"]["ranking"]["continues"])))
_LEVEL = re.compile(r"至|到|为|為|占|佔|是")
_FILLER = re.compile(r"(?:[ \u00a0\u3000]|分别|分別|约|約|近|达|達|了|超|逾)*")
_GATES = ("上", *_APPROX_BEFORE)  # 超过百亿元, 上千人: 百/千 opening a figure after these
_STEM_ONLY = frozenset("一二两兩零〇○")
_COUNTED_BY_TWO = frozenset(_LANG.both(_U["readings"]["counted_by_two"]))
_MEASURES = frozenset(_U["measure"]["units"])
_APPROX_INSIDE = frozenset(_U["approx"]["inside"])
_TIME_WORDS = frozenset("年月日天岁歲号號时時")
_WINDOW = 32
_CLOCK_UNITS = frozenset(_U["clock"]["units"])
_CLOCK_BEFORE = tuple(_U["clock"]["before"])
_NOT_FIGURE_CLAUSE = re.compile(_U["not_figure"]["clause"])
_NOT_FIGURE_AFTER = re.compile(_U["not_figure"]["after"])
_DAYS_COUNTED = re.compile(_U["duration"]["days_counted"])
_PER_NUMBER = re.compile(r"每[^，,。；;]*?[\d一二三四五六七八九十两兩]")  # 每3小時就有…
_DESCRIBES = re.compile(f"(?![{_U['duration']['hours_go_on']}])[{_LANG.han}]")  # 24小時免付費
_EXCHANGE_BEFORE = re.compile(rf"(?:{_U['not_figure']['exchange']})[ \u3000]?$")
_EXCHANGE_AFTER = re.compile(rf"[ \u3000]?(?:约|約)?(?:{_U['not_figure']['exchange']})")
_AMONG_BEFORE = re.compile(_U["not_figure"]["among_before"])
_AMONG_AFTER = re.compile(_U["not_figure"]["among_after"])


def _unit_name(raw: str) -> str:
    head, slash, per = raw.replace("／", "/").partition("/")
    if slash:  # 万元/平方米 -> 元/平方米
        return f"{_unit_name(head)}/{per}"
    if raw in _CURRENCY:
        return _CURRENCY[raw]
    if raw in _SPELLING:
        return _SPELLING[raw]
    return "%" if raw in ("%", "％") else raw


def _one_of_a_rate(text: str, m: re.Match[str], before: str) -> bool:
    """`１５０００盾兑１美元`, `１美元兑换４０００盾`: one unit of a currency is a rate's base."""
    one = m["num"] in ("1", "１", "一") and _unit_name(m["unit"] or "") in _MONEY
    return one and bool(_EXCHANGE_BEFORE.search(before) or _EXCHANGE_AFTER.match(text, m.end()))


def _rejected(text: str, m: re.Match[str], before: str) -> bool:
    """Words, names, ranks and durations that look like numbers."""
    num = m["num"]
    if before.endswith("第") and not (m["streak"] and before.endswith(_STREAK_ORDINAL)):
        return True  # 第三名; but 连续第4个月 is a streak of four
    if _NOT_FIGURE_CLAUSE.search(clause_of(before)) or _NOT_FIGURE_AFTER.match(text, m.end()):
        return True  # a definition, a conversion, a survey's scope, a set phrase
    if _AMONG_BEFORE.search(clause_of(before)) and _AMONG_AFTER.match(text, m.end()):
        return True  # 在35个工业行业大类中: the set the statement ranges over
    if before.endswith("每") and m["unit"] not in _EVERY:
        return True  # 每10万人: a base, not a figure
    if m["unit"] in _EVERY and not before.endswith("每") and _DESCRIBES.match(text, m.end()):
        return True  # 24小時免付費熱線, 十五分鐘內: hours describing what follows
    if m["unit"] in _CLOCK_UNITS and before.rstrip().endswith(_CLOCK_BEFORE):
        return True  # 下午3点: a clock time
    whole = not any(p in (m["num"] or "") for p in ".．")  # 9.2天: an average, a figure
    if m["unit"] == "天" and whole and not _DAYS_COUNTED.search(_sentence_of(before)):
        return True  # 假期8天, 三十天: a duration setting a period, no figure
    if m["unit"] and _SCOPE_AFTER.match(text, m.end()):
        return True  # 41个城市平均优良天数比例为78.6%: the scope of the average
    over = any(m["unit"] in units and after.match(text, m.end()) for units, after in _SCOPE_OVER)
    if over and not before.endswith("有"):  # 已有７２个国家和地区的２４５０名运动员: counted
        return True  # 32个省考断面水质优良比例为87.5%, 十种有色金属产量, 118个县、市、区的8万户
    if num is None:
        return False
    if num in ("1", "一") and _PER_NUMBER.search(clause_of(before)):
        return True  # 每3.5名工作年齡人口扶養1名, 每2.9分鐘1人死亡: the ratio's one
    if _one_of_a_rate(text, m, before):
        return True  # １５０００盾兑１美元: the exchange rate's one
    after = text[m.start("num") + 1 : m.start("num") + 2]
    if num[0] in "百千" and not before.endswith(_GATES) and after not in _APPROX_INSIDE:
        return True  # 千家万户, 百姓
    if len(num) == 1 and not m["ax"] and m["lo"] is None:
        measured = m["unit"] in _MEASURES or m["unit"] in _PERCENT_UNITS
        two = num in "两兩" and m["unit"] in _COUNTED_BY_TWO  # 两名机组人员, 两次, 两项合同
        if num in _STEM_ONLY and not before.endswith(_LICENCE) and not measured and not two:
            return True  # 一起, 一人被骗, 二个 (but 一吨, 两公里, 一个百分点)
        if before.endswith("、") and before[-2:-1] in _CN_DIGITS:
            return True  # 分居二、三名
    return not m["unit"] and text[m.end() : m.end() + 1] in _TIME_WORDS  # 三千年前


def _sentence_of(before: str) -> str:
    """The text of `before` after its last sentence end."""
    ends = list(_SENTENCE_END.finditer(before))
    return before[ends[-1].end() :] if ends else before


def change_verbs(clause: str) -> list[re.Match[str]]:
    """The change verbs of a clause, longest first at each place. A verb its guard stops
    (`下跌个股`, `增加值`) stops the shorter verbs inside it too (`跌`, `增`)."""
    stopped = [
        (m.start(), m.end())
        for word, guard in _LONG_GUARDS.values()
        for m in word.finditer(clause)
        if not guard.match(clause, m.start())
    ]
    return [
        v
        for v in _VERB.finditer(clause)
        if not any(s <= v.start() and v.end() <= e and e - s > len(v.group()) for s, e in stopped)
    ]


def _change_sign(clause: str) -> int:
    """+1/-1 when a rise/fall verb governs a number that follows `clause`, else 0."""
    verbs = change_verbs(clause)
    if not verbs:
        return 0
    changes = [v for v in verbs if _VERB_CLASS[v.group()] in ("rise", "fall")]
    if changes and _RANKING.match(clause, changes[-1].end()):  # 減少最多為金門縣
        return 1 if _VERB_CLASS[changes[-1].group()] == "rise" else -1
    v = verbs[-1]
    acting = verbs[-2] if len(verbs) > 1 and verbs[-2].end() == v.start() else None
    if acting and v.group() in _CHANGE_NOUNS and _VERB_CLASS[acting.group()] in ("rise", "fall"):
        v = acting  # 拉低升幅0.09: the verb acting on the change, not the change named
    between = clause[v.end() :]
    if _LEVEL.search(between):
        return 0
    name = _VERB_CLASS[v.group()]
    if name == "weak":
        return 1 if _FILLER.fullmatch(between) else 0
    if name in ("more", "less"):
        if not _FILLER.fullmatch(between) or not _COMPARED.search(clause, 0, v.start()):
            return 0
        return 1 if name == "more" else -1
    return 1 if name == "rise" else -1


def clause_of(before: str) -> str:
    """The end of `before` (the text before a number) after its last clause boundary."""
    b = _BOUNDARY.match(before)
    return before[b.end() :] if b else before


def clause_sign(text: str, start: int) -> int:
    """The sign a change verb gives the number at `start`, read in its clause (0 if none)."""
    return _change_sign(clause_of(text[max(0, start - _WINDOW) : start].rstrip(" \u00a0\u3000")))


def _continues_ranking(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (between two figures of a sentence) continues a ranking."""
    return _CONTINUES.search(text, start, end) is not None


def _kind(unit: str, sign: int) -> str:
    if unit in _MONTHS:
        return "count"
    if sign:
        return "change"
    if unit in _PERCENT_UNITS or unit.startswith(_PER_BASE):
        return "percent"
    return "money" if unit.partition("/")[0] in _MONEY else "count"
