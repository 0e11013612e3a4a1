"""The precision a figure is written at, and which two figures can be one number."""

from __future__ import annotations

import pytest

from llm_extract.facts.precision import compatible, tolerance, written_step


@pytest.mark.parametrize(
    ("value", "surface", "step"),
    [
        (2106000, "210.6万个", 1000),
        (2110000, "211万个", 10000),
        (2110000, "2,110,000个", 1),  # written out: every digit stands
        (28.5, "28.5%", 0.1),
        (-17.3, "下降17.3%", 0.1),
        (394000, "39.4 万起", 1000),
        (329100000000, "3291亿元", 100000000),
        (14109, "1萬4109", 1),  # two digit runs: the value's own trailing zeros
        (300000, "三十万", 100000),
        (2150000000, "２１.５亿条", 10000000),  # full-width digits
    ],
)
def test_written_step(value: float, surface: str, step: float) -> None:
    assert written_step(value, surface) == pytest.approx(step)


def reading(value: float, surface: str, approx: bool = False, value_max: float | None = None):
    return (value, value_max, tolerance(value, surface, approx))


def test_rounded_figures_are_compatible_and_different_ones_are_not() -> None:
    exact = reading(2106000, "210.6万个")
    assert compatible(exact, reading(2110000, "211万个"))
    assert not compatible(exact, reading(2300000, "230万个"))
    assert not compatible(exact, reading(2100000, "210万个"))  # 210.6 does not round to 210
    assert compatible(exact, reading(2100000, "210余万个", approx=True))  # 余: a whole step
    assert not compatible(reading(9, "9个月"), reading(10, "10个月"))  # ranges only touch
    assert compatible(reading(28.5, "28.5%"), reading(28.5, "28.5%"))


def test_ranges_are_compatible_end_by_end() -> None:
    low = reading(30000, "3至5万起", value_max=50000)
    assert compatible(low, reading(30000, "3万—5万起", value_max=50000))
    assert not compatible(low, reading(30000, "3至6万起", value_max=60000))
    assert not compatible(low, reading(30000, "3万起"))
