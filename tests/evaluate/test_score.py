"""Scorer: matching rules, levels, error taxonomy, bootstrap statistics, `eval` output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm_extract.cli.evaluate import eval_command
from llm_extract.evaluate.normalize import (
    metric_similar,
    names_match,
    norm_period,
    norm_unit,
)
from llm_extract.evaluate.score import RunScore, admissible, score_document, score_run
from llm_extract.evaluate.stats import bootstrap_ci, paired_bootstrap
from llm_extract.lang.textnorm import resolution
from llm_extract.records import Checks, DocumentRecord, Statistic

TEXT = (
    "一年来，全国共破获电信网络诈骗案件39.4万起，抓获犯罪嫌疑人63.4万名，"
    "同比分别上升28.5%和76.6%。失业率月减0.05个百分点，发案数同比下降17.3%。"
)


def st(
    surface: str,
    value: float,
    metric: str = "破获电信网络诈骗案件",
    unit: str = "起",
    start: int | None = None,
    **kw: object,
) -> Statistic:
    """A statistic located in TEXT (or at `start` when the surface is not in it)."""
    at = TEXT.find(surface) if start is None else start
    fields = {"period": "一年来", "region": "全国", "kind": "count", "evidence": TEXT[:60]} | kw
    return Statistic(
        metric=metric,
        value=value,
        unit=unit,
        surface=surface,
        start=at,
        end=at + len(surface),
        **fields,
    )


def gold_39() -> Statistic:
    return st("39.4万起", 394000)


# --- value matching -------------------------------------------------------------------------


def test_resolution_follows_written_precision() -> None:
    assert resolution("39.4 万起") == pytest.approx(1000)
    assert resolution("28.5%") == pytest.approx(0.1)
    assert resolution("1萬4109") == 1
    assert resolution("2億2392萬元") == pytest.approx(1e4)
    assert resolution("九億兩千多萬元") == pytest.approx(1e7)
    assert resolution("一億七二四四萬元") == pytest.approx(1e4)
    assert resolution("六成四六") == pytest.approx(0.1)
    assert resolution("十一.三億元") == pytest.approx(1e7)
    assert resolution("一百廿一件") == 1
    assert resolution("abc") is None


@pytest.mark.parametrize(
    ("value", "ok"),
    [(394000, True), (394000.0000001, True), (394200, True), (395000, False), (39.4, False)],
)
def test_value_equal_at_the_precision_written_in_gold(value: float, ok: bool) -> None:
    assert admissible(gold_39(), st("39.4万起", value)) is ok


def test_exact_gold_has_only_float_tolerance() -> None:
    gold = st("1萬4109", 14109, unit="")
    assert admissible(gold, st("14109", 14109.0, unit=""))
    assert not admissible(gold, st("14110", 14110, unit=""))
    chinese = st("六成四六", 64.6, unit="%", start=0)
    assert admissible(chinese, st("64.6%", 64.6, unit="成", start=0))
    assert admissible(chinese, st("64.63%", 64.63, unit="%", start=0))
    assert not admissible(chinese, st("64.7%", 64.7, unit="%", start=0))
    assert not admissible(st("一百廿一件", 121, unit="件"), st("120件", 120, unit="件"))


def test_units_normalised_traditional_aliases_and_empty() -> None:
    assert norm_unit("個百分點") == norm_unit("百分点") == "个百分点"
    assert norm_unit("萬人次") == "人次"
    assert norm_unit("成") == "%"
    assert norm_unit("億元") == "元"
    g = st("0.05个百分点", -0.05, unit="個百分點", kind="change")
    assert admissible(g, st("0.05个百分点", -0.05, unit="个百分点"))
    assert admissible(gold_39(), st("39.4万起", 394000, unit=""))  # empty on one side
    assert not admissible(gold_39(), st("39.4万起", 394000, unit="名"))


def test_sign_and_value_max() -> None:
    down = st("17.3%", -17.3, unit="%", kind="change")
    assert not admissible(down, st("17.3%", 17.3, unit="%"))
    rng = st("3.34%", 3.34, unit="%", start=0, value_max=3.4)
    assert admissible(rng, st("3.34%", 3.34, unit="%", start=0))  # max given on one side only
    assert admissible(rng, st("3.34%", 3.34, unit="%", start=0, value_max=3.4))
    assert not admissible(rng, st("3.34%", 3.34, unit="%", start=0, value_max=3.5))


# --- levels and assignment ------------------------------------------------------------------


def test_levels_value_core_strict() -> None:
    gold = [gold_39()]
    strict = score_document("d", gold, [gold_39()])
    assert [m.level for m in strict.matches] == ["strict"]
    core = score_document("d", gold, [st("39.4万起", 394000, metric="破获诈骗案件", region="北京")])
    assert [m.level for m in core.matches] == ["core"]
    assert core.matches[0].attrs["region"] is False and core.matches[0].attrs["metric"] is True
    value = score_document("d", gold, [st("39.4万起", 394000, metric="抓获犯罪嫌疑人")])
    assert [m.level for m in value.matches] == ["value"]
    period = score_document("d", gold, [st("39.4万起", 394000, period="2019年")])
    assert [m.level for m in period.matches] == ["value"]
    assert [value.prf(lvl).tp for lvl in ("value", "core", "strict")] == [1, 0, 0]


def test_normalisation_of_metric_and_period() -> None:
    assert metric_similar("破獲電信網絡詐騙案件", "破获电信网络诈骗案件")
    assert metric_similar("诈骗案件", "破获电信网络诈骗案件")  # containment
    assert not metric_similar("抓获犯罪嫌疑人", "破获电信网络诈骗案件")
    assert norm_period("今年1-8月") == norm_period("1月至8月份") == "1至8月"
    assert norm_period(None) is None
    assert norm_period("2023年全年") == norm_period("2023年") != norm_period("全年")
    assert norm_period("從今年以來") == norm_period("今年以来")
    assert norm_period("中秋假期（9月15日至17日）") == norm_period("中秋假期")


def test_a_scope_word_naming_one_place_matches_the_place() -> None:
    assert names_match("本港", "香港特別行政區") and names_match("全澳", "澳門")
    assert not names_match("本港", "澳门") and not names_match("本市", "香港")


def test_an_abbreviated_body_matches_its_full_name() -> None:
    assert names_match("港務公司", "臺灣港務股份有限公司") and names_match(
        "旅發局", "香港旅遊發展局"
    )
    assert not names_match("警政署", "刑事警察局") and not names_match("財政部", "主計總處")


def test_one_to_one_prefers_similar_metric_and_span() -> None:
    gold = [st("39.4万起", 394000)]
    decoy = st("39.4万起", 394000, metric="抓获犯罪嫌疑人", start=0)
    right = st("39.4万起", 394000)
    doc = score_document("d", gold, [decoy, right])
    assert len(doc.matches) == 1 and doc.matches[0].pred == 1
    assert doc.pred_errors == {0: "spurious"}
    assert doc.prf("value").precision == 0.5 and doc.prf("value").recall == 1.0


def test_assignment_maximises_matches() -> None:
    # pred 0 fits both golds (prefers gold 0's metric); pred 1 fits only gold 0 (empty unit)
    g0 = st("28.5%", 28.5, unit="%", metric="破获电信网络诈骗案件", kind="change")
    g1 = st("28.5%", 28.5, unit="起", metric="抓获犯罪嫌疑人", start=200)
    p0 = st("28.5%", 28.5, unit="", metric="破获电信网络诈骗案件")
    p1 = st("28.5%", 28.5, unit="%", metric="抓获犯罪嫌疑人")
    doc = score_document("d", [g0, g1], [p0, p1])
    assert sorted((m.gold, m.pred) for m in doc.matches) == [(0, 1), (1, 0)]


# --- error taxonomy -------------------------------------------------------------------------


def test_taxonomy_magnitude_percent_points_sign() -> None:
    gold = [
        gold_39(),
        st("0.05个百分点", -0.05, unit="个百分点", metric="失业率", kind="change"),
        st("17.3%", -17.3, unit="%", metric="发案数", kind="change"),
    ]
    pred = [
        st("39.4万起", 39.4),
        st("0.05个百分点", -0.05, unit="%", metric="失业率"),
        st("17.3%", 17.3, unit="%", metric="发案数"),
    ]
    doc = score_document("d", gold, pred)
    assert doc.matches == []
    assert doc.pred_errors == {0: "magnitude", 1: "percent_points", 2: "sign"}
    assert doc.gold_errors == doc.pred_errors
    assert RunScore([doc]).taxonomy()["magnitude"] == 1


def test_taxonomy_missed_spurious_chrome_ungrounded() -> None:
    gold = [gold_39(), st("63.4万名", 634000, metric="抓获犯罪嫌疑人", unit="名")]
    inside = st("76.6%", 76.6, unit="%", metric="其他")  # within the evidence clause
    chrome = Statistic(
        metric="阅读",
        value=10,
        unit="个",
        surface="10个",
        evidence="推荐阅读：10个",
        start=500,
        end=503,
    )
    doc = score_document("d", gold, [gold_39(), inside, chrome], ungrounded=3)
    assert doc.gold_errors == {1: "missed"}
    assert doc.pred_errors == {1: "spurious", 2: "chrome"}
    tax = RunScore([doc]).taxonomy()
    assert (tax["missed"], tax["spurious"], tax["chrome"], tax["ungrounded"]) == (1, 1, 1, 3)


# --- runs, micro averages, bootstrap -------------------------------------------------------


def record(doc_id: str, stats: list[Statistic], ungrounded: int = 0) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        model="m",
        strategy="s",
        stats=stats,
        checks=Checks(ungrounded=ungrounded),
    )


def test_score_run_micro_missing_and_unscored() -> None:
    gold = {"a": [gold_39()], "b": [gold_39(), st("63.4万名", 634000, unit="名")], "c": [gold_39()]}
    records = [
        record("a", [gold_39()]),
        record("b", [gold_39(), st("28.5%", 28.5, unit="%")]),
        record("x", [gold_39()]),
    ]
    run = score_run(gold, records)
    prf = run.prf("strict")
    assert (prf.tp, prf.n_pred, prf.n_gold) == (2, 3, 4)
    assert prf.f1 == pytest.approx(2 * 2 / 7)
    assert run.unscored == ["x"]
    assert [d.has_record for d in run.docs] == [True, True, False]
    assert run.attribute_accuracy()["metric"] == 1.0


def many_docs(n_right: int, n_docs: int = 12) -> RunScore:
    """Each document: 3 gold; the run gets `n_right` of them right and one spurious."""
    gold = {
        f"d{i:02d}": [st(f"{k}起", k + 1, start=10 * k) for k in range(3)] for i in range(n_docs)
    }
    recs = [record(d, g[:n_right] + [st("99起", 99, start=90)]) for d, g in gold.items()]
    return score_run(gold, recs)


def test_bootstrap_is_deterministic_and_brackets_f1() -> None:
    run = many_docs(2)
    # vary the documents so the CI has width
    run.docs[0].matches.clear()
    first, again = bootstrap_ci(run, "value"), bootstrap_ci(run, "value")
    assert first == again
    assert first[0] <= run.prf("value").f1 <= first[1]
    assert first[0] < first[1]


def test_paired_bootstrap_sign() -> None:
    better, worse = many_docs(3), many_docs(1)
    up = paired_bootstrap(better, worse, "core")
    assert up.delta > 0 and up.ci[0] > 0 and up.p < 0.01
    down = paired_bootstrap(worse, better, "core")
    assert down.delta == pytest.approx(-up.delta) and down.ci[1] < 0 and down.p > 0.99
    same = paired_bootstrap(better, better, "core")
    assert same.delta == 0 and same.p == 1.0


def test_eval_command_json_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "a.jsonl").write_text(
        gold_39().model_dump_json(exclude={"grounding", "baseline"}) + "\n", encoding="utf-8"
    )
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        record("a", [gold_39(), st("28.5%", 28.5, unit="%")]).model_dump_json() + "\n",
        encoding="utf-8",
    )
    assert eval_command(pred, gold_dir, as_json=True) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["levels"]["strict"]["precision"] == 0.5 and out["levels"]["strict"]["recall"] == 1
    assert out["taxonomy"]["spurious"] == 1 and out["docs"][0]["doc_id"] == "a"
    assert len(out["levels"]["core"]["ci"]) == 2
    assert eval_command(pred, gold_dir, as_json=False) == 0
    text = capsys.readouterr().out
    assert "strict" in text and "66.7" in text
    assert eval_command(tmp_path / "nope.jsonl", gold_dir, as_json=False) == 2


def test_eval_with_no_gold_documents_is_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "gold").mkdir()
    pred = tmp_path / "pred.jsonl"
    pred.write_text(record("a", [gold_39()]).model_dump_json() + "\n", encoding="utf-8")
    assert eval_command(pred, tmp_path / "gold", as_json=True) == 0
    out = json.loads(capsys.readouterr().out, parse_constant=pytest.fail)  # no NaN
    assert out["documents"] == 0 and out["levels"]["core"]["ci"] == [None, None]
    assert out["unscored"] == ["a"]
