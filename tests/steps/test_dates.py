"""Periods resolved in the output: the reference day (JSONL `published`, `--published`, or the
date in the text), `period_start`/`period_end` of every statistic, `compared_*` of changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm_extract.cli import main
from llm_extract.evaluate.gold import load_gold
from llm_extract.evaluate.score import attributes
from llm_extract.steps.ingest import IngestFailure, load_documents

TEXT = (
    "今年1月至8月，全市共破获电信诈骗案件1200起，同比上升12.5%。"
    "8月份，破获案件180起，环比下降3.2%。截至8月底，累计止付资金3.5亿元。"
)


def _run(tmp_path: Path, lines: list[dict], *flags: str) -> list[dict]:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(source), "--model", "regex", "-o", str(out), "-q", *flags]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _by_surface(record: dict) -> dict[str, dict]:
    return {s["surface"]: s for s in record["stats"]}


def _dates(stat: dict) -> tuple[str | None, str | None]:
    return stat["period_start"], stat["period_end"]


def test_a_jsonl_published_date_resolves_every_period(tmp_path: Path) -> None:
    (record,) = _run(tmp_path, [{"id": "a", "text": TEXT, "published": "2025-09-15"}])
    assert record["published"] == "2025-09-15"
    stats = _by_surface(record)
    cases = stats["1200起"], stats["180起"], stats["3.5亿元"]
    assert [(s["period_start"], s["period_end"]) for s in cases] == [
        ("2025-01-01", "2025-08-31"),
        ("2025-08-01", "2025-08-31"),
        (None, "2025-08-31"),  # a point in time: no start
    ]


def test_changes_carry_the_period_they_are_measured_against(tmp_path: Path) -> None:
    (record,) = _run(tmp_path, [{"id": "a", "text": TEXT, "published": "2025-09-15"}])
    stats = _by_surface(record)
    yearly, monthly = stats["12.5%"], stats["3.2%"]
    assert (yearly["compared_start"], yearly["compared_end"]) == ("2024-01-01", "2024-08-31")
    assert (monthly["compared_start"], monthly["compared_end"]) == ("2025-07-01", "2025-07-31")
    assert stats["1200起"]["compared_start"] is None  # not a change


def test_a_whole_year_means_the_year_its_sentence_stated(tmp_path: Path) -> None:
    text = (
        "今年2月機場客運量約463萬人次。"
        "回顧2024年，香港國際機場全年客運量約5,310萬人次，按年上升34.0%。"
    )
    (record,) = _run(tmp_path, [{"id": "a", "text": text, "published": "2025-03-17"}])
    stat = _by_surface(record)["5,310萬人次"]
    assert stat["period"] == "全年"  # the clause's own wording (GUIDE)
    assert _dates(stat) == ("2024-01-01", "2024-12-31")  # …of the year its sentence states


def test_this_quarter_is_the_last_quarter_stated_not_a_revised_one(tmp_path: Path) -> None:
    text = (
        "2024年第三季本地生產總值為993.5億澳門元，實質上升3.5%。"
        "綜合首三季，本地生產總值合共2,964.7億澳門元。"
        "此外，統計局將第二季本地生產總值的實質增幅修訂為7.2%。\n"
        "組成部分　本季（億澳門元）　實質變動率（%）\n"
        "私人消費支出　182.6　1.8\n"
        "本地生產總值　993.5　3.5\n"
    )
    (record,) = _run(tmp_path, [{"id": "a", "text": text, "published": "2024-11-29"}])
    stats = _by_surface(record)
    assert _dates(stats["7.2%"]) == ("2024-04-01", "2024-06-30")
    cell = stats["182.6"]
    assert cell["period"] == "本季"
    assert _dates(cell) == ("2024-07-01", "2024-09-30")


def test_the_holidays_days_point_to_the_holiday_named_before(tmp_path: Path) -> None:
    text = (
        "10月9日，国家旅游局通报了国庆假日旅游接待数据。假日期间，旅游消费集中释放，"
        "全国共接待游客5.26亿人次。"
    )
    (record,) = _run(tmp_path, [{"id": "a", "text": text, "published": "2015-10-13"}])
    visitors = _by_surface(record)["5.26亿人次"]
    assert visitors["period"] == "假日期间"
    assert _dates(visitors) == ("2015-10-01", "2015-10-07")


def test_a_season_keeps_the_days_its_first_mention_gave(tmp_path: Path) -> None:
    text = (
        "2024年，全省年降水量1510.3毫米。\n汛期（4月至9月）全省降水量1036.8毫米。\n"
        "汛期全省共发生超警戒水位洪水过程5次。"
    )
    (record,) = _run(tmp_path, [{"id": "a", "text": text, "published": "2025-03-20"}])
    floods = _by_surface(record)["5次"]
    assert floods["period"] == "汛期"
    assert _dates(floods) == ("2024-04-01", "2024-09-30")


def test_a_day_within_a_holiday_leaves_the_holiday_to_what_points_at_it(tmp_path: Path) -> None:
    text = (
        "中秋假期（9月15日至17日），全国铁路发送旅客5296.9万人次。其中，9月15日发送旅客1879.4万人次。"
        "假期期间，铁路日均发送旅客1765.6万人次。10月1日当天，高速公路流量6940万辆。"
    )
    (record,) = _run(tmp_path, [{"id": "a", "text": text, "published": "2024-09-18"}])
    stats = _by_surface(record)
    assert _dates(stats["1879.4万人次"]) == ("2024-09-15", "2024-09-15")
    trains = stats["1765.6万人次"]
    assert _dates(trains) == ("2024-09-15", "2024-09-17")
    day = stats["6940万辆"]
    assert (day["period"], day["period_start"]) == ("10月1日当天", "2024-10-01")


def test_that_day_is_dated_as_the_day_stated_before(tmp_path: Path) -> None:
    text = "10月6日是返程高峰日，当天全国高速公路流量达6250万辆，交管部门当日出动警力31.5万人次。"
    (record,) = _run(tmp_path, [{"id": "a", "text": text, "published": "2024-10-08"}])
    stats = _by_surface(record)
    assert _dates(stats["6250万辆"]) == ("2024-10-06", "2024-10-06")
    assert _dates(stats["31.5万人次"]) == ("2024-10-06", "2024-10-06")


def test_the_run_date_serves_documents_without_their_own(tmp_path: Path) -> None:
    lines = [{"id": "own", "text": TEXT, "published": "2024-09-10"}, {"id": "plain", "text": TEXT}]
    own, plain = _run(tmp_path, lines, "--published", "2023-09-20")
    assert own["published"] == "2024-09-10" and plain["published"] == "2023-09-20"
    assert _by_surface(plain)["1200起"]["period_start"] == "2023-01-01"


def test_without_any_date_the_text_date_is_used_else_nothing_is_guessed(tmp_path: Path) -> None:
    dated = " date 2022-03-05 " + TEXT
    found, undated = _run(tmp_path, [{"id": "d", "text": dated}, {"id": "u", "text": TEXT}])
    assert found["published"] == "2022-03-05"
    first = _by_surface(found)["1200起"]
    assert (first["period_start"], first["period_end"]) == ("2022-01-01", "2022-08-31")  # 今年
    assert undated["published"] is None
    assert all(s["period_start"] is None and s["period_end"] is None for s in undated["stats"])


def test_a_dates_file_gives_each_document_its_date_before_the_run_date(tmp_path: Path) -> None:
    dates = tmp_path / "dates.csv"
    dates.write_text("id,published\nplain,2024-09-10\n\nown,2021-01-01\n", "utf-8")
    lines = [{"id": "own", "text": TEXT, "published": "2022-09-10"}, {"id": "plain", "text": TEXT}]
    lines.append({"id": "other", "text": TEXT})
    own, plain, other = _run(
        tmp_path, lines, "--published-from", str(dates), "--published", "2023-09-20"
    )
    assert own["published"] == "2022-09-10"  # the document's own date first
    assert plain["published"] == "2024-09-10"
    assert _by_surface(plain)["1200起"]["period_start"] == "2024-01-01"
    assert other["published"] == "2023-09-20"  # not in the file: the run's date


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("id,published\na,2024-13-01\n", "line 2: '2024-13-01' is not a date YYYY-MM-DD"),
        ("id,date\na,2024-01-01\n", "line 1 must be the header 'id,published'"),
        ("id,published\na,2024-01-01,x\n", "line 2 has 3 fields, not 2"),
    ],
)
def test_a_bad_dates_file_stops_the_run_naming_the_file_and_line(
    tmp_path: Path, capsys, content: str, problem: str
) -> None:
    dates = tmp_path / "dates.csv"
    dates.write_text(content, "utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    args = ["run", str(source), "--model", "regex", "-o", str(out), "-q"]
    assert main([*args, "--published-from", str(dates)]) == 2
    assert f"{dates}: {problem}" in capsys.readouterr().err and not out.exists()


def test_a_bad_published_value_fails_that_line_only(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [{"id": "bad", "text": TEXT, "published": "soon"}, {"id": "good", "text": TEXT}]
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    bad, good = load_documents([str(source)])
    assert isinstance(bad, IngestFailure) and "in.jsonl#1" in bad.error and "published" in bad.error
    assert not isinstance(good, IngestFailure)


def test_the_gold_dates_are_scored_as_an_attribute() -> None:
    gold = load_gold(Path(__file__).resolve().parents[2] / "evals" / "gold")
    stat = next(s for doc in gold.values() for s in doc if s.period_end)
    assert attributes(stat, stat)["dates"]
    wrong = stat.model_copy(update={"period_end": "1999-12-31"})
    assert not attributes(stat, wrong)["dates"]
