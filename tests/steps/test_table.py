"""Tables: bare figures read with their row label, column header and the text's period."""

from __future__ import annotations

import pytest

from llm_extract.config import RunOptions
from llm_extract.pipeline import process_document
from llm_extract.steps.context.table import read_tables
from llm_extract.steps.ingest import Document

PIPES = (
    "2024年1-9月主要经济指标\n\n指标 | 绝对值 | 同比增长(%)\n"
    "地区生产总值(亿元) | 8520.3 | 5.1\n规模以上工业增加值(亿元) | — | 6.2\n"
)
TABS = "产品\t1-2月\t2月\n粮食（万吨）\t1200\t600\n棉花（万吨）\t30.5\t-12.1\n"


def _cells(text: str) -> list[tuple]:
    return [
        (c.mention.surface, c.mention.value, c.mention.unit, c.mention.kind, c.metric, c.period)
        for c in read_tables(text)
    ]


def test_a_cell_takes_its_unit_from_the_row_label_and_change_from_the_header() -> None:
    assert _cells(PIPES) == [
        ("8520.3", 852030000000, "元", "money", "地区生产总值", "2024年1-9月"),  # the title's
        ("5.1", 5.1, "%", "change", "地区生产总值", "2024年1-9月"),
        ("6.2", 6.2, "%", "change", "规模以上工业增加值", "2024年1-9月"),  # 增加值: no change
    ]


def test_a_table_whose_title_names_its_changes_holds_changes() -> None:
    rates = "表1　2025年5月及1—5月全省规模以上工业增加值分门类增速\n单位：%\n分组\t5月\t1—5月\n"
    rows = "规模以上工业增加值\t6.8\t7.1\n采矿业\t-2.4\t−0.9\n"
    assert {kind for _, _, _, kind, _, _ in _cells(rates + rows)} == {"change"}
    mixed = (
        "表2　主要工业产品产量及增速\n单位：万吨；%\n产品\t产量\t增速\n"
        "原煤\t7611\t7.2\n钢材\t300\t-1\n"
    )
    assert [kind for _, _, _, kind, _, _ in _cells(mixed)] == ["count", "change"] * 2


def test_a_period_column_header_is_the_cells_period() -> None:
    assert _cells(TABS) == [
        ("1200", 12000000, "吨", "count", "粮食", "1-2月"),
        ("600", 6000000, "吨", "count", "粮食", "2月"),
        ("30.5", 305000, "吨", "count", "棉花", "1-2月"),
        ("-12.1", -121000, "吨", "count", "棉花", "2月"),
    ]


def test_a_header_opening_with_a_period_and_a_change_column_of_the_current_one() -> None:
    text = "品种 今年（万吨） 上年（万吨） 同比增减（%）\n小麦 13690 13568 0.9\n大麦 218 224 -2.5\n"
    assert [c[5] for c in _cells(text)[:3]] == ["今年", "上年", "今年"]
    text = (
        "类型 10月新增（万千瓦） 1—10月新增（万千瓦） 增长（%）\n"
        "火电 620 5120 38.5\n水电 95 780 -12.4\n"
    )
    assert _cells(text)[:3] == [
        ("620", 6200000, "千瓦", "count", "火电", "10月"),
        ("5120", 51200000, "千瓦", "count", "火电", "1—10月"),
        ("38.5", 38.5, "%", "change", "火电", "10月"),
    ]


def test_a_space_separated_table_survives_cleaning() -> None:
    text = "全国新增装机如下：\n类型 10月新增（万千瓦） 增长（%）\n火电 620 38.5\n水电 95 -12.4\n"
    record = process_document(Document("t", "t.txt", text, "txt"), None, RunOptions(model="regex"))
    assert [(s.surface, s.metric, s.period) for s in record.stats] == [
        ("620", "火电", "10月"),
        ("38.5", "火电", "10月"),
        ("95", "水电", "10月"),
        ("-12.4", "水电", "10月"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "閱讀 1234\n評論 56\n",  # one figure a line and no header: page chrome, not a table
        "今年1-8月全市经济运行平稳，增长5.2%。\n另有两项指标 5 6\n",  # one line
        "地区 2023 2024\n8 |' u* E) c0 Q z4 V\n",  # no label
        "指标 1月 2月\n甲 1 2\n乙 3\n",  # rows of other widths
    ],
)
def test_what_is_no_table(text: str) -> None:
    assert read_tables(text) == []


def test_a_table_in_a_run_gives_statistics_with_the_titles_period() -> None:
    doc = Document("t", "t.md", PIPES, "md")
    stats = process_document(doc, None, RunOptions(model="regex")).stats
    assert [(s.surface, s.metric, s.period, s.unit) for s in stats] == [
        ("8520.3", "地区生产总值", "2024年1-9月", "元"),
        ("5.1", "地区生产总值", "2024年1-9月", "%"),
        ("6.2", "规模以上工业增加值", "2024年1-9月", "%"),
    ]
    assert all(PIPES[s.start : s.end] == s.surface for s in stats)
    assert stats[0].evidence == "地区生产总值(亿元) | 8520.3 | 5.1"


def test_a_title_states_the_unit_and_a_bracket_the_period() -> None:
    text = (
        "新能源汽车主要产销数据（单位：万辆）\n指标　　12月　　1—12月\n"
        "新能源汽车产量　　159.4　　1288.8\n新能源汽车出口　　17.3　　128.4\n"
    )
    assert _cells(text)[:2] == [
        ("159.4", 1594000, "辆", "count", "新能源汽车产量", "12月"),
        ("1288.8", 12888000, "辆", "count", "新能源汽车产量", "1—12月"),
    ]
    titled = "主要指標（2024年）\n本地生產總值（億澳門元）　4,036\n實質增長率（%）　8.8\n"
    assert _cells(titled)[0] == ("4,036", 403600000000, "澳門元", "money", "本地生產總值", "2024年")


def test_cells_with_a_percent_sign_and_a_column_counted_in_a_unit() -> None:
    text = "罪案類別　宗數　按年變幅\n詐騙　20,215　+4.1%\n盜竊　12,604　-2.7%\n"
    assert _cells(text) == [
        ("20,215", 20215, "宗", "count", "詐騙", None),
        ("+4.1%", 4.1, "%", "change", "詐騙", None),
        ("12,604", 12604, "宗", "count", "盜竊", None),
        ("-2.7%", -2.7, "%", "change", "盜竊", None),
    ]


def test_rows_of_places_count_what_their_columns_name() -> None:
    text = (
        "表　2024年主要产粮县粮食生产情况\n县（市、区）\t播种面积（万亩）\t总产量（万吨）\n"
        "颍上县\t312.5\t134.2\n临泉县\t285.1\t128.7"
    )
    cells = read_tables(text)
    assert [(c.mention.surface, c.metric, c.mention.unit) for c in cells[:2]] == [
        ("312.5", "播种面积", "亩"),
        ("134.2", "总产量", "吨"),
    ]


def test_tab_cells_hold_thousands_grouped_by_spaces() -> None:
    text = (
        "項目\t一月至三月\t二月至四月\n失業人數（人）\t123 100\t131 800\n就業不足率（%）\t1.1\t1.2"
    )
    cells = read_tables(text.replace("\t", "|"))  # the cleaner writes a tab as `|`
    assert [(c.mention.value, c.metric, c.period) for c in cells[:2]] == [
        (123100, "失業人數", "一月至三月"),
        (131800, "失業人數", "二月至四月"),
    ]


def test_a_title_line_gives_a_unit_per_kind_of_column() -> None:
    text = "單位：億美元；%\n地區\t5月金額\t5月年增率\n美國\t184.6\t24.3\n歐洲\t78.9\t9.6"
    cells = read_tables(text.replace("\t", "|"))
    assert [(c.mention.value, c.mention.unit) for c in cells[:2]] == [
        (18460000000, "美元"),
        (24.3, "%"),
    ]


def test_a_title_gives_its_period_and_a_latin_name_labels_a_row() -> None:
    text = (
        "表　2025年一季度主要经济指标\n指标 绝对量（亿元） 比上年同期增长（%）\n"
        "GDP 8950.49 5.2\n一般公共预算收入 1027.35 1.9"
    )
    cells = read_tables(text)
    assert [(c.mention.surface, c.metric, c.period) for c in cells] == [
        ("8950.49", "GDP", "2025年一季度"),
        ("5.2", "GDP", "2025年一季度"),
        ("1027.35", "一般公共预算收入", "2025年一季度"),
        ("1.9", "一般公共预算收入", "2025年一季度"),
    ]


def test_a_unit_column_and_a_rank_column() -> None:
    text = (
        "表1　2025年1—2月份主要能源产品产量\n产品名称 单位 1—2月 同比增长（%）\n"
        "原煤 万吨 76112 7.2\n火电 亿千瓦时 9006 -5.8\n"
        "\n区域 PM2.5浓度 排名\n南陵县 28.6 1\n繁昌区 30.3 3"
    )
    got = [(c.mention.value, c.mention.unit, c.metric) for c in read_tables(text)]
    assert got[:2] == [(761120000, "吨", "原煤"), (7.2, "%", "原煤")]
    assert (900600000000, "千瓦时", "火电") in got
    assert all(value not in (1, 3) for value, _, _ in got)  # ranks are no statistics


def test_a_change_column_after_two_measures_of_places_is_the_change_of_the_nearer() -> None:
    text = (
        "流域\t降水量（毫米）\t地表水资源量（亿立方米）\t比上年增减（%）\n"
        "湘江流域\t1508.2\t702.6\t+18.4\n资水流域\t1573.6\t252.4\t+25.7\n"
    )
    got = [(c.mention.value, c.metric, c.region) for c in read_tables(text)][:3]
    assert got == [
        (1508.2, "降水量", "湘江流域"),  # 流域 names rows of places
        (70260000000, "地表水资源量", "湘江流域"),
        (18.4, "地表水资源量", "湘江流域"),
    ]


def test_a_row_naming_only_a_change_is_the_change_of_the_row_above() -> None:
    text = "指標\t1月\t2月\n住客（萬人次）\t126.9\t138.3\n按年變動（%）\t6.2\t10.8\n"
    got = [(c.mention.value, c.mention.kind, c.metric, c.period) for c in read_tables(text)]
    assert got[2:] == [(6.2, "change", "住客", "1月"), (10.8, "change", "住客", "2月")]


def test_tab_separated_unit_column_and_a_part_of_the_row_above() -> None:
    text = (
        "指标名称\t单位\t产量\t比上年增长（%）\n"
        "肉类总产量\t万吨\t7.86\t1.9\n其中：猪肉\t万吨\t5.31\t0.8\n"
    )
    got = [(c.mention.value, c.mention.unit, c.mention.kind, c.metric) for c in read_tables(text)]
    assert got == [
        (78600, "吨", "count", "肉类总产量"),
        (1.9, "%", "change", "肉类总产量"),
        (53100, "吨", "count", "猪肉"),  # 其中： is no part of the metric
        (0.8, "%", "change", "猪肉"),
    ]


def test_a_rank_column_opening_a_table_of_places() -> None:
    text = (
        "排名\t乡（镇）\t粮食产量（万吨）\t比上年增长（%）\n"
        "1\t城关镇\t4.86\t2.7\n2\t柳庄乡\t4.31\t-1.9\n"
    )
    got = [(c.mention.value, c.mention.unit, c.metric, c.region) for c in read_tables(text)]
    assert got == [
        (48600, "吨", "粮食产量", "城关镇"),
        (2.7, "%", "粮食产量", "城关镇"),
        (43100, "吨", "粮食产量", "柳庄乡"),
        (-1.9, "%", "粮食产量", "柳庄乡"),
    ]


def test_a_change_column_of_a_table_of_places_counts_the_measure_beside_it() -> None:
    text = "区域 PM2.5浓度（微克/立方米） 同比变化（%）\n南陵县 28.6 -7.1\n繁昌区 30.3 -6.2"
    got = [(c.mention.value, c.mention.kind, c.metric, c.region) for c in read_tables(text)]
    assert got[:2] == [
        (28.6, "count", "PM2.5浓度", "南陵县"),
        (-7.1, "change", "PM2.5浓度", "南陵县"),
    ]


def test_a_column_of_words_after_the_figures_is_a_notes_cell() -> None:
    table = (
        "縣市\t損失金額（萬元）\t被害面積（公頃）\t主要受損作物\n"
        "臺南市\t18,642\t2,315\t文旦、芒果\n其他縣市\t1,900\t111\t—\n合計\t20,542\t2,426\t\n"
    )
    cells = _cells(table)
    assert [(surface, metric) for surface, _, _, _, metric, _ in cells[:2]] == [
        ("18,642", "損失金額"),
        ("2,315", "被害面積"),
    ]
    assert [c[1] for c in cells] == [186420000, 2315, 19000000, 111, 205420000, 2426]


def test_a_table_of_months_by_years_joins_the_two_and_counts_the_titles_measure() -> None:
    table = (
        "表：2023年至2025年每月幸運博彩毛收入（單位：百萬澳門元）\n"
        "月份\t2023年\t2024年\t2025年按年變動（%）\n"
        "1月\t11,580\t19,337\t8.8\n1月至2月累計\t21,904\t37,823\t-3.1\n"
    )
    cells = [
        (surface, kind, metric, period) for surface, _, _, kind, metric, period in _cells(table)
    ]
    assert cells == [
        ("11,580", "money", "幸運博彩毛收入", "2023年1月"),
        ("19,337", "money", "幸運博彩毛收入", "2024年1月"),
        ("8.8", "change", "幸運博彩毛收入", "2025年1月"),
        ("21,904", "money", "幸運博彩毛收入", "2023年1月至2月"),
        ("37,823", "money", "幸運博彩毛收入", "2024年1月至2月"),
        ("-3.1", "change", "幸運博彩毛收入", "2025年1月至2月"),
    ]


def test_a_corner_naming_prefecture_cities_makes_each_row_a_place() -> None:
    table = "设区市\t接待游客（万人次）\t旅游收入（亿元）\n南昌\t2015.6\t168.3\n赣州\t1532.8\t121.6"
    cells = read_tables(table)
    assert [(c.metric, c.region) for c in cells[:2]] == [("接待游客", "南昌"), ("旅游收入", "南昌")]


def test_a_change_column_beside_each_period_compares_the_one_before_it() -> None:
    interleaved = "旅客來源　二○二五年八月　按年變幅　二○二五年一月至八月　按年變幅\n內地旅客　3,420,000　+11%　25,410,000　+12%\n長途市場旅客　220,000　+21%　1,930,000　+19%\n"  # noqa: E501
    assert [c[5] for c in _cells(interleaved)][:4] == [
        "二○二五年八月",
        "二○二五年八月",
        "二○二五年一月至八月",
        "二○二五年一月至八月",
    ]
    after_both = (
        "指标\t今年\t上年\t增减(%)\n小麦（万吨）\t1200\t1100\t9.1\n稻谷（万吨）\t2100\t2000\t5\n"  # noqa: E501
    )
    assert [c[5] for c in _cells(after_both)][:3] == ["今年", "上年", "今年"]


def test_a_growth_column_under_a_title_of_money_holds_percents() -> None:
    text = (
        "表1 主要指标（单位：万元）\n指标\t1-9月\t增长%\t同比增长\t比上年增加\n"
        "营业收入\t12345\t5.6\t5.6\t650\n利润总额\t2345\t3.1\t3.1\t70\n"
    )
    first = [(value, unit) for _, value, unit, *_ in _cells(text)][:4]
    assert first == [(123450000, "元"), (5.6, "%"), (5.6, "%"), (6500000, "元")]  # an amount
