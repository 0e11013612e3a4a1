"""Every number in a text, read with a kind.

`find_numbers` finds the statistics (count, money, percent, change, and compound durations
such as `三分二十秒`, in seconds). The other numbers an article holds are read here too, each
with its kind: ordinals (`第三名`), ages (`65岁`) and dates (`2019年11月13日`, `11月`).
`is_statistic` is the separate decision of which readings are statistics, so an ordinal or
an age is excluded by that rule rather than missed. The wording around the numerals is data
in `units.toml` (`[readings]`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal

from .finder import NumberMention, find_numbers
from .pattern import _numeral
from .values import _LANG, _decimal, _tidy

STATISTIC_KINDS = frozenset({"count", "money", "percent", "change", "duration"})

_R = _LANG.units["readings"]
_NUM = f"(?:{_numeral('')})"
# year, month, day: each optional, in this order; an empty match is no date
_DATE = "".join(f"(?:(?P<t{i}>{_NUM})(?:{word}))?" for i, word in enumerate(_R["date"]))

_OTHERS = re.compile(
    rf"(?P<ordinal>{_R['ordinal_before']}(?P<on>{_NUM}){_R['ordinal_after']})"
    rf"|(?P<age>(?P<an>{_NUM})(?:{_R['age']}))"
    rf"|(?=[^，。、；\s]*?(?:{'|'.join(_R['date'])}))(?P<date>{_DATE})"
)


def _reading(m: re.Match[str]) -> NumberMention | None:
    """The mention a match stands for: its kind, value and unit."""
    kind = m.lastgroup
    if kind is None or m.end() == m.start():
        return None
    if kind == "date":
        parts = [m[f"t{i}"] for i in range(len(_R["date"]))]
        first = next((p for p in parts if p), None)
        value = _decimal(first) if first else None
        unit = ("年", "月", "日")[parts.index(first)] if first else ""
        return None if value is None else _made(m, value, unit, kind)
    value = _decimal(m["on"] if kind == "ordinal" else m["an"])
    unit = "岁" if kind == "age" else ""
    return None if value is None else _made(m, value, unit, kind)


def _made(m: re.Match[str], value: Decimal, unit: str, kind: str) -> NumberMention:
    return NumberMention(m.group(), m.start(), m.end(), _tidy(value), None, unit, kind, False)


def is_statistic(mention: NumberMention) -> bool:
    """The rule deciding which readings are statistics: the kinds `find_numbers` gives."""
    return mention.kind in STATISTIC_KINDS


def read_numbers(text: str) -> list[NumberMention]:
    """Every number in `text` with its kind, in order of start: the statistics of
    `find_numbers`, and the ordinals, ages and dates where no statistic stands."""
    found = find_numbers(text)
    starts = [m.start for m in found]
    others = []
    for m in _OTHERS.finditer(text):
        reading = _reading(m)
        if reading is None:
            continue
        k = bisect_right(starts, reading.end - 1) - 1  # the last statistic starting inside
        if k >= 0 and found[k].end > reading.start:
            continue
        others.append(reading)
    return sorted(found + others, key=lambda r: r.start)
