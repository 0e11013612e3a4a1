"""Grouping statements of several articles into facts."""

from __future__ import annotations

from llm_extract.facts import Statement, build_facts
from llm_extract.records import FactStatus, Kind, Statistic


def say(
    doc: str,
    metric: str,
    value: float,
    surface: str,
    unit: str = "个",
    period: str | None = None,
    dates: tuple[str | None, str | None] = (None, None),
    region: str | None = None,
    kind: Kind = Kind.count,
    start: int = 10,
    published: str | None = None,
) -> Statement:
    stat = Statistic(
        metric=metric,
        value=value,
        unit=unit,
        kind=kind,
        period=period,
        period_start=dates[0],
        period_end=dates[1],
        region=region,
        surface=surface,
        evidence=f"{metric}{surface}。",
        start=start,
        end=start + len(surface),
    )
    return Statement(doc, f"{doc}.txt", published, stat)


YEAR = ("2021-04-15", "2022-04-14")


def several(facts):
    return [f for f in facts if f.n_sources > 1]


def test_the_same_figure_rounded_by_another_outlet_is_one_fact() -> None:
    facts = build_facts(
        [
            say("a", "封堵涉诈域名网址", 2106000, "210.6万个", period="一年来", dates=YEAR),
            say("b", "封堵涉诈域名网址", 2110000, "211万个"),  # b leaves the period out
            say("b", "拦截诈骗电话", 1950000000, "19.5亿次", unit="次", start=40),
        ]
    )
    (fact,) = several(facts)
    assert fact.status is FactStatus.rounded and fact.n_sources == 2
    assert fact.value == 2106000  # the most precise statement
    assert fact.period == "一年来" and (fact.period_start, fact.period_end) == YEAR
    assert [s.doc_id for s in fact.sources] == ["a", "b"]
    assert fact.sources[1].surface == "211万个" and fact.sources[1].period is None
    assert len(facts) == 2 and facts[0] is fact  # the single fact comes after


def test_traditional_wording_and_equal_values_agree() -> None:
    facts = build_facts(
        [
            say("a", "立案数连续同比下降", 9, "9个月", unit="个月", period="去年6月至今"),
            say("b", "立案數連續同比下降", 9, "9個月", unit="個月", period="去年6月至今"),
        ]
    )
    (fact,) = facts
    assert fact.status is FactStatus.agree and fact.n_sources == 2


def test_incompatible_values_of_one_worded_metric_and_period_are_a_conflict() -> None:
    facts = build_facts(
        [
            say(
                "a",
                "破获电信网络诈骗案件",
                394000,
                "39.4万起",
                unit="起",
                period="一年来",
                dates=YEAR,
            ),
            say(
                "b",
                "破获电信网络诈骗案件",
                441000,
                "44.1万起",
                unit="起",
                period="一年来",
                dates=YEAR,
            ),
        ]
    )
    (fact,) = facts
    assert fact.status is FactStatus.conflict
    assert {s.value for s in fact.sources} == {394000, 441000}  # both kept


def test_a_conflict_needs_both_periods_worded_and_a_metric_worded_alike() -> None:
    left_out = build_facts(
        [
            say("a", "发布视频", 4300, "4300条", unit="条", period="一年来"),
            say("b", "发布视频", 1050, "1050条", unit="条"),
        ]
    )
    loosely_alike = build_facts(
        [
            say("a", "清理高危电话卡", 7769, "7769张", unit="张", period="一年来"),
            say("b", "清理高危卡片数量", 9000, "9000张", unit="张", period="一年来"),
        ]
    )
    assert not several(left_out) and not several(loosely_alike)


def test_different_periods_regions_units_and_kinds_stay_apart() -> None:
    facts = build_facts(
        [
            say(
                "a",
                "社会消费品零售总额",
                5.5,
                "5.5%",
                unit="%",
                kind=Kind.change,
                period="1-2月",
                dates=("2024-01-01", "2024-02-29"),
            ),  # fmt: skip
            say(
                "b",
                "社会消费品零售总额",
                5.5,
                "5.5%",
                unit="%",
                kind=Kind.change,
                period="1-2月",
                dates=("2023-01-01", "2023-02-28"),
            ),  # fmt: skip
            say(
                "c", "社会消费品零售总额", 5.5, "5.5%", unit="%", kind=Kind.percent, period="1-2月"
            ),
            say("d", "破获案件", 1200, "1200起", unit="起", region="上海"),
            say("e", "破获案件", 1200, "1200起", unit="起", region="北京"),
            say("f", "破获案件", 1200, "1200宗", unit="宗", region="上海"),
        ]
    )
    assert not several(facts)


def test_a_left_out_period_does_not_chain_two_periods_into_one_fact() -> None:
    facts = build_facts(
        [
            say("a", "拦截短信", 2140000000, "21.4亿条", unit="条", period="一年来", dates=YEAR),
            say("b", "拦截短信", 2140000000, "21.4亿条", unit="条"),
            say(
                "c",
                "拦截短信",
                2150000000,
                "21.5亿条",
                unit="条",
                period="截至11月底",
                dates=(None, "2022-11-30"),
            ),  # fmt: skip
        ]
    )
    (fact,) = several(facts)
    assert {s.doc_id for s in fact.sources} == {"a", "b"}


def test_one_relative_wording_resolved_on_two_publication_days_is_one_period() -> None:
    facts = build_facts(
        [
            say("a", "抓获犯罪嫌疑人", 634000, "63.4万名", unit="名", period="一年来", dates=YEAR),
            say(
                "b",
                "抓获犯罪嫌疑人",
                634000,
                "63.4万名",
                unit="名",
                period="一年来",
                dates=("2021-05-12", "2022-05-11"),
            ),  # fmt: skip
            say(
                "c",
                "抓获犯罪嫌疑人",
                634000,
                "63.4万名",
                unit="名",
                period="上月",
                dates=("2022-03-01", "2022-03-31"),
            ),  # fmt: skip
        ]
    )
    (fact,) = several(facts)
    assert {s.doc_id for s in fact.sources} == {"a", "b"}


def test_two_statements_of_one_document_are_never_one_fact() -> None:
    facts = build_facts(
        [
            say("a", "抓获犯罪嫌疑人", 634000, "63.4万名", unit="名", start=5),
            say("a", "抓获犯罪嫌疑人", 634000, "63.4万名", unit="名", start=90),
            say("b", "抓获犯罪嫌疑人", 634000, "63.4万名", unit="名"),
        ]
    )
    (fact,) = several(facts)
    assert sorted((s.doc_id, s.start) for s in fact.sources) in (
        [("a", 5), ("b", 10)],
        [("a", 90), ("b", 10)],
    )
    assert len(facts) == 2


def test_fact_ids_are_stable_and_order_puts_conflicts_first() -> None:
    items = [
        say("a", "拦截诈骗电话", 1950000000, "19.5亿次", unit="次", period="一年来"),
        say("b", "拦截诈骗电话", 840000000, "8.4亿次", unit="次", period="一年来"),
        say("a", "推送预警指令", 40670000, "4067万条", unit="条", start=50),
        say("b", "推送预警指令", 40670000, "4067万条", unit="条", start=60),
    ]
    first, again = build_facts(items), build_facts(list(reversed(items)))
    assert [f.status for f in first] == [FactStatus.conflict, FactStatus.agree]
    assert [f.fact_id for f in first] == [f.fact_id for f in again]
    assert len({f.fact_id for f in first}) == 2
