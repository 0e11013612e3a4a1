"""Strategies over a scripted ChatModel: marking, budgets, salvage, dedupe, unlabelled."""

from __future__ import annotations

import json

from helpers import Scripted

from llm_extract.domains import load_domain
from llm_extract.steps.chunk import Chunk
from llm_extract.steps.extract import mark_candidates
from llm_extract.steps.numbers import find_numbers
from llm_extract.strategies import ChunkRequest, make_strategy
from llm_extract.strategies.guided import _where_unsure

TEXT = "今年全国破获案件39.4万起，同比上升28.5%，抓获嫌疑人6.3万名。"
DOMAIN = load_domain("statistics")
FREE, GUIDED = make_strategy("free", DOMAIN), make_strategy("guided", DOMAIN)


def extract_chunk(model, strategy, chunk, mentions, hints=()):
    return strategy.ask(model, ChunkRequest(chunk, mentions, list(hints)))


def _chunk() -> tuple[Chunk, list]:
    return Chunk(0, len(TEXT), TEXT), find_numbers(TEXT)


def test_mark_candidates_inserts_numbers_before_each_mention():
    chunk, mentions = _chunk()
    assert mark_candidates(chunk, mentions) == (
        "今年全国破获案件[1]39.4万起，同比上升[2]28.5%，抓获嫌疑人[3]6.3万名。"
    )


def test_output_budget_grows_with_candidates_and_is_bounded():
    assert GUIDED.budget(10) > GUIDED.budget(2)
    assert FREE.budget(3) < 1000


def test_guided_asks_with_marks_and_keeps_every_candidate():
    """Unlabelled candidates and those the model calls no statistic are kept as the baseline
    reads them: the baseline decides what is a statistic (the 1.5B model's `is_stat: false`
    dropped 10 true statistics for 1 spurious one on the tune split)."""
    chunk, mentions = _chunk()
    raw = json.dumps(
        {
            "labels": [
                {"id": 1, "is_stat": True, "metric": "破获案件"},
                {"id": 1, "is_stat": True, "metric": "破获案件"},
                {"id": 2, "is_stat": False},
            ],
            "extra": [],
        }
    )
    model = Scripted(raw)
    result = extract_chunk(model, GUIDED, chunk, mentions)
    messages, response_model, _ = model.asked[0]
    assert "[1]39.4万起" in messages[1]["content"] and response_model is DOMAIN.guided_model
    assert [p.candidate.surface for p in result.proposals] == ["39.4万起", "28.5%", "6.3万名"]
    assert result.unlabelled == 1


def test_guided_takes_the_model_reading_only_where_the_baseline_was_unsure():
    chunk, mentions = _chunk()
    labels = [
        {"id": 1, "is_stat": True, "metric": "立案数", "period": "今年"},  # sure: baseline kept
        {"id": 2, "is_stat": True, "metric": "破获案件", "period": "今年"},  # metric was ?
        {"id": 3, "is_stat": True, "metric": "抓获嫌疑人", "period": "今年"},  # period was ?
    ]
    hints = ["破获案件|今年|全国|-", "?|今年|全国|-", "抓获嫌疑人|?|全国|-"]
    model = Scripted(json.dumps({"labels": labels, "extra": []}))
    result = extract_chunk(model, GUIDED, chunk, mentions, hints)
    got = [(p.fields["metric"], p.fields["period"]) for p in result.proposals]
    assert got == [(None, None)] * 3  # the default trusts neither (measured on tune)
    fields = [dict(label, value_text="x") for label in labels]
    trusted = [
        _where_unsure(f, h, ("metric", "period")) for f, h in zip(fields, hints, strict=True)
    ]
    assert [(f["metric"], f["period"]) for f in trusted] == [
        (None, None),
        ("破获案件", None),
        (None, "今年"),
    ]
    assert _where_unsure(fields[1], hints[1], ("period",))["metric"] is None


def test_guided_keeps_the_baselines_region_and_agency_unless_the_model_owns_them():
    fields = {"metric": "立案数", "period": "今年", "region": "上海", "agency": "公安部"}
    default = _where_unsure(fields, "立案数|今年|全国|-")
    assert (default["region"], default["agency"]) == (None, None)  # the baseline's stand
    owned = _where_unsure(fields, "立案数|今年|全国|-", own=("agency",))
    assert (owned["region"], owned["agency"]) == (None, "公安部")


def test_free_dedupes_a_looping_answer():
    chunk, mentions = _chunk()
    item = {"value_text": "39.4万起", "metric": "破获案件"}
    result = extract_chunk(Scripted(json.dumps({"stats": [item] * 5})), FREE, chunk, mentions)
    assert len(result.proposals) == 1


def test_cut_off_answer_is_salvaged_item_by_item():
    raw = (
        '{"stats":[{"value_text":"39.4万起","metric":"a"},{"value_text":"28.5%","metric":"b"},{"va'
    )
    chunk, mentions = _chunk()
    result = extract_chunk(Scripted(raw, valid=False), FREE, chunk, mentions)
    assert result.salvaged and [p.fields["value_text"] for p in result.proposals] == [
        "39.4万起",
        "28.5%",
    ]
    assert FREE.salvage("not json at all") is None


def test_guided_extra_is_bounded_in_schema_and_validation():
    schema = DOMAIN.guided_model.model_json_schema()
    assert schema["properties"]["extra"]["maxItems"] == 3
    many = DOMAIN.guided_model(
        labels=[], extra=[{"value_text": str(i), "metric": "m"} for i in range(9)]
    )
    assert len(many.extra) == 3


def test_guided_lists_the_baseline_guess_beside_each_candidate():
    chunk, mentions = _chunk()
    model = Scripted(json.dumps({"labels": [], "extra": []}))
    extract_chunk(model, GUIDED, chunk, mentions, ["破获案件; 今年", "", "抓获嫌疑人"])
    user = model.asked[0][0][1]["content"]
    assert "[1] 39.4万起 (破获案件; 今年) [2] 28.5% [3] 6.3万名 (抓获嫌疑人)" in user


def test_guided_hints_show_a_question_mark_where_the_baseline_is_unsure(tmp_path):
    from llm_extract.config import RunOptions
    from llm_extract.pipeline import prepare
    from llm_extract.steps.ingest import load_documents

    path = tmp_path / "a.txt"
    path.write_text(
        "今年前三季度，全省查处案件1.2万起。其中网络案件3200起，其次2100起。\n其次800起。\n",
        "utf-8",
    )
    doc = next(iter(load_documents([str(path)])))
    state = prepare(doc, RunOptions(model="embedded"), GUIDED)
    hints = state.requests[0].hints
    assert hints[0].startswith("查处案件|今年前三季度|")  # stated in its sentence: shown
    assert hints[1].startswith("网络案件|?|")  # carried from the sentence before: asked
    assert hints[2].startswith("网络案件|?|")  # `其次`: the subject of the clause before
    assert hints[3].startswith("?|")  # `其次` with nothing before it in the paragraph: asked


def test_guided_reads_a_copied_hint_as_its_first_part_and_a_question_mark_as_none():
    chunk, mentions = _chunk()
    labels = [
        {"id": 1, "is_stat": True, "metric": "破获案件", "period": "今年|全国|-"},
        {"id": 2, "is_stat": True, "metric": "?", "period": "-"},
        {"id": 3, "is_stat": True},
    ]
    model = Scripted(json.dumps({"labels": labels, "extra": []}))
    result = extract_chunk(model, GUIDED, chunk, mentions)
    fields = [p.fields for p in result.proposals]
    assert fields[0]["period"] == "今年" and fields[0]["metric"] == "破获案件"
    assert fields[1]["metric"] is None and fields[1]["period"] is None
    assert "kind" not in fields[2]  # the baseline's kind is not asked for
