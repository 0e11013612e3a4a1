"""The precision a figure is written at, and whether two figures can be the same number."""

from __future__ import annotations

import math
import re

from ..lang.textnorm import fold
from ..records import Number

_DIGIT_RUN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _trailing_zero_step(value: float) -> float:
    scaled = round(abs(value) * 10**6)
    if scaled == 0:
        return 1.0
    exponent = -6
    while scaled % 10 == 0:
        scaled //= 10
        exponent += 1
    return 10.0**exponent


def written_step(value: Number, surface: str) -> float:
    """The size of the last digit written: 210.6万 → 1000, 211万 → 10000, 28.5% → 0.1.

    A surface with one run of Arabic digits tells it (its decimals times the magnitude the
    value carries: 万, 亿, …); otherwise (Chinese numerals, 1萬4109) the value's own trailing
    zeros do (三十万 → 100000).
    """
    runs = _DIGIT_RUN.findall(fold(surface))
    if len(runs) == 1:
        number = float(runs[0].replace(",", ""))
        if number and value:
            magnitude = 10.0 ** round(math.log10(abs(value) / number))
            decimals = len(runs[0].partition(".")[2])
            return magnitude * 10.0**-decimals
    return _trailing_zero_step(float(value))


def tolerance(value: Number, surface: str, approx: bool) -> float:
    """How far the true figure may lie from `value`: half a written step, a whole one when the
    text qualifies it (约, 余, 近, 超…)."""
    step = written_step(value, surface)
    return step if approx else step / 2


def compatible(
    a: tuple[Number, Number | None, float], b: tuple[Number, Number | None, float]
) -> bool:
    """Whether (value, value_max, tolerance) `a` and `b` can be one figure written twice:
    their ranges overlap by more than a point (9 and 10 at step 1 cannot both round one)."""
    (va, ma, ta), (vb, mb, tb) = a, b
    ends = ((va, vb), (va if ma is None else ma, vb if mb is None else mb))
    return all(abs(x - y) < ta + tb - 1e-9 * max(abs(x), abs(y), 1) for x, y in ends)
