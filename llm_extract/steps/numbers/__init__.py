"""Find statistic-like number mentions in Chinese article text (Simplified or Traditional).

`find_numbers` scans the text with one precompiled regex and does a little context work per
match: approximation markers, change verbs before the number, and the rules that reject dates,
ordinals, names and codes. `parse_number` turns a numeral string into its exact value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..lang import load_language

__all__ = ["NumberMention", "find_numbers", "parse_number"]


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number as it stands in the text; `text[start:end] == surface`."""

    surface: str
    start: int
    end: int
    value: int | float
    value_max: int | float | None
    unit: str
    kind: str
    approx: bool


# ---------------------------------------------------------------- numeral values

_LANG = load_language("zh")
_U = _LANG.units
_CN_DIGITS = _LANG.cn_digits
_TO_ASCII = str.maketrans(
    {
        **_LANG.fullwidth_digits,
        **{c: str(v) for c, v in _LANG.digits.items()},
        **{c: f"{v // 10}十" for c, v in _LANG.tens.items()},
        "萬": "万",
        "億": "亿",
        **dict.fromkeys(_LANG.decimal_points, "."),
        **dict.fromkeys(", \u00a0\u3000" + _U["approx"]["inside"]),
    }
)
_CN_SET = frozenset(_CN_DIGITS)
_SMALL = dict(_LANG.small_magnitudes)
_SIMPLE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(万?亿?)")
_SCALE = {"": Decimal(1), "万": Decimal(10**4), "亿": Decimal(10**8), "万亿": Decimal(10**12)}
_LARGE = (("亿", Decimal(10**8)), ("万", Decimal(10**4)))
_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)?|[十百千]|.")
_NEIGHBOURS = re.compile(r"([1-8])([2-9])([十百千万亿].*)")


def _small(s: str, chinese: bool) -> Decimal | None:
    """Value below 万: digit runs, 十百千 and a decimal part; None if malformed."""
    if _SMALL.keys().isdisjoint(s):
        return Decimal(s) if s and s.count(".") <= 1 and s.strip(".") == s else None
    total, last, run, zero = Decimal(0), 10**5, "", False
    for tok in _RUN.findall(s):
        if tok in _SMALL:
            mult = _SMALL[tok]
            if mult >= last or (chinese and (len(run) > 1 or "." in run)):
                return None  # 十百, 三三千, 三.五千
            total += (Decimal(run) if run else 1) * mult
            last, run = mult, ""
        elif tok[0].isdigit():
            zero = zero or tok[0] == "0"
            run = tok.lstrip("0") or ("" if "." not in tok else tok)
            if run.startswith("."):
                run = "0" + run
        else:
            return None
    if not run:
        return total
    head = run.split(".")[0]
    if chinese and len(head) > 1:
        return None
    if not zero and len(run) == 1 and last >= 100:  # 一千二 = 1200
        return total + Decimal(run) * last / 10
    return total + Decimal(run)


def _large(s: str, level: int, chinese: bool) -> Decimal | None:
    """Value of an ASCII-digit numeral with 万/亿 magnitudes, split at the first magnitude."""
    if level == len(_LARGE):
        return _small(s, chinese)
    ch, mult = _LARGE[level]
    i = s.find(ch)
    if i < 0:
        return _large(s, level + 1, chinese)
    head = _large(s[:i], level + 1, chinese) if i else Decimal(1)
    tail = s[i + 1 :]
    if head is None or not tail:
        return None if head is None else head * mult
    if len(tail) == 1 and tail in "123456789":  # 一万二 = 12000
        return head * mult + Decimal(tail) * mult / 10
    rest = None if ch in tail else _large(tail, level + 1, chinese)
    return None if rest is None else head * mult + rest


def _decimal(numeral: str) -> Decimal | None:
    """Exact value of a bare numeral (no sign, no unit)."""
    chinese = not _CN_SET.isdisjoint(numeral)
    s = numeral.translate(_TO_ASCII)
    simple = None if chinese else _SIMPLE.fullmatch(s)
    if simple is not None:
        return Decimal(simple[1]) * _SCALE[simple[2]]
    if not s:
        return None
    try:
        return _large(s, 0, chinese)
    except (InvalidOperation, ValueError):
        return None


def _numeral_range(numeral: str) -> tuple[Decimal, Decimal] | None:
    """`两三千` → (2000, 3000): two neighbouring Chinese digits before a magnitude."""
    if len(numeral) < 3 or numeral[0] not in _CN_DIGITS or numeral[1] not in _CN_DIGITS:
        return None
    m = _NEIGHBOURS.fullmatch(numeral.translate(_TO_ASCII))
    if m is None or int(m[2]) != int(m[1]) + 1:
        return None
    lo, hi = _large(m[1] + m[3], 0, True), _large(m[2] + m[3], 0, True)
    return (lo, hi) if lo is not None and hi is not None else None


def _tidy(value: Decimal) -> int | float:
    """int when integral, else float."""
    return int(value) if value == value.to_integral_value() else float(value)


# ---------------------------------------------------------------- the scanner

_SP = r"[ \u00a0\u3000]?"
_AD = "0-9０-９"
_ANUM = rf"[{_AD}]++(?:,[{_AD}]{{3}}(?![{_AD}]))*+(?:[.．][{_AD}]++)?+"
_SMALL_MAG = r"(?:十|百(?!分)|千(?![瓦克米]))"
_CRUN = rf"(?:[{_CN_DIGITS}廿卅]|{_SMALL_MAG})++(?:[.．点點][{_CN_DIGITS}]++)?+"
_SECTION = rf"(?:{_ANUM}{_SMALL_MAG}?|{_CRUN})"


def _numeral(tag: str) -> str:
    """Regex of a numeral: sections joined by 万/亿 (`2億2392萬`, `廿三億四千多萬`)."""
    mag = f"(?P<mag{tag}>[万萬亿億])" if tag else "[万萬亿億]"
    return (
        rf"(?:{_SECTION}|(?<=[上逾超近])[万萬亿億])"
        rf"(?:(?:{_SP}[多余餘])?{_SP}{mag}[万萬亿億]?(?:{_SECTION})?)*+"
    )


_UNITS = "|".join(_U["units"])
_CHENG = (
    r"(?P<c1>[0-9]{1,2}|[一二三四五六七八九十两兩])(?P<c2>[一二三四五六七八九])?"
    r"成(?![为為立功员員果本效绩績年都交不摄攝])"
    rf"(?P<cf>半|[0-9]{{1,2}}(?![0-9])|[{_CN_DIGITS}]{{1,2}}(?![成万萬亿億千百十]))?"
    r"(?P<cax>[多余餘])?"
)
_STARTS = rf"0-9０-９{_CN_DIGITS}十百千廿卅万萬亿億\-−－负負"
_SEP = rf"{_SP}[至到~～\-—－]{_SP}"
_LOW = (
    rf"(?P<lo>{_ANUM}(?P<lou>[%％])(?={_SEP}{_ANUM}[%％])"
    rf"|{_numeral('')}(?:(?P<loc>成)(?={_SEP}[0-9０-９.．{_CN_DIGITS}十]+(?:成|倍|[%％])))?)"
)
_PATTERN = re.compile(
    rf"(?=[{_STARTS}])"
    r"(?<![0-9０-９A-Za-z第每〇○零一二三四五六七八九十百千两兩廿卅万萬亿億.．])"
    r"(?<![0-9０-９][,·:：])"
    r"(?P<sign>(?<![0-9A-Za-z])[-−－]|[负負])?"
    rf"(?:{_LOW}{_SEP})?"
    r"(?P<main>"
    rf"百分之(?P<pc>{_SECTION})"
    rf"|(?P<ch>{_CHENG})"
    rf"|(?:(?<=[连連续續])|(?<=[连連续續][ \u00a0\u3000]))"
    rf"(?P<streak>{_ANUM}|{_CRUN})(?P<su>{_SP}[个個]?月)"
    rf"|(?P<num>{_numeral('m')})(?P<big>(?<=[万萬亿億千]))?(?P<ax>{_SP}[多余餘])?"
    rf"(?:{_SP}(?P<unit>{_UNITS}))?(?(unit)|(?(big)|(?!)))"
    r")"
)

_CURRENCY = dict(_U["currency"])
_PERCENT_UNITS = set(_U["percent"]["units"])
_MONTHS = set(_U["duration"]["months"])
_MONEY = frozenset(_CURRENCY.values())
_SENTENCE_END = _LANG.sentence_end
_COMPARED = re.compile(r"较|較|比")
_STREAK = tuple(_U["duration"]["streak"])
_APPROX_BEFORE = tuple(_U["approx"]["before"])
_MARKERS = tuple(sorted(_APPROX_BEFORE, key=len, reverse=True))
_APPROX_AFTER = tuple(_U["approx"]["after"])
_LICENCE = ("共", "计", "計", "达", "達", "有")
_BOUNDARY = re.compile(rf"(?s:.*)(?:[，{_LANG.sentence_ends}\n:：]|,(?![0-9]))")
_VERBS = _U["change"]["verbs"]
_VERB_CLASS = {word: name for name, words in _VERBS.items() for word in words.split()}
_VERB_GUARDS = _U["change"]["guards"]
_VERB = re.compile(
    "|".join(w + _VERB_GUARDS.get(w, "") for w in sorted(_VERB_CLASS, key=len, reverse=True))
)
_LEVEL = re.compile(r"至|到|为|為|占|佔|是")
_FILLER = re.compile(r"(?:[ \u00a0\u3000]|分别|分別|约|約|近|达|達|了|超|逾)*")
_GATES = ("上", "逾", "超", "近")
_STEM_ONLY = frozenset("一二两兩零〇○")
_APPROX_INSIDE = frozenset(_U["approx"]["inside"])
_TIME_WORDS = frozenset("年月日天岁歲号號时時")
_WINDOW = 32
_SCALE_CHARS = {**_LANG.magnitudes, "千": 1000}


def _unit_name(raw: str) -> str:
    if raw in _CURRENCY:
        return _CURRENCY[raw]
    return "%" if raw in ("%", "％") else raw


def _scale_of(numeral: str) -> Decimal:
    """Multiplier of the magnitude characters a numeral ends with (`5万` → 10000)."""
    mult, i = Decimal(1), len(numeral)
    while i and numeral[i - 1] in "万萬亿億千":
        mult *= _SCALE_CHARS[numeral[i - 1]]
        i -= 1
    return mult


def _cheng(m: re.Match[str]) -> tuple[Decimal, Decimal | None] | None:
    """`六成四六` → 64.6, `三成半` → 35, `七八成` → (70, 80), in percent."""
    tens = _decimal(m["c1"])
    if tens is None:
        return None
    frac = m["cf"] or ""
    extra = Decimal(5) if frac == "半" else Decimal(0)
    if frac and frac != "半":
        digits = frac.translate(_TO_ASCII)
        extra = Decimal(digits[0]) + (Decimal(digits[1:]) / 10 if digits[1:] else 0)
    if m["c2"]:
        hi = _decimal(m["c2"])
        if hi is None or frac or hi != tens + 1:
            return None
        return tens * 10, hi * 10
    return tens * 10 + extra, None


def _main_value(m: re.Match[str]) -> tuple[Decimal, Decimal | None, str] | None:
    """(value, value_max, unit as written) of the main part of a match."""
    if m["pc"] is not None:
        v = _decimal(m["pc"])
        return None if v is None else (v, None, "%")
    if m["ch"] is not None:
        got = _cheng(m)
        return None if got is None else (got[0], got[1], "%")
    if m["streak"] is not None:
        v = _decimal(m["streak"])
        return None if v is None else (v, None, m["su"].lstrip(" \u00a0\u3000"))
    num = m["num"]
    rng = _numeral_range(num)
    if rng is not None:
        return rng[0], rng[1], m["unit"] or ""
    v = _decimal(num)
    return None if v is None else (v, None, m["unit"] or "")


def _rejected(text: str, m: re.Match[str], before: str) -> bool:
    """Words, names, ranks and durations that look like numbers."""
    num = m["num"]
    if before.endswith("第"):
        return True
    if num is None:
        return False
    after = text[m.start("num") + 1 : m.start("num") + 2]
    if num[0] in "百千" and not before.endswith(_GATES) and after not in _APPROX_INSIDE:
        return True  # 千家万户, 百姓
    if len(num) == 1 and not m["ax"] and m["lo"] is None:
        if num in _STEM_ONLY and not before.endswith(_LICENCE):
            return True  # 一起, 一人被骗, 二个
        if before.endswith("、") and before[-2:-1] in _CN_DIGITS:
            return True  # 分居二、三名
    return not m["unit"] and text[m.end() : m.end() + 1] in _TIME_WORDS  # 三千年前


def _change_sign(clause: str) -> int:
    """+1/-1 when a rise/fall verb governs a number that follows `clause`, else 0."""
    verbs = list(_VERB.finditer(clause))
    if not verbs:
        return 0
    v = verbs[-1]
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


def _with_low(
    m: re.Match[str], value: Decimal, value_max: Decimal | None, raw_unit: str
) -> tuple[Decimal, Decimal | None, int]:
    """Fold the lower end of `3至5万`, `3.34%~3.4%`, `四成至1.8倍` into the mention."""
    low = m["lo"]
    lo = _decimal(low[:-1] if m["loc"] or m["lou"] else low)
    if lo is None or value_max is not None:
        return value, value_max, m.start("main")
    if m["loc"]:
        lo *= 10
        value *= 100 if raw_unit == "倍" else 1
    elif m["ch"] is not None:
        lo *= 10  # 三至四成
    elif not m["lou"] and not any(c in low for c in "万萬亿億"):
        lo *= _scale_of(m["num"] or "")
    if lo >= value:
        return value, None, m.start("main")
    return lo, value, m.start()


def _kind(unit: str, sign: int) -> str:
    if unit in _MONTHS:
        return "count"
    if sign:
        return "change"
    if unit in _PERCENT_UNITS:
        return "percent"
    return "money" if unit in _MONEY else "count"


def _mention(text: str, m: re.Match[str]) -> NumberMention | None:
    """The mention a regex match stands for, or None when context rules it out."""
    start, end = m.start(), m.end()
    before = text[max(0, start - _WINDOW) : start].rstrip(" \u00a0\u3000")
    if _rejected(text, m, before):
        return None
    got = _main_value(m)
    if got is None:
        return None
    value, value_max, raw_unit = got
    if m["lo"] is not None:
        value, value_max, start = _with_low(m, value, value_max, raw_unit)
    if m["sign"]:
        value = -value
    unit = "%" if m["loc"] and raw_unit == "倍" else _unit_name(raw_unit)
    b = _BOUNDARY.match(before)
    clause = before[b.end() :] if b else before
    if not unit and clause.endswith("人次"):
        unit = "人次"
    sign = 0 if unit in _MONTHS else _change_sign(clause)
    if sign < 0:
        value, value_max = -value, None if value_max is None else -value_max
    approx = (
        before.endswith(_APPROX_BEFORE)
        or (before.endswith("上") and text[m.start("main")] in "百千万萬亿億")
        or not _APPROX_INSIDE.isdisjoint(text[start:end])
        or text[end : end + 2] in _APPROX_AFTER
    )
    top = None if value_max is None else _tidy(value_max)
    kind = _kind(unit, sign)
    return NumberMention(text[start:end], start, end, _tidy(value), top, unit, kind, approx)


def _inherit(text: str, prev: NumberMention | None, cur: NumberMention) -> NumberMention:
    """A unit-less `廿三億四千多萬` after `九億兩千多萬元` in one sentence takes its unit."""
    if cur.unit or prev is None or not prev.unit or prev.unit in _PERCENT_UNITS:
        return cur
    if prev.unit in _MONTHS or _SENTENCE_END.search(text, prev.end, cur.start):
        return cur
    kind = "money" if cur.kind == "count" and prev.unit in _MONEY else cur.kind
    return NumberMention(
        cur.surface, cur.start, cur.end, cur.value, cur.value_max, prev.unit, kind, cur.approx
    )


def same_value(a: float | None, b: float | None) -> bool:
    """Two parsed values are the same number (relative tolerance 1e-9); None matches nothing."""
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def find_numbers(text: str) -> list[NumberMention]:
    """Every statistic-like number mention in `text`, in order of start."""
    found: list[NumberMention] = []
    prev = None
    for m in _PATTERN.finditer(text):
        mention = _mention(text, m)
        if mention is not None:
            if not mention.unit:
                mention = _inherit(text, prev, mention)
            found.append(mention)
            prev = mention
    return found


def parse_number(surface: str) -> float | None:
    """Value of a numeral string (`39.4万`, `一千二百万`, `九萬三三七九`); int when integral.

    A whole mention (`28.5%`, `六成四六`, `5200余起`) is read as `find_numbers` reads it.
    """
    s = surface.strip()
    for marker in _MARKERS:
        if s.startswith(marker) and len(s) > len(marker):
            s = s[len(marker) :]
            break
    sign = -1 if s[:1] in ("-", "−", "－", "负", "負") else 1
    value = _decimal(s[1:] if sign < 0 else s) if s else None
    if value is not None:
        return _tidy(sign * value)
    found = find_numbers(s)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(s):
        return found[0].value
    return None
