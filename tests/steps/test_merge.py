"""Unit tests for llm_extract.steps.merge.merge_statistics."""

from __future__ import annotations

from llm_extract.config import RunOptions
from llm_extract.pipeline import _headline_end, process_document
from llm_extract.records import Kind, Statistic
from llm_extract.steps.clean import clean
from llm_extract.steps.ingest import Document
from llm_extract.steps.merge import merge_statistics


def stat(start: int, end: int, value=100, metric="粮食产量", **kw) -> Statistic:
    fields = {"unit": "吨", "kind": Kind.count, "surface": "x" * (end - start), "evidence": "e"}
    fields.update(kw)
    return Statistic(metric=metric, value=value, start=start, end=end, **fields)


def test_empty():
    assert merge_statistics([]) == ([], 0)


def test_same_span_keeps_first_on_tie():
    a = stat(10, 15, metric="粮食产量", region="河南")
    b = stat(10, 15, metric="粮食总产量", region="湖南")
    kept, merged = merge_statistics([a, b])
    assert merged == 1
    assert kept == [a]
    assert kept[0] is a


def test_same_span_prefers_more_filled_fields():
    sparse = stat(10, 15)
    full = stat(10, 15, period="2023年", region="河南", agency="国家统计局")
    kept, merged = merge_statistics([sparse, full])
    assert kept == [full]
    assert merged == 1


def test_restated_headline_kept_at_body():
    headline = stat(2, 6, metric="粮食产量")
    body = stat(40, 44, metric="全年粮食产量", period="2023年")
    kept, merged = merge_statistics([headline, body], headline_end=20)
    assert kept == [body]
    assert merged == 1


def test_restatement_without_headline_keeps_earliest():
    first = stat(2, 6, metric="粮食产量")
    later = stat(40, 44, metric="粮食产量")
    kept, merged = merge_statistics([later, first], headline_end=0)
    assert kept == [first]
    assert merged == 1


def test_traditional_metric_is_same_fact():
    a = stat(0, 4, metric="糧食產量")
    b = stat(30, 34, metric="粮食产量")
    kept, _ = merge_statistics([a, b])
    assert kept == [a]


def test_distinct_facts_are_kept_and_sorted():
    stats = [
        stat(50, 54, value=100, metric="粮食产量"),
        stat(30, 34, value=200, metric="粮食产量"),  # other value
        stat(10, 14, value=100, metric="粮食产量", unit="万吨"),  # other unit
        stat(70, 74, value=100, metric="粮食产量", kind=Kind.money),  # other kind
        stat(90, 94, value=100, metric="钢铁出口"),  # other metric
        stat(110, 114, value=100, value_max=120, metric="粮食产量"),  # a range
    ]
    kept, merged = merge_statistics(stats)
    assert merged == 0
    assert [s.start for s in kept] == [10, 30, 50, 70, 90, 110]


def test_different_periods_are_different_facts_missing_period_matches():
    y22 = stat(10, 14, period="2022年")
    y23 = stat(30, 34, period="2023年")
    unknown = stat(50, 54, period=None)
    kept, merged = merge_statistics([y22, y23, unknown])
    assert kept == [y22, y23]
    assert merged == 1


def test_two_wordings_of_one_period_are_one_fact():
    lead = stat(10, 14, period="截至11月底")
    body = stat(30, 34, period="截至11月底止")
    kept, merged = merge_statistics([lead, body])
    assert kept == [lead] and merged == 1 and lead.restated == [(30, 34)]


def test_two_wordings_that_resolve_to_the_same_dates_are_one_fact():
    days = {"period_start": "2023-01-01", "period_end": "2024-05-31"}
    head = stat(10, 14, period="去年1月至今年5月", **days)
    body = stat(30, 34, period="2023年1月至今年5月", **days)
    kept, merged = merge_statistics([head, body], headline_end=20)
    assert kept == [body] and merged == 1 and body.restated == [(10, 14)]


def test_unresolved_periods_worded_apart_stay_apart():
    a, b = stat(10, 14, period="行动以来"), stat(30, 34, period="上一轮")
    kept, merged = merge_statistics([a, b])
    assert kept == [a, b] and merged == 0


def test_merged_count_includes_span_and_fact_duplicates():
    stats = [stat(10, 14), stat(10, 14), stat(30, 34), stat(60, 64, value=5)]
    kept, merged = merge_statistics(stats)
    assert [s.start for s in kept] == [10, 60]
    assert merged == 2


def test_a_restated_fact_lists_every_span_it_was_stated_at():
    headline = stat(2, 6, metric="粮食产量")
    body = stat(40, 44, metric="全年粮食产量", period="2023年")
    again = stat(90, 94, metric="粮食产量", period="2023年")
    other = stat(60, 64, value=7, metric="粮食产量")
    kept, merged = merge_statistics([headline, body, other, again], headline_end=20)
    assert kept == [body, other] and merged == 2
    assert body.restated == [(2, 6), (90, 94)]
    assert other.restated == []
    assert "restated" not in other.model_dump() and body.model_dump()["restated"] == [
        (2, 6),
        (90, 94),
    ]


def test_a_headline_wording_the_bodys_period_otherwise_is_merged_in_a_run() -> None:
    text = (
        "去年1月至今年5月破獲詐騙案件54.3萬起\n\n"
        "公安部6月10日通報，2023年1月至今年5月，全國共破獲詐騙案件54.3萬起。\n"
    )
    doc = Document("h", "h.txt", text, "txt", published="2024-06-10")
    [stat] = process_document(doc, None, RunOptions(model="regex")).stats
    assert (stat.period_start, stat.period_end) == ("2023-01-01", "2024-05-31")
    assert stat.start == text.rindex("54.3萬起") and stat.restated == [(15, 21)]


def test_a_headline_figure_worded_apart_is_the_one_body_figure_of_its_value() -> None:
    headline = stat(2, 6, metric="判处电诈犯罪被告人", period="5年来")
    body = stat(40, 44, metric="判处被告人", period="2021年至2025年")
    kept, merged = merge_statistics([headline, body], headline_end=20)
    assert kept == [body] and merged == 1 and body.restated == [(2, 6)]


def test_a_headline_figure_two_body_figures_share_stays_apart() -> None:
    headline = stat(2, 6, metric="判处被告人", period="5年来")
    bodies = [
        stat(40, 44, metric="起诉", period="2021年"),
        stat(60, 64, metric="判处", period="2022年"),
    ]
    kept, merged = merge_statistics([headline, *bodies], headline_end=20)
    assert kept == [headline, *bodies] and merged == 0


def test_a_body_figure_worded_apart_from_another_is_not_a_restatement() -> None:
    a = stat(40, 44, metric="判处被告人", period="2021年")
    b = stat(60, 64, metric="起诉人数", period="2022年")
    kept, merged = merge_statistics([a, b], headline_end=20)
    assert kept == [a, b] and merged == 0


def test_a_headline_figure_without_its_unit_is_the_one_body_figure_of_its_value() -> None:
    headline = stat(2, 6, value=72.86e8, metric="云南收入", unit="", kind=Kind.count)
    body = stat(40, 46, value=72.86e8, metric="旅游收入", unit="元", kind=Kind.money)
    kept, merged = merge_statistics([headline, body], headline_end=20)
    assert kept == [body] and merged == 1 and body.restated == [(2, 6)]
    in_body = stat(30, 34, value=72.86e8, metric="云南收入", unit="", kind=Kind.count)
    kept, merged = merge_statistics([in_body, body], headline_end=20)
    assert merged == 0  # only a headline drops units


def test_labels_before_the_headline_go_with_it() -> None:
    text = "本地\n日報\n\n全年罪案7萬宗升8.7%\n\n本港去年共錄得約7萬宗罪案，按年升8.7%。\n"
    doc = Document("l", "l.txt", text, "txt")
    stats = process_document(doc, None, RunOptions(model="regex")).stats
    assert [s.surface for s in stats] == ["7萬宗", "8.7%"]
    assert all(s.start > text.index("本港") and s.restated for s in stats)


def test_a_figure_restated_in_brackets_is_merged_into_the_one_before():
    text = "网民规模近11亿人（10.9967亿人），另有网站（约500万个）400万个。"
    first = stat(5, 9, value=1_100_000_000, metric="网民规模", unit="人")
    bracketed = stat(10, 19, value=1_099_670_000, metric="网民规模", unit="人")
    kept, merged = merge_statistics([first, bracketed], text=text)
    assert (kept, merged) == ([first], 1)
    assert first.restated == [(10, 19)]

    # too far apart to be the same figure, or another unit: statistics of their own
    def kept_of(later: Statistic, before: Statistic) -> int:
        return len(merge_statistics([before, later], text=text)[0])

    eleven = stat(5, 9, value=1_100_000_000, unit="人")
    assert kept_of(stat(10, 19, value=900_000_000, unit="人"), eleven) == 2
    assert kept_of(stat(10, 19, value=1_099_670_000, unit="户"), eleven) == 2
    # a close figure after a closing bracket is not a restatement in brackets
    sites = stat(27, 32, value=5_000_000, metric="网站", unit="个")
    assert kept_of(stat(33, 38, value=4_900_000, metric="网页", unit="个"), sites) == 2


def test_the_pipeline_merges_a_bracketed_restatement() -> None:
    text = "全国网民规模近11亿人（10.9967亿人），互联网普及率达78%。\n"
    record = process_document(Document("d", "d.txt", text, "txt"), None, RunOptions(model="regex"))
    assert [s.surface for s in record.stats] == ["11亿人", "78%"]
    assert record.stats[0].restated == [(text.index("10.9967"), text.index("）"))]


def test_an_approximate_headline_figure_rounding_one_body_figure_is_merged() -> None:
    headline = stat(5, 12, value=700_000_000_000, metric="总花费", unit="元", approx=True)
    body = stat(40, 49, value=700_820_000_000, metric="国内出游总花费", unit="元")
    kept, merged = merge_statistics([headline, body], headline_end=20)
    assert (kept, merged) == ([body], 1)
    assert body.restated == [(5, 12)]
    # two body figures of its metric it could round, neither clearly nearer, or one too far
    # off: the headline figure stays
    other = stat(60, 69, value=701_000_000_000, metric="国内总花费", unit="元")
    headline = stat(5, 12, value=700_000_000_000, metric="总花费", unit="元", approx=True)
    body = stat(40, 49, value=700_820_000_000, metric="国内出游总花费", unit="元")
    assert len(merge_statistics([headline, body, other], headline_end=20)[0]) == 3
    far = stat(40, 49, value=800_000_000_000, metric="国内出游总花费", unit="元")
    headline = stat(5, 12, value=700_000_000_000, metric="总花费", unit="元", approx=True)
    assert len(merge_statistics([headline, far], headline_end=20)[0]) == 2


def test_of_several_body_figures_a_headline_rounds_its_metric_then_its_side_is_taken() -> None:
    text = "国内出游总花费超7000亿元" + "。" * 30
    headline = stat(8, 15, value=700_000_000_000, metric="国内出游总花费", unit="元", approx=True)
    body = stat(40, 49, value=700_820_000_000, metric="国内出游总花费", unit="元")
    base = stat(60, 69, value=654_360_000_000, metric="国内出游总花费", unit="元")  # below 超
    kept, merged = merge_statistics([headline, body, base], headline_end=20, text=text)
    assert (kept, merged) == ([body, base], 1) and body.restated == [(8, 15)]
    visitors = stat(5, 12, value=4_600_000, metric="訪港旅客", unit="人次", approx=True)
    body = stat(40, 46, value=4_610_000, metric="訪港旅客", unit="人次")
    airport = stat(60, 66, value=4_750_000, metric="國際機場客運量", unit="人次")
    kept, merged = merge_statistics([visitors, body, airport], headline_end=20)
    assert (kept, merged) == ([body, airport], 1)


def test_a_headline_figure_cut_to_its_written_step_is_the_body_figure() -> None:
    def visitors(start: int, value: int, surface: str) -> Statistic:
        return stat(start, start + len(surface), value=value, unit="人次", surface=surface)

    headline = visitors(5, 7_850_000, "785萬人次")
    body = visitors(40, 7_857_000, "785萬7,000人次")
    kept, merged = merge_statistics([headline, body], headline_end=20)
    assert (kept, merged) == ([body], 1) and body.restated == [(5, 11)]
    headline = visitors(5, 7_850_000, "785萬人次")
    beyond = visitors(40, 7_862_000, "786萬2,000人次")  # a step beyond: another figure
    assert len(merge_statistics([headline, beyond], headline_end=20)[0]) == 2


def test_a_whole_headline_percent_rounds_the_body_change_not_an_equal_share() -> None:
    feb = ("2025-02-01", "2025-02-28")
    headline = _share(5, 26, "26%", "2月", feb)  # 機場2月客運量按年升26%
    rise = _share(40, 26.3, "26.3%", "今年2月", feb)
    share = stat(70, 73, value=26, unit="%", kind=Kind.percent, surface="兩成六")  # another kind
    kept, merged = merge_statistics([headline, rise, share], headline_end=20)
    assert (kept, merged) == ([rise, share], 1) and rise.restated == [(5, 8)]
    apart = _share(40, 27.4, "27.4%", "今年2月", feb)  # 26% rounds no 27.4%
    assert len(merge_statistics([_share(5, 26, "26%", "2月", feb), apart], headline_end=20)[0]) == 2


def _share(start: int, value: float, surface: str, period: str, dates: tuple, **kw) -> Statistic:
    return stat(
        start,
        start + len(surface),
        value=value,
        metric="旅客",
        unit="%",
        kind=Kind.change,
        surface=surface,
        period=period,
        period_start=dates[0],
        period_end=dates[1],
        **kw,
    )


def test_a_headline_share_in_tenths_rounds_the_body_figure_of_its_period() -> None:
    march, quarter = ("2025-03-01", "2025-03-31"), ("2025-01-01", "2025-03-31")
    headline = _share(5, 10, "一成", "三月", march)
    body = [_share(30, 9.6, "9.6%", "首季", quarter), _share(60, 10.2, "10.2%", "3月份", march)]
    kept, merged = merge_statistics([headline, *body], headline_end=20)
    assert merged == 1 and kept[1].restated == [(5, 7)]
    seven = _share(5, 87, "八成七", "去年", quarter)  # to the unit: 86.6, not 89
    near = [
        _share(30, 86.6, "86.6%", "2024年", quarter),
        _share(60, 89, "八成九", "2024年", quarter),
    ]
    kept, merged = merge_statistics([seven, *near], headline_end=20)
    assert merged == 1 and kept[0].restated == [(5, 8)]


def test_a_headline_figure_is_the_one_body_figure_of_its_value_and_unit_of_any_kind() -> None:
    headline = stat(5, 10, value=4.17, unit="%", kind=Kind.change, metric="成長")
    body = stat(30, 35, value=4.17, unit="%", kind=Kind.percent, metric="經濟成長率")
    kept, merged = merge_statistics([headline, body], headline_end=20)
    assert merged == 1 and kept[0].restated == [(5, 10)]


def test_the_headline_under_a_sites_name_ends_before_the_body() -> None:
    page = "安徽省统计局\n我省粮食总产量达837.9亿斤\n\n全省粮食总产量837.9亿斤，增长0.9%。"
    cleaned = clean(page, "txt")
    assert _headline_end(cleaned) == page.index("\n\n")
    body_first = "全省粮食总产量837.9亿斤，增长0.9%。\n其中秋粮增长1%。"
    assert _headline_end(clean(body_first, "txt")) == 0
    page = (  # a site's name, a date line, hot words and a section over the headline
        "臺灣經濟日報網\n2025年3月18日 星期二\n熱門搜尋：關稅｜台積電｜房市\n財經 總經\n"
        "1月總薪資12.5萬元年增5.37%\n\n主計總處今日發布，1月總薪資平均為124,862元。"
    )
    assert _headline_end(clean(page, "txt")) == page.index("\n\n")
    page = (
        "平安绵阳\n今年以来我市电诈发案数同比下降21.6%！这份反诈成绩单请查收\n\n"
        "今年以来，全市电诈发案数同比下降21.6%。"
    )
    assert _headline_end(clean(page, "txt")) == page.index("\n\n")  # a headline may exclaim


def test_a_table_cell_repeating_a_prose_figure_is_merged_into_it() -> None:
    text = "美國接單184.6億美元。\n地區\t5月金額\t1至5月金額\n美國\t184.6\t862.7\n歐洲\t78.9\t372.5"
    prose = stat(4, 12, value=18460000000, unit="美元", metric="接單")
    cell = stat(
        text.index("184.6", 20),
        text.index("184.6", 20) + 5,
        value=18460000000,
        unit="美元",
        metric="美國",
    )
    new = stat(
        text.index("862.7"), text.index("862.7") + 5, value=86270000000, unit="美元", metric="美國"
    )
    kept, merged = merge_statistics([prose, cell, new], text=text)
    assert [s.value for s in kept] == [18460000000, 86270000000] and merged == 1


def test_a_table_cell_of_another_span_is_no_restatement() -> None:
    text = "原材料库存指数为48.0%。\n指标\t本月\t上月\n原材料库存\t48.0\t48.0\n从业人员\t48.0\t47.9"
    july, june = ("2025-07-01", "2025-07-31"), ("2025-06-01", "2025-06-30")
    prose = stat(
        8,
        13,
        value=48.0,
        unit="%",
        metric="原材料库存指数",
        period="7月",
        period_start=july[0],
        period_end=july[1],
    )
    at = text.index("48.0", 20)

    def cell(start: int, period: str, span: tuple[str, str]) -> Statistic:
        return stat(
            start,
            start + 4,
            value=48.0,
            unit="%",
            metric="原材料库存",
            period=period,
            period_start=span[0],
            period_end=span[1],
        )

    this, last = cell(at, "本月", july), cell(at + 5, "上月", june)
    kept, merged = merge_statistics([prose, this, last], text=text)
    assert [s.period for s in kept] == ["7月", "上月"] and merged == 1


def test_a_year_columns_cell_restates_a_figure_at_the_years_end() -> None:
    text = "截至去年底，上市公司共1,023家。\n項目\t2024年\t2023年\n上市公司家數（家）\t1,023\t997"
    prose = stat(
        11,
        16,
        value=1023,
        unit="家",
        metric="上市公司",
        period="截至去年底",
        period_end="2024-12-31",
    )
    at = text.index("1,023", 20)
    year = {"period_start": "2024-01-01", "period_end": "2024-12-31"}
    cell = stat(at, at + 5, value=1023, unit="家", metric="上市公司家數", period="2024年", **year)
    before = {"period_start": "2023-01-01", "period_end": "2023-12-31"}
    other = stat(
        at, at + 5, value=1023, unit="家", metric="上市公司家數", period="2023年", **before
    )
    kept, merged = merge_statistics([prose, cell], text=text)
    assert merged == 1 and kept[0].restated == [(at, at + 5)]  # a point at the span's end
    kept, merged = merge_statistics([prose, other], text=text)
    assert merged == 0  # the year before is another fact


def test_a_key_figure_shown_on_a_line_of_its_own_is_kept_at_its_prose_statement() -> None:
    text = (
        "觀光署今日公布113年國人旅遊狀況調查結果。\n"
        "▲國內旅遊總費用：5,128億元（年增8.9%）\n"
        "113年國內旅遊總費用達新臺幣5,128億元，較112年成長8.9%，創下歷年新高。\n"
    )
    record = process_document(Document("d", "d.txt", text, "txt"), None, RunOptions(model="regex"))
    prose = text.index("5,128億元，")
    money = next(s for s in record.stats if s.value == 512800000000)
    shown = text.index("5,128億元（")
    assert money.start == prose and money.restated == [(shown, shown + len("5,128億元"))]
    assert len([s for s in record.stats if s.value == 8.9]) == 1


def test_a_figure_of_an_english_summary_restates_the_chinese_one() -> None:
    text = (
        "主計總處今日公布人力資源調查統計結果。\n"
        "7月失業率為3.48%，較上月上升0.12個百分點；勞動力參與率為59.35%。\n"
        "English Summary\n"
        "DGBAS reported that the unemployment rate in July 2025 rose to 3.48%, up 0.12 "
        "percentage points from June. The labour force participation rate was 59.35%.\n"
    )
    record = process_document(Document("d", "d.txt", text, "txt"), None, RunOptions(model="regex"))
    rate = [s for s in record.stats if s.value == 3.48]
    english = text.index("3.48%,")
    assert [s.start for s in rate] == [text.index("3.48%，")]
    assert rate[0].restated == [(english, english + len("3.48%"))]
    assert len([s for s in record.stats if s.value == 59.35]) == 1
