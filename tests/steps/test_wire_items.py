"""A file of several wire items: each opens with its dateline, which is cut; a period does not
carry from one item into the next, and each item's `今日`/`昨天` is its own dateline's day."""

from __future__ import annotations

from datetime import date

from llm_extract.config import RunOptions
from llm_extract.lang.zh.dateline import find_datelines
from llm_extract.pipeline import process_document
from llm_extract.steps.clean import clean, wire_items
from llm_extract.steps.ingest import Document

WIRE = (
    "亚洲汇市动态\n"
    "本报汉城１月１４日电记者王林昌报道：去年全国出口增长５％。今日首批５．３吨黄金空运出口。\n"
    "外汇储备达２０４亿美元。\n"
    "本报汉城１月１５日电记者王林昌报道：今日汉城股市综合指数以５０５．９８点收盘。\n"
    "交易量达１２９１８万股。\n"
)


def _stats() -> dict[str, tuple[str | None, str | None]]:
    doc = Document("w", "w.txt", WIRE, "txt", published="1998-01-15")
    record = process_document(doc, None, RunOptions(model="regex"))
    return {s.surface: (s.period, s.period_start) for s in record.stats}


def test_each_item_after_the_first_opens_where_its_dateline_was_cut() -> None:
    cleaned = clean(WIRE, "txt")
    starts = sorted(wire_items(cleaned))
    assert [cleaned.text[s : s + 6] for s in starts] == ["今日汉城股市"]


def test_a_period_carries_within_an_item_but_not_into_the_next() -> None:
    stats = _stats()
    assert stats["２０４亿美元"][0] == "去年"  # carried inside the first item
    assert stats["１２９１８万"][0] is None  # not the first item's 去年 (a day carries nowhere)


def test_today_in_each_item_is_the_day_of_its_dateline() -> None:
    stats = _stats()
    assert stats["５．３吨"] == ("今日", "1998-01-14")
    assert stats["５０５．９８点"] == ("今日", "1998-01-15")


def test_datelines_are_found_only_in_a_file_of_several_items() -> None:
    found = find_datelines(WIRE, date(1998, 1, 15))
    assert [day for _, day in found] == [date(1998, 1, 14), date(1998, 1, 15)]
    assert find_datelines("新华社北京１２月３０日电 全年增长５％。", date(1998, 1, 2)) == []
    one, other = "新华社北京１２月３０日电 …", "新华社上海１月２日电 …"
    assert [d for _, d in find_datelines(one + other, date(1998, 1, 2))] == [
        date(1997, 12, 30),
        date(1998, 1, 2),
    ]
