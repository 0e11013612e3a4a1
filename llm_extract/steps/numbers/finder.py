"""The mention finder: `find_numbers` turns each scanner match into a `NumberMention` (value,
range, unit, kind, approximation, sign of a change); `parse_number` reads one numeral."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal

from .pattern import _PATTERN, _R, DURATION, DURATION_PART, UNITS
from .rules import (
    _APPROX_AFTER,
    _APPROX_BEFORE,
    _APPROX_INSIDE,
    _MARKERS,
    _MONEY,
    _MONTHS,
    _PERCENT_UNITS,
    _SENTENCE_END,
    _WINDOW,
    _change_sign,
    _continues_ranking,
    _kind,
    _rejected,
    _unit_name,
    clause_of,
    clause_sign,
)
from .values import (
    _LANG,
    _MAGNITUDES,
    _TO_ASCII,
    _U,
    _decimal,
    _numeral_range,
    _scale_of,
    _tidy,
)


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


def _cheng(m: re.Match[str]) -> tuple[Decimal, Decimal | None] | None:
    """`六成四六` → 64.6, `三成半` → 35, `七八成` → (70, 80), `6.5成` → 65, in percent."""
    tens = _decimal(m["c1"])
    frac = m["cf"] or ""
    if tens is None or (tens != tens.to_integral_value() and (frac or m["c2"])):
        return None  # 6.5成3 or 6.5七成: no such numeral
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


def _fraction(m: re.Match[str]) -> tuple[Decimal, Decimal | None, str] | None:
    """`三分之一`, `１／３` → 33.33 (percent); None unless a proper fraction."""
    top = _decimal(m["fn"] if m["fn"] is not None else m["an"])
    bottom = _decimal(m["fd"] if m["fn"] is not None else m["ad"])
    if top is None or not bottom or not 0 < top < bottom:
        return None
    return (top * 100 / bottom).quantize(Decimal("0.01")), None, "%"


def _main_value(m: re.Match[str]) -> tuple[Decimal, Decimal | None, str] | None:
    """(value, value_max, unit as written) of the main part of a match."""
    if m["pc"] is not None:
        v = _decimal(m["pc"])
        return None if v is None else (v, None, "%")
    if m["fn"] is not None or m["an"] is not None:
        return _fraction(m)
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


def _with_low(
    m: re.Match[str], value: Decimal, value_max: Decimal | None, raw_unit: str
) -> tuple[Decimal, Decimal | None, int]:
    """Fold the lower end of `3至5万`, `3.34%~3.4%`, `四成至1.8倍`, `550億美元至570億美元` into
    the mention."""
    low = m["lo"]
    if unit := m["lun"] or m["lcur"]:  # the unit repeated: 550億美元至570億美元, 35元至40元
        low = low[: -len(unit)].rstrip(" \u00a0\u3000")
    lo = _decimal(low[:-1] if m["loc"] or m["lou"] else low)
    if lo is None or value_max is not None:
        return value, value_max, m.start("main")
    if m["loc"]:
        lo *= 10
        value *= 100 if raw_unit == "倍" else 1
    elif m["ch"] is not None:
        lo *= 10  # 三至四成
    elif not m["lou"] and not any(c in low for c in _MAGNITUDES):
        lo *= _scale_of(m["num"] or "")
    if lo >= value:
        return value, None, m.start("main")
    return lo, value, m.start()


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
    clause = clause_of(before)
    if not unit and clause.endswith("人次"):
        unit = "人次"
    sign = 0 if unit in _MONTHS or m["streak"] else _change_sign(clause)  # a streak
    written = m["sign"] or _plus_before(text, start)
    if sign < 0 and not written:  # a written sign (减少1512人（-15.99%）) is not flipped
        value, value_max = -value, None if value_max is None else -value_max
    approx = (
        before.removesuffix("每").endswith(_APPROX_BEFORE)  # 约3万, 約每5.4分鐘
        or (before.endswith("上") and text[m.start("main")] in "百千" + _MAGNITUDES)
        or not _APPROX_INSIDE.isdisjoint(text[start:end])
        or text[end : end + 2] in _APPROX_AFTER
    )
    top = None if value_max is None else _tidy(value_max)
    # a percent with a written sign is a change (`購物+9.9%`, `分別錄得-12.3%`)
    kind = _kind(unit, sign or int(bool(written) and unit in _PERCENT_UNITS))
    return NumberMention(text[start:end], start, end, _tidy(value), top, unit, kind, approx)


def _inherit(text: str, prev: NumberMention | None, cur: NumberMention) -> NumberMention:
    """A unit-less `廿三億四千多萬` after `九億兩千多萬元` in one sentence takes its unit; a
    counter's unit passes only to a change of the figure (`48.91亿人次，同比增加23.61亿`) or
    to the next item of a list (`3.2万起、2.1万`)."""
    if cur.unit or prev is None or not prev.unit or prev.unit in _PERCENT_UNITS:
        return cur
    if prev.unit in _MONTHS or _SENTENCE_END.search(text, prev.end, cur.start):
        return cur
    listed = _JOINED.fullmatch(text, prev.end, cur.start)
    if prev.unit not in _MONEY and cur.kind != "change" and not listed:
        return cur  # `全国14省旅游收入超百亿`: a counter passes only down a list
    kind = "money" if cur.kind == "count" and prev.unit in _MONEY else cur.kind
    return replace(cur, unit=prev.unit, kind=kind)


_SECOND = "次之"  # `臺中市1萬8,476人次之`: second, after the figure


def _second_of_series(text: str, prev: NumberMention | None, cur: NumberMention) -> NumberMention:
    """`…人次之` is a figure in 人 and 次之 (second), unless the figure before it in the sentence
    counts 人次 (`越南籍最多，達二七四人次，馬來西亞籍六十三人次之`): then the 次 is shared."""
    if prev is None or not text.startswith(_SECOND, cur.end) or prev.unit != cur.unit + "次":
        return cur
    if _SENTENCE_END.search(text, prev.end, cur.start):
        return cur
    return replace(cur, surface=cur.surface + "次", end=cur.end + 1, unit=prev.unit)


def _ranked(text: str, prev: NumberMention | None, cur: NumberMention) -> NumberMention:
    """`減少最多為金門縣2.91%，其次為台北市2.10%`: a ranking of falls, stated once, keeps
    its sign for the figures that continue it in the sentence."""
    if prev is None or prev.kind != "change" or prev.value >= 0 or cur.kind == "change":
        return cur
    if cur.unit != prev.unit or cur.value < 0 or _SENTENCE_END.search(text, prev.end, cur.start):
        return cur
    if not _continues_ranking(text, prev.end, cur.start):
        return cur
    return _as_fall(cur)


def _plus_before(text: str, start: int) -> bool:
    """A written `+` before the number at `start` (the scanner's sign is a minus only)."""
    return text[start - 1 : start] in ("+", "＋")


def _as_fall(m: NumberMention) -> NumberMention:
    """`m` read as a fall: its value (and top) negated, its kind a change."""
    top = None if m.value_max is None else -m.value_max
    return replace(m, value=-m.value, value_max=top, kind="change")


_MINUS = "-−－负負"
_JOINERS = "|".join(_LANG.both(_U["coordination"]["joiners"]))
_BARE_BEFORE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)[ \u3000]*(?:{_JOINERS})[ \u3000]*[+＋]?$")
_JOINED = re.compile(rf"[ \u3000]*(?:{_JOINERS})[ \u3000]*")


def _coordinated(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Figures joined by 和/及/、 share the last one's unit and a stated change's sign:
    `低0.6和0.2個百分點` gives -0.6 and -0.2 個百分點 (the bare 0.6 is read, not missed),
    `低0.01个和0.05个百分点` gives -0.01 and -0.05 个百分点."""
    out: list[NumberMention] = []
    for k in range(len(found) - 1, -1, -1):  # right to left: a list takes its last unit
        cur, nxt = found[k], out[-1] if out else None
        out.append(_shared_unit(cur, nxt) if nxt and _joined(text, cur, nxt) else cur)
        floor = found[k - 1].end if k else 0
        while (bare := _bare_before(text, out[-1], floor)) is not None:
            out.append(bare)
    out.reverse()
    for k in range(1, len(out)):
        prev, cur = out[k - 1], out[k]
        if _shares_fall(text, prev, cur):
            out[k] = _as_fall(cur)
    return out


def _shares_fall(text: str, prev: NumberMention, cur: NumberMention) -> bool:
    """`低0.6和0.2個百分點`: a figure joined to a fall, in its unit, unsigned, falls too
    (unless the fall is a written minus)."""
    if prev.kind != "change" or not prev.value < 0 < cur.value or cur.unit != prev.unit:
        return False
    if text[prev.start] in _MINUS:  # `分别增长5.9%、-8.3%、3.2%`: a written minus is its own
        return False
    return not _plus_before(text, cur.start) and _joined(text, prev, cur)


def _joined(text: str, a: NumberMention, b: NumberMention) -> bool:
    return _JOINED.fullmatch(text, a.end, b.start) is not None


def _shared_unit(cur: NumberMention, nxt: NumberMention) -> NumberMention:
    """`0.01个` before `和0.05个百分点` is 0.01 个百分点."""
    if cur.unit == nxt.unit or not nxt.unit.startswith(cur.unit):
        return cur
    kind = "change" if cur.kind == "change" else _kind(nxt.unit, 0)
    return replace(cur, unit=nxt.unit, kind=kind)


def _bare_before(text: str, nxt: NumberMention, floor: int) -> NumberMention | None:
    """A unit-less figure after `floor` joined to `nxt` (`0.6和0.2個百分點`), read with nxt's
    unit; not where nxt has a magnitude the bare figure might share (`1.5和2万元`)."""
    if not nxt.unit or nxt.unit in _MONTHS or any(c in nxt.surface for c in _MAGNITUDES):
        return None
    m = _BARE_BEFORE.search(text, max(floor, nxt.start - 24), nxt.start)
    if m is None or text[max(0, m.start(1) - 1) : m.start(1)] == "第":
        return None
    value = _decimal(m[1])
    if value is None:
        return None
    sign = clause_sign(text, m.start(1))
    value = -value if sign < 0 else value
    kind = _kind(nxt.unit, sign)
    return NumberMention(m[1], m.start(1), m.end(1), _tidy(value), None, nxt.unit, kind, False)


_SECONDS = [(re.compile(f"(?:{word})$"), seconds) for word, seconds in _R["duration"]]


def _duration(m: re.Match[str]) -> NumberMention | None:
    """`三分二十秒` → 200 seconds: parts largest first, each once; else not a duration."""
    total, last = Decimal(0), None
    for part in DURATION_PART.finditer(m.group()):
        seconds = next(s for word, s in _SECONDS if word.match(part["w"]))
        value = _decimal(part["n"])
        if value is None or (last is not None and seconds >= last):
            return None
        total, last = total + value * seconds, seconds
    return NumberMention(m.group(), m.start(), m.end(), _tidy(total), None, "秒", "duration", False)


def _with_durations(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """A compound duration replaces the mentions of its parts (`3小时20分钟` is one figure)."""
    durations = [d for m in DURATION.finditer(text) if (d := _duration(m)) is not None]
    if not durations:
        return found
    kept = [f for f in found if not any(d.start <= f.start < d.end for d in durations)]
    return sorted(kept + durations, key=lambda f: f.start)


_RATIO = _U["ratio"]
_RATIO_AFTER = "|".join(sorted(_RATIO["after"], key=len, reverse=True))
_RISE_FALL = "|".join(
    sorted((w for c in ("rise", "fall") for w in _U["change"]["verbs"][c].split()), key=len)[::-1]
)
_BARE_RATIO = re.compile(
    rf"(?:(?:{_RATIO_AFTER})|(?P<verb>{_RISE_FALL})(?P<to>至|到)?)(?:了|约|約)?[ \u3000]?"
    rf"(?P<n>(?<![\d.])(?:\d+\.\d+|(?P<grouped>\d{{1,3}}(?:,\d{{3}})+)))"
    rf"(?![\d.,%％:：]|[ \u3000]?[{_RATIO['not_before']}])"
)
_MEASURE_BEFORE = re.compile(rf"(?:{UNITS})$")  # 住客人次為1,296,480: the measure named
# …and the decimals joined to one (`分別為103.98及104.71`): the list goes on.
_JOINED_DECIMAL = re.compile(
    rf"[ \u3000]*(?:{_JOINERS})[ \u3000]*(?P<n>\d+\.\d+)"
    rf"(?![\d.,%％:：]|[ \u3000]?[{_RATIO['not_before']}])"
)


def _ratios(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Decimals with no unit after a copula or a rise/fall verb, where no mention stands:
    a ratio or an index (`性别比为105.07` percent, `下降6.8` a change in it, `升至170.94` its
    level), and the decimals joined to one (`分別為103.98及104.71`); and figures grouped in
    thousands, a count in the measure named before (`住客人次為1,296,480`)."""
    starts, extra = [f.start for f in found], []
    for m in _BARE_RATIO.finditer(text):
        start, end = m.span("n")
        if _mention_at(found, starts, start):
            continue  # inside a mention already read
        value = _decimal(m["n"])
        if value is None:
            continue
        change = m["verb"] and not m["to"]  # 升至170.94: the level reached, not a change
        sign = clause_sign(text, start) if change else 0
        value = -value if sign < 0 else value
        kind = "change" if change else "count" if m["grouped"] else "percent"
        unit = ""
        if m["grouped"] and (
            named := _MEASURE_BEFORE.search(text, max(0, m.start() - 8), m.start())
        ):
            unit = _unit_name(named.group())
        extra.append(NumberMention(m["n"], start, end, _tidy(value), None, unit, kind, False))
        while not m["grouped"] and (more := _JOINED_DECIMAL.match(text, end)):
            start, end = more.span("n")
            if (value := _decimal(more["n"])) is None or _mention_at(found, starts, start):
                break
            value = -value if sign < 0 else value
            extra.append(NumberMention(more["n"], start, end, _tidy(value), None, "", kind, False))
    return sorted(found + extra, key=lambda f: f.start) if extra else found


def _mention_at(found: list[NumberMention], starts: list[int], start: int) -> bool:
    """Whether a mention already read covers `start` (`found` in text order, `starts` theirs)."""
    k = bisect_right(starts, start) - 1
    return k >= 0 and found[k].end > start


def unit_reading(words: str) -> NumberMention | None:
    """How the number reader reads `1` + `words` when `words` is nothing but a unit (`亿元` →
    1e8 元 money, `個百分點`, `%`), else None."""
    found = find_numbers("1" + words)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(words) + 1:
        return found[0]
    return None


def find_numbers(text: str) -> list[NumberMention]:
    """Every statistic-like number mention in `text`, in order of start."""
    found: list[NumberMention] = []
    prev = None
    for m in _PATTERN.finditer(text):
        mention = _mention(text, m)
        if mention is not None:
            if not mention.unit:
                mention = _inherit(text, prev, mention)
            mention = _ranked(text, prev, mention)
            mention = _second_of_series(text, prev, mention)
            found.append(mention)
            prev = mention
    return _with_durations(text, _ratios(text, _coordinated(text, found)))


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
