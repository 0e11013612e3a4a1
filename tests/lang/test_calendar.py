"""Period wording to ISO dates (lang.zh.calendar) and publication dates (lang.zh.dateline)."""

from __future__ import annotations

from datetime import date

import pytest

from llm_extract.lang.zh.calendar import compared_with, is_quarter, resolve_period, steps_back
from llm_extract.lang.zh.dateline import find_published, find_stated
from llm_extract.lang.zh.numerals import arabic
from llm_extract.lang.zh.script import to_simplified, to_traditional
from llm_extract.paths import shared_dir

NOV25 = date(2025, 11, 25)  # a Tuesday


def case(*rows: tuple) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("period", "published", "start", "end"), rows)


@case(
    ("2019年", NOV25, "2019-01-01", "2019-12-31"),
    ("二〇二四年", NOV25, "2024-01-01", "2024-12-31"),
    ("今年", NOV25, "2025-01-01", "2025-12-31"),
    ("本年", NOV25, "2025-01-01", "2025-12-31"),
    ("去年", NOV25, "2024-01-01", "2024-12-31"),
    ("上年", NOV25, "2024-01-01", "2024-12-31"),
    ("前年", NOV25, "2023-01-01", "2023-12-31"),
    ("全年", NOV25, "2025-01-01", "2025-12-31"),
    ("去年全年", NOV25, "2024-01-01", "2024-12-31"),
    ("2017年至2021年", NOV25, "2017-01-01", "2021-12-31"),
    ("2019-2021年", NOV25, "2019-01-01", "2021-12-31"),
    ("民國113年", NOV25, "2024-01-01", "2024-12-31"),
    ("今（114）年11月", date(2025, 12, 10), "2025-11-01", "2025-11-30"),
    ("今年 (2019年) 第1季", None, "2019-01-01", "2019-03-31"),
    ("“十四五”时期", None, "2021-01-01", "2025-12-31"),
    ("“八五”期间", None, "1991-01-01", "1995-12-31"),
    ("“十五”计划期间", None, "2001-01-01", "2005-12-31"),
    ("十五五时期", None, "2026-01-01", "2030-12-31"),
    ("刚刚过去的一年里", date(1998, 1, 6), "1997-01-01", "1997-12-31"),
    ("过去的一年", date(1998, 1, 6), "1997-01-01", "1997-12-31"),
)
def test_years(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("今年1月至8月", NOV25, "2025-01-01", "2025-08-31"),
    ("1-8月", NOV25, "2025-01-01", "2025-08-31"),
    ("1至8月", NOV25, "2025-01-01", "2025-08-31"),
    ("今年第一至第三季", NOV25, "2025-01-01", "2025-09-30"),  # a span of quarters
    ("去年第1至2季度", NOV25, "2024-01-01", "2024-06-30"),
    ("1—2月", date(2022, 3, 29), "2022-01-01", "2022-02-28"),
    ("一月到十月份", NOV25, "2025-01-01", "2025-10-31"),
    ("今年一至十月", date(2024, 11, 14), "2024-01-01", "2024-10-31"),
    ("今年1至2月份", date(2024, 3, 18), "2024-01-01", "2024-02-29"),  # leap year
    ("2月份", date(2024, 3, 18), "2024-02-01", "2024-02-29"),
    ("2月份", date(2023, 3, 18), "2023-02-01", "2023-02-28"),
    ("2月份", date(2100, 3, 18), "2100-02-01", "2100-02-28"),  # no leap day in 2100
    ("2000年2月", None, "2000-02-01", "2000-02-29"),
    ("十月份", NOV25, "2025-10-01", "2025-10-31"),
    ("2023年1月至今年5月", date(2024, 6, 25), "2023-01-01", "2024-05-31"),
    ("去年6月至今年3月", date(2022, 5, 11), "2021-06-01", "2022-03-31"),
    ("12月至2月", date(2025, 3, 20), "2024-12-01", "2025-02-28"),
    ("前5个月", date(2019, 6, 10), "2019-01-01", "2019-05-31"),
    ("前5個月", date(2019, 6, 10), "2019-01-01", "2019-05-31"),
    ("2019年前5个月", None, "2019-01-01", "2019-05-31"),
    ("首兩月", date(2024, 3, 18), "2024-01-01", "2024-02-29"),
    ("前两个月", date(2024, 3, 13), "2024-01-01", "2024-02-29"),
)
def test_months_and_month_ranges(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("11月", date(2025, 1, 10), "2024-11-01", "2024-11-30"),
    ("一至十一月", date(2025, 1, 10), "2024-01-01", "2024-11-30"),
    ("12月份", date(2025, 12, 31), "2025-12-01", "2025-12-31"),
    ("一季度", date(2024, 2, 9), "2023-01-01", "2023-03-31"),  # not over: last year's
    ("一季度", date(2024, 4, 15), "2024-01-01", "2024-03-31"),
)
def test_a_span_later_than_publication_is_last_years(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("一至十一月", NOV25, "2025-01-01", "2025-11-25"),  # a running total ends on the day
    ("11月", NOV25, "2025-11-01", "2025-11-25"),
    ("今年以来", date(2019, 12, 19), "2019-01-01", "2019-12-19"),
    ("2021年以来", date(2022, 8, 20), "2021-01-01", "2022-08-20"),
    ("2019年以來", date(2020, 1, 18), "2019-01-01", "2020-01-18"),
    ("自2020年10月以来", date(2021, 9, 15), "2020-10-01", "2021-09-15"),
    ("去年 6 月至今", date(2022, 4, 14), "2021-06-01", "2022-04-14"),
    ("今年1月開始迄今", date(2024, 10, 24), "2024-01-01", "2024-10-24"),
    ("今年年初以來", NOV25, "2025-01-01", "2025-11-25"),
    ("一年来", date(2022, 4, 14), "2021-04-15", "2022-04-14"),
    ("兩年來", NOV25, "2023-11-26", "2025-11-25"),
    ("近3个月", NOV25, "2025-08-26", "2025-11-25"),
    ("2021年該市打擊電信詐騙行動開展以來", date(2022, 5, 13), None, "2022-05-13"),
    ("自2023年10月啟用以來", date(2025, 3, 17), "2023-10-01", "2025-03-17"),  # the event's date
    ("自去年10月起", date(2025, 7, 15), "2024-10-01", "2025-07-15"),  # from then on
    ("从7月开始", date(2025, 7, 15), "2025-07-01", "2025-07-15"),
    ("自明年1月起", date(2025, 7, 15), "2026-01-01", None),  # not yet begun: no end
    ("近年", date(2025, 7, 15), None, None),  # recent: no span to fix
    ("2月15日（星期六）", date(2025, 3, 17), "2025-02-15", "2025-02-15"),  # a day, its weekday
    ("3月首兩周", date(2025, 3, 17), "2025-03-01", "2025-03-14"),  # a month's first weeks
    ("至今", date(2023, 2, 15), None, "2023-02-15"),
    ("一年来", None, None, None),
    ("“十四五”以来", date(2025, 3, 6), "2021-01-01", "2025-03-06"),
    ("过去一年", date(2024, 11, 28), "2023-11-29", "2024-11-28"),
    ("过去7天", NOV25, "2025-11-19", "2025-11-25"),  # days count back from the day
    ("過去七天（十一月十二日至十八日）", NOV25, "2025-11-12", "2025-11-18"),  # its days
    ("截至十一月十八日的過去七天", NOV25, "2025-11-12", "2025-11-18"),
)
def test_open_periods_end_on_the_reference_day(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("一季度", NOV25, "2025-01-01", "2025-03-31"),
    ("第三季度", NOV25, "2025-07-01", "2025-09-30"),
    ("三季度", NOV25, "2025-07-01", "2025-09-30"),
    ("今年第三季", date(2023, 11, 10), "2023-07-01", "2023-09-30"),
    ("2023年第4季", None, "2023-10-01", "2023-12-31"),
    ("首季", date(2019, 4, 20), "2019-01-01", "2019-03-31"),
    ("今年首3季", NOV25, "2025-01-01", "2025-09-30"),
    ("前三季度", NOV25, "2025-01-01", "2025-09-30"),
    ("2023年Q3", None, "2023-07-01", "2023-09-30"),
    ("上半年", NOV25, "2025-01-01", "2025-06-30"),
    ("2024年下半年", None, "2024-07-01", "2024-12-31"),
)
def test_quarters_and_halves(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("截至11月底", date(2025, 12, 10), None, "2025-11-30"),
    ("截至11月底止", date(2025, 12, 10), None, "2025-11-30"),
    ("2月末", date(2024, 3, 13), None, "2024-02-29"),
    ("截至2023年底", NOV25, None, "2023-12-31"),
    ("上年末", NOV25, None, "2024-12-31"),
    ("三季度末", NOV25, None, "2025-09-30"),
    ("截至目前", date(2022, 5, 13), None, "2022-05-13"),
    ("目前", date(2022, 8, 20), None, "2022-08-20"),
    ("截至12月初", date(2019, 12, 20), None, None),  # a vague point
    ("截至今年8月底的3個月", date(2025, 9, 20), "2025-06-01", "2025-08-31"),
)
def test_points(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("十一月十三日", date(2024, 11, 14), "2024-11-13", "2024-11-13"),
    ("2月20日", date(2026, 2, 22), "2026-02-20", "2026-02-20"),
    ("2024年2月29日", None, "2024-02-29", "2024-02-29"),
    ("11月1日至15日", NOV25, "2025-11-01", "2025-11-15"),
    ("周五", date(2023, 2, 15), "2023-02-17", "2023-02-17"),
    ("星期一", NOV25, "2025-11-24", "2025-11-24"),
    ("今天", NOV25, "2025-11-25", "2025-11-25"),
    ("昨天", date(1998, 1, 17), "1998-01-16", "1998-01-16"),
    ("今天上午", date(1998, 1, 22), "1998-01-22", "1998-01-22"),
    ("昨晚", date(1998, 3, 1), "1998-02-28", "1998-02-28"),
    ("２日", date(1998, 1, 2), "1998-01-02", "1998-01-02"),  # a day alone: this month's
    ("30日", date(1997, 12, 31), "1997-12-30", "1997-12-30"),
    ("30日", date(1998, 1, 2), "1997-12-30", "1997-12-30"),  # …or, still to come, last month's
    ("31日", date(1998, 3, 2), None, None),  # no 31 February
    ("2015年“十一”黄金周", None, "2015-10-01", "2015-10-07"),
    ("國慶黃金周期間", date(2015, 10, 13), "2015-10-01", "2015-10-07"),
    ("国庆中秋假期", date(2024, 10, 8), "2024-10-01", "2024-10-07"),
    ("中秋國慶假期", date(2024, 10, 8), "2024-10-01", "2024-10-07"),
    ("今（113）年1至10月", date(2024, 11, 28), "2024-01-01", "2024-10-31"),
)
def test_single_days_and_holidays(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("上月", NOV25, "2025-10-01", "2025-10-31"),
    ("上個月", date(2025, 1, 10), "2024-12-01", "2024-12-31"),
    ("本月", date(2024, 2, 10), "2024-02-01", "2024-02-29"),
    ("上一季", NOV25, "2025-07-01", "2025-09-30"),
    ("季内", date(2023, 11, 10), "2023-07-01", "2023-09-30"),  # the last quarter ended
)
def test_relative_months_and_quarters(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


def test_a_holiday_with_its_days_in_brackets_and_the_first_month():
    assert resolve_period("中秋假期（9月15日至17日）", date(2024, 9, 18)) == (
        "2024-09-15",
        "2024-09-17",
    )
    assert resolve_period("首月", date(2025, 2, 14)) == ("2025-01-01", "2025-01-31")


def test_a_fiscal_year_runs_from_april_and_a_bracket_of_months_gives_a_seasons_days():
    jan25 = date(2025, 1, 20)
    assert resolve_period("2024/25財政年度", jan25) == ("2024-04-01", "2025-03-31")
    assert resolve_period("2024-25年度上半年", jan25) == ("2024-04-01", "2024-09-30")
    assert resolve_period("2024/25财政年度第3季", jan25) == ("2024-10-01", "2024-12-31")
    assert resolve_period("2024/26財政年度", jan25) == (None, None)  # no split year
    assert resolve_period("2024/25財政年度上半年（即去年4月至9月）", jan25) == (
        "2024-04-01",
        "2024-09-30",
    )
    assert resolve_period("汛期（4月至9月）", date(2025, 3, 1), ("2024-01-01", "2024-12-31")) == (
        "2024-04-01",
        "2024-09-30",
    )
    assert resolve_period("汛期", date(2025, 3, 1)) == (None, None)  # no days given


def test_easter_runs_from_good_friday_to_easter_monday_of_its_year():
    march25 = date(2025, 3, 17)
    assert resolve_period("復活節假期期間", march25) == ("2025-04-18", "2025-04-21")
    assert resolve_period("去年復活節", march25) == ("2024-03-29", "2024-04-01")
    assert resolve_period("2019年复活节假期", None) == ("2019-04-19", "2019-04-22")
    assert resolve_period("复活节", None) == (None, None)  # no year to count it in


def test_a_month_of_last_year_is_a_look_back():
    assert steps_back("上年12月份") and steps_back("去年同期") and not steps_back("去年")


def test_a_plan_still_to_come_gives_no_year_to_the_dates_after_it():
    plan = ("2025-01-01", "2025-01-31")  # 明年一月, stated on 2024-11-20
    assert resolve_period("十一月十二日至十八日", date(2024, 11, 20), plan) == (
        "2024-11-12",
        "2024-11-18",
    )


def test_the_first_days_of_a_year():
    assert resolve_period("今年首20日", date(2025, 1, 21)) == ("2025-01-01", "2025-01-20")
    assert resolve_period("2024年前十天", None) == ("2024-01-01", "2024-01-10")


def test_a_whole_year_told_in_its_first_months_is_the_year_just_ended():
    assert resolve_period("全年", date(2025, 1, 15)) == ("2024-01-01", "2024-12-31")
    assert resolve_period("全年", date(2025, 2, 28)) == ("2024-01-01", "2024-12-31")
    assert resolve_period("全年", date(2025, 5, 15)) == ("2025-01-01", "2025-12-31")
    assert resolve_period("过去一年", date(2025, 1, 22)) == ("2024-01-01", "2024-12-31")
    assert resolve_period("过去一年", date(2022, 4, 14)) == ("2021-04-15", "2022-04-14")
    # a year stated before it wins in any month
    assert resolve_period("全年", date(2025, 1, 15), ("2023-01-01", "2023-12-31")) == (
        "2023-01-01",
        "2023-12-31",
    )


def test_pointing_words_resolve_against_the_anchor():
    q3 = ("2023-07-01", "2023-09-30")
    assert resolve_period("同月", None, ("2024-10-01", "2024-10-31")) == (
        "2024-10-01",
        "2024-10-31",
    )
    assert resolve_period("季內", date(2024, 11, 22), q3) == q3
    assert resolve_period("期内", None, q3) == q3
    assert resolve_period("上一季", date(2023, 11, 10), q3) == ("2023-04-01", "2023-06-30")
    assert resolve_period("上月", None, ("2024-09-01", "2024-09-30")) == (
        "2024-08-01",
        "2024-08-31",
    )
    assert resolve_period("月末", None, ("2024-01-01", "2024-02-29")) == (None, "2024-02-29")
    # after several months (今年首3季), 上月 is the month before publication, not before Sept
    assert resolve_period("上月", date(2023, 11, 1), q3) == ("2023-10-01", "2023-10-31")
    assert resolve_period("上季", date(2023, 11, 1), ("2023-09-01", "2023-09-30")) == (
        "2023-07-01",
        "2023-09-30",
    )
    assert resolve_period("再往前一年", None, ("2018-01-01", "2018-12-31")) == (
        "2017-01-01",
        "2017-12-31",
    )
    assert resolve_period("去年同期", None, ("2024-01-01", "2024-02-29")) == (
        "2023-01-01",
        "2023-02-28",
    )
    assert resolve_period("全年", date(2023, 2, 15), ("2022-01-01", "2022-12-31")) == (
        "2022-01-01",
        "2022-12-31",
    )
    assert resolve_period("2月份", None, ("2024-01-01", "2024-12-31")) == (
        "2024-02-01",
        "2024-02-29",
    )  # a year-less month takes the anchor's year
    assert resolve_period("同月", NOV25) == (None, None)  # nothing to point to
    assert steps_back("上一季") and steps_back("去年同期")
    assert not steps_back("季内") and not steps_back("2019年")


@case(
    ("疫情前", NOV25, None, None),
    ("假日期间", NOV25, None, None),
    ("今年", None, None, None),  # no reference day: a relative year cannot be fixed
    ("11月", None, None, None),
    ("今天", None, None, None),
    ("13月", NOV25, None, None),
    ("2023年2月29日", NOV25, None, None),  # no such day
    ("0000年", NOV25, None, None),
    ("", NOV25, None, None),
    (None, NOV25, None, None),
)
def test_what_cannot_be_fixed_is_none(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


def test_chinese_numerals():
    assert arabic("十一月十三日") == "11月13日"
    assert arabic("廿五日") == "25日"
    assert arabic("二十五") == "25"
    assert arabic("二〇二四年") == "2024年"
    assert arabic("兩年") == "2年"


def test_compared_with_a_year_before():
    jan_feb = ("2024-01-01", "2024-02-29")
    assert compared_with(*jan_feb, "同比增长5.5%") == ("2023-01-01", "2023-02-28")
    assert compared_with(*jan_feb, "按年增長5.5%") == ("2023-01-01", "2023-02-28")
    assert compared_with("2023-01-01", "2023-02-28", "較上年同期上升") == (
        "2022-01-01",
        "2022-02-28",
    )
    assert compared_with("2025-02-01", "2025-02-28", "比去年同期增长") == (
        "2024-02-01",
        "2024-02-29",
    )
    assert compared_with(None, "2025-11-30", "与去年同月比较减少") == (None, "2024-11-30")
    assert compared_with("2026-02-20", "2026-02-20", "比2025年同期增长12.3%") == (
        "2025-02-20",
        "2025-02-20",
    )
    assert compared_with("2019-01-01", "2019-12-31", "比上年增长2.17%") == (
        "2018-01-01",
        "2018-12-31",
    )


def test_compared_with_the_span_before():
    assert compared_with("2024-02-01", "2024-02-29", "環比上漲0.03%") == (
        "2024-01-01",
        "2024-01-31",
    )
    assert compared_with("2025-01-01", "2025-01-31", "环比下降") == ("2024-12-01", "2024-12-31")
    assert compared_with("2024-03-01", "2024-03-31", "比上月增长") == ("2024-02-01", "2024-02-29")
    assert compared_with("2023-07-01", "2023-09-30", "經季節性調整後按季比較") == (
        "2023-04-01",
        "2023-06-30",
    )
    assert compared_with("2023-08-01", "2023-08-31", "月增3千人") == ("2023-07-01", "2023-07-31")
    assert compared_with("2026-02-20", "2026-02-20", "环比增长") == ("2026-02-19", "2026-02-19")
    assert compared_with(None, "2024-02-29", "环比") == (None, "2024-01-31")


def test_compared_with_the_last_basis_word_decides():
    jan = ("2017-01-01", "2017-01-31")
    assert compared_with(*jan, "CPI環比上漲1.0%，同比上漲") == ("2016-01-01", "2016-01-31")
    assert compared_with(*jan, "CPI同比上漲2.5%，環比上漲") == ("2016-12-01", "2016-12-31")
    assert compared_with(*jan, "CPI上漲1.0%") == (None, None)
    assert compared_with(None, None, "同比上升") == (None, None)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        (" date 2025-11-25 局長陳明君指出，十月份…", date(2025, 11, 25)),
        ("\n---\ntitle: 'x'\ndate: Thu, 14 Apr 2022 03:15:28 GMT\n---\n正文", date(2022, 4, 14)),
        ("---\ndate: 2021-03-02T10:00:00+08:00\n---\n正文", date(2021, 3, 2)),
        ("正在阅读:…\n来源:法治日报2022-05-11 09:39\n  正文", date(2022, 5, 11)),
        ("標題\n2020-01-18 15:27:27? ?來源:中國新聞網", date(2020, 1, 18)),
        ("自由時報 2023/09/22 主計總處今公布8月失業率", date(2023, 9, 22)),
        ("多部門發聲\n2022-04-15 記者 郭倩 北京報道", date(2022, 4, 15)),
        ("標題\n2024年6月25日 星期二\n正文", date(2024, 6, 25)),
        ("国庆假日旅游\n13.10.2015  12:28\n10月9日,国家旅游局", date(2015, 10, 13)),
        ("时间:2026-02-27 来源:中国新闻网\n中新网2月26日电 26日", date(2026, 2, 27)),
        ("甘肃网12月20日讯 记者19日获悉\n相关新闻\n- 2019-12-20暖心服务", date(2019, 12, 20)),
        ("本报澳门1月31日电 …\n相关新闻\n- 2017-12-28 旧闻", date(2018, 1, 31)),
        ("新华社北京10月21日电 最高法今天公布", None),  # no year anywhere
        ("2023年1月19日，公安部召开会议", None),  # an event in the body, not a header
        ("据海关统计,2019年前5个月", None),
        ("", None),
    ],
)
def test_find_published(text, published):
    assert find_published(text) == published


def test_find_stated():
    pub = date(2019, 12, 20)
    assert find_stated("中国甘肃网12月20日讯 记者19日从省公安厅获悉", pub) == date(2019, 12, 19)
    assert find_stated("記者4月14日從國新辦發布會上獲悉", date(2022, 4, 15)) == date(2022, 4, 14)
    assert find_stated("內政部今（10日）公布11月份", date(2025, 12, 10)) == date(2025, 12, 10)
    assert find_stated("彰化縣警察局今（二十五）日親自主持記者會", NOV25) == NOV25
    assert find_stated("主計總處昨(24)日公布9月失業率", date(2024, 10, 25)) == date(2024, 10, 24)
    assert find_stated("財政部昨公布8月出口", date(2025, 9, 10)) == date(2025, 9, 9)
    assert find_stated("國家能源局30日發布", date(2016, 4, 2)) == date(2016, 3, 30)  # month before
    assert find_stated("工信部今天举行发布会", pub) == pub
    assert find_stated("没有日期", pub) == pub
    assert find_stated("记者19日从", None) is None


@pytest.mark.parametrize(
    ("doc_id", "published"),
    [
        ("d01_gansu_gat_2019_dianzha", date(2019, 12, 20)),
        ("d02_gab_2019_nian_20wan_trad", date(2020, 1, 18)),
        ("d07_tw_changhua_police_2025_10_numerals", date(2025, 11, 25)),
        ("d14_hk_police_2022_annual_am730", date(2023, 2, 15)),
        ("d39_tw_dgbas_2023_08_unemployment_noise", date(2023, 9, 22)),
    ],
)
def test_find_published_on_real_articles(doc_id, published):
    path = shared_dir() / "articles" / f"{doc_id}.txt"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    assert find_published(path.read_text(encoding="utf-8")) == published


def test_a_real_article_end_to_end():
    path = shared_dir() / "articles" / "d01_gansu_gat_2019_dianzha.txt"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    text = path.read_text(encoding="utf-8")
    stated = find_stated(text, find_published(text))
    assert stated == date(2019, 12, 19)
    assert resolve_period("今年以来", stated) == ("2019-01-01", "2019-12-19")
    assert resolve_period("截至12月初", stated) == (None, None)


def test_a_period_since_an_event_ends_at_publication_and_has_no_known_start() -> None:
    assert resolve_period("自打擊詐騙專項行動開展以來", date(2023, 11, 1)) == (None, "2023-11-01")


def test_traditional_forms_keep_their_length() -> None:
    for word in ("月内", "当月", "假期期间", "同一时期"):
        trad = to_traditional(word)
        assert len(trad) == len(word) and to_simplified(trad) == word
    assert to_traditional("月内") == "月內"


def test_named_spans_are_periods_anywhere_and_other_pointing_words_open_a_clause() -> None:
    from llm_extract.lang.zh.periods import _CALENDAR, PERIOD

    words = _CALENDAR["words"]["pointing_anywhere"]
    kinds = {w for ws in _CALENDAR["pointing"].values() for w in ws}
    assert set(words) <= kinds  # each resolves (calendar.toml [pointing])

    def period(text: str) -> str | None:
        m = PERIOD.search(text)
        return m and m.group("p")

    for word in words:
        assert period(f"全市{word}立案") == word
        assert period(f"全市{to_traditional(word)}立案") == to_traditional(word)
    assert period("全市本月份立案") == "本月份" and period("全市同月份") == "同月份"
    assert period("全市同期立案") is None and period("，同期立案") == "同期"
    # after the subject, before its verb (calendar.toml pointing_after_subject)
    assert period("全市月内立案") == "月内" and period("警方同年查獲") == "同年"
    assert period("上证指数全月下跌") == "全月"
    assert period("本报讯近年来，全县") == "近年来"  # after a dateline
    assert period("與同年相比") is None and period("占同年全省总量") is None
    assert period("，月內立案") == "月內"


@pytest.mark.parametrize(
    ("text", "period", "span"),
    [
        ("，113年全國道路交通事故", "113年", ("2024-01-01", "2024-12-31")),  # a bare ROC year
        ("截至114年1月底，", "截至114年1月底", (None, "2025-01-31")),
        ("回顧113年全年，", "113年全年", ("2024-01-01", "2024-12-31")),
        ("二○二四年上半年本港", "二○二四年上半年", ("2024-01-01", "2024-06-30")),
        ("今年首季本港", "今年首季", ("2025-01-01", "2025-03-31")),
        ("二季度末M2", "二季度末", (None, "2024-06-30")),
        ("9月單月全臺", "9月單月", ("2024-09-01", "2024-09-30")),
        ("較112年的", None, None),  # a comparison's base
        ("建校100年前", None, None),  # a span of years, no ROC year
    ],
)
def test_periods_of_roc_and_chinese_digit_years_first_quarters_and_quarter_ends(
    text: str, period: str | None, span: tuple | None
) -> None:
    from llm_extract.lang.zh.periods import PERIOD

    m = PERIOD.search(text)
    assert (m and m.group("p")) == period
    if period:
        assert resolve_period(period, date(2025, 2, 26)) == span


def test_a_holiday_with_its_length_and_a_close_after_a_day() -> None:
    from llm_extract.lang.zh.periods import PERIOD

    ref = date(2025, 10, 8)
    assert PERIOD.search("，国庆中秋假期8天，全国")["p"] == "国庆中秋假期8天"
    assert resolve_period("国庆中秋假期8天", ref) == ("2025-10-01", "2025-10-08")
    assert resolve_period("国庆假期", ref) == ("2025-10-01", "2025-10-07")
    assert resolve_period("截至11月28日收盘", date(2025, 12, 1)) == (None, "2025-11-28")
    assert PERIOD.search("降幅较前三季度收窄") is None  # after 较…前: a base, not 三季度


@pytest.mark.parametrize(
    ("start", "end", "quarter"),
    [
        ("2025-01-01", "2025-03-31", True),
        ("2025-10-01", "2025-12-31", True),
        ("2025-02-01", "2025-04-30", False),  # three months, not a calendar quarter
        ("2025-01-01", "2025-03-30", False),  # not whole months
        (None, "2025-03-31", False),  # a point
    ],
)
def test_one_calendar_quarter(start: str | None, end: str | None, quarter: bool) -> None:
    assert is_quarter(start, end) is quarter


@case(
    ("截至今日上午10時", date(2025, 9, 3), None, "2025-09-03"),
    ("截至今天", date(2025, 9, 3), None, "2025-09-03"),
    ("截至昨日", date(2025, 9, 3), None, "2025-09-02"),
    ("至今日上午", date(2025, 9, 3), None, "2025-09-03"),
    ("至昨晚", date(2025, 9, 3), None, "2025-09-02"),
    ("截至9月3日10時", date(2025, 9, 3), None, "2025-09-03"),
    ("截至11月18日午夜", NOV25, None, "2025-11-18"),
)
def test_a_point_on_today_or_yesterday_or_at_an_hour_is_that_day(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("6月当月", date(2025, 7, 18), "2025-06-01", "2025-06-30"),
    ("九月首十日", date(2025, 9, 15), "2025-09-01", "2025-09-10"),
    ("过去五年", date(2025, 1, 20), "2020-01-01", "2024-12-31"),  # a January review
    ("过去五年", date(2025, 6, 20), "2020-06-21", "2025-06-20"),
)
def test_a_months_own_days_and_the_years_a_review_looks_back_on(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("上月末", date(2025, 11, 3), None, "2025-10-31"),
    ("上季末", date(2025, 11, 3), None, "2025-09-30"),
)
def test_the_end_of_a_named_span_is_a_point(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


@case(
    ("去年一年", date(1998, 1, 5), "1997-01-01", "1997-12-31"),
    ("现有", date(1998, 1, 5), None, "1998-01-05"),
    ("每年", date(1998, 1, 5), None, None),  # a rate's period: no dates
)
def test_a_year_restated_now_and_a_rate(period, published, start, end):
    assert resolve_period(period, published) == (start, end)


def test_a_span_averaged_is_the_span():
    assert resolve_period("1—8月平均", date(2025, 9, 10)) == ("2025-01-01", "2025-08-31")
