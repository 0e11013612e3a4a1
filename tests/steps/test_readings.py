"""Tests for `llm_extract.steps.numbers.readings`: every number read with a kind, and the
financial numerals folded by cleaning."""

from __future__ import annotations

import pytest

from llm_extract.steps.clean import clean
from llm_extract.steps.numbers import find_numbers
from llm_extract.steps.numbers.readings import is_statistic, read_numbers

R = tuple[str, int | float, str, str]  # surface, value, unit, kind


def _readings(text: str) -> list[R]:
    return [(m.surface, m.value, m.unit, m.kind) for m in read_numbers(text)]


KINDS: list[tuple[str, list[R]]] = [
    ("排名第三位，共5人", [("第三位", 3, "", "ordinal"), ("5人", 5, "人", "count")]),
    ("全國第1名", [("第1名", 1, "", "ordinal")]),
    ("第十四届全国人大", [("第十四届", 14, "", "ordinal")]),
    ("年满65岁的老人有300人", [("65岁", 65, "岁", "age"), ("300人", 300, "人", "count")]),
    ("廿四歲至四十九歲最多", [("廿四歲", 24, "岁", "age"), ("四十九歲", 49, "岁", "age")]),
    ("2019年11月13日发布", [("2019年11月13日", 2019, "年", "date")]),
    ("十一月十三日", [("十一月十三日", 11, "月", "date")]),
    ("今年11月", [("11月", 11, "月", "date")]),
    ("用时三分二十秒", [("三分二十秒", 200, "秒", "duration")]),
    ("耗時1天2小時", [("1天2小時", 93600, "秒", "duration")]),
    ("平均處理3小时20分钟", [("3小时20分钟", 12000, "秒", "duration")]),
    ("共3小时，另20分钟", [("3小时", 3, "小时", "count"), ("20分钟", 20, "分钟", "count")]),
    # a statistic stands where a reading would overlap it
    ("破获案件1.2万起", [("1.2万起", 12000, "起", "count")]),
    ("其中95后占36.8%", [("36.8%", 36.8, "%", "percent")]),
]


@pytest.mark.parametrize(("text", "expected"), KINDS, ids=[k[0] for k in KINDS])
def test_every_number_has_a_kind(text: str, expected: list[R]) -> None:
    assert _readings(text) == expected


@pytest.mark.parametrize("text", [k[0] for k in KINDS])
def test_the_statistics_are_what_find_numbers_finds(text: str) -> None:
    """The rule leaves exactly the statistics: ordinals, ages, dates, durations excluded."""
    kept = [m for m in read_numbers(text) if is_statistic(m)]
    assert kept == find_numbers(text)
    assert all(m.kind in ("ordinal", "age", "date") for m in read_numbers(text)
               if not is_statistic(m))  # fmt: skip


def test_offsets_point_at_the_surface() -> None:
    text = "截至2024年10月底，排名第二的城市共有65岁以上老人1.3万人，平均用时三分二十秒。"
    for m in read_numbers(text):
        assert text[m.start : m.end] == m.surface


FINANCIAL = [
    ("捐款壹萬貳仟元", "捐款一萬二千元", [("一萬二千元", 12000, "元")]),
    ("共計叁佰伍拾萬元", "共計三百五十萬元", [("三百五十萬元", 3500000, "元")]),
    ("人民币伍万元整", "人民币五万元整", [("五万元", 50000, "元")]),
    ("贰拾壹亿元", "二十一亿元", [("二十一亿元", 2100000000, "元")]),
    # a lone financial character is a word: 陆家嘴, 队伍, 大陸, 伍先生
    ("陆家嘴金融区", "陆家嘴金融区", []),
    ("队伍建设", "队伍建设", []),
    ("大陸地區", "大陸地區", []),
    ("伍先生说", "伍先生说", []),
]


@pytest.mark.parametrize(("raw", "folded", "expected"), FINANCIAL, ids=[f[0] for f in FINANCIAL])
def test_financial_numerals(raw: str, folded: str, expected: list[tuple]) -> None:
    cleaned = clean(raw, "txt")
    assert cleaned.text == folded
    found = [(m.surface, m.value, m.unit) for m in find_numbers(cleaned.text)]
    assert found == expected
    for m in find_numbers(cleaned.text):  # offsets map back to the financial numerals
        start, end = cleaned.to_original(m.start, m.end)
        assert len(raw[start:end]) == len(m.surface)
