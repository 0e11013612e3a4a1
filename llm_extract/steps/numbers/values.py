"""Numeral values: a numeral string as written (`39.4万`, `一千二百万`, `九萬三三七九`,
`两三千`) to its exact `Decimal`, and the comparison of parsed values."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ...lang import load_language

_LANG = load_language("zh")
_U = _LANG.units
_CN_DIGITS = _LANG.cn_digits
_MAGNITUDES = "".join(_LANG.magnitudes)  # 万萬亿億
_SMALL = dict(_LANG.small_magnitudes)
_SMALL_CHARS = "".join(_SMALL)  # 十百千
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
# After `_TO_ASCII` the magnitudes are the Simplified 万 and 亿, and 兆.
_SIMPLE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(万?亿?|兆)")
_SCALE = {
    "": Decimal(1),
    "万": Decimal(10**4),
    "亿": Decimal(10**8),
    "万亿": Decimal(10**12),
    "兆": Decimal(10**12),
}
_LARGE = (("兆", Decimal(10**12)), ("亿", Decimal(10**8)), ("万", Decimal(10**4)))
_RUN = re.compile(rf"[0-9]+(?:\.[0-9]+)?|\.[0-9]+$|[{_SMALL_CHARS}]|.")
_NEIGHBOURS = re.compile(r"([1-8])([2-9])([十百千万亿].*)")
_SCALE_CHARS = {**_LANG.magnitudes, "千": _SMALL["千"]}


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
        elif tok[0] == "." and len(tok) > 1 and not run and total:
            return total + Decimal("0" + tok)  # 三十点五 = 30.5: a decimal part ends it
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


def _scale_of(numeral: str) -> Decimal:
    """Multiplier of the magnitude characters a numeral ends with (`5万` → 10000)."""
    mult, i = Decimal(1), len(numeral)
    while i and numeral[i - 1] in _SCALE_CHARS:
        mult *= _SCALE_CHARS[numeral[i - 1]]
        i -= 1
    return mult


def _tidy(value: Decimal) -> int | float:
    """int when integral, else float."""
    return int(value) if value == value.to_integral_value() else float(value)


def same_value(a: float | None, b: float | None) -> bool:
    """Two parsed values are the same number (relative tolerance 1e-9); None matches nothing."""
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
