"""`reread`: only the candidates the baseline is unsure of are asked, periods by letter, in two
orders."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from helpers import Scripted

from llm_extract.config import RunOptions
from llm_extract.core.protocols import Reply
from llm_extract.domains import load_domain
from llm_extract.pipeline import prepare, process_document
from llm_extract.steps.ingest import load_documents
from llm_extract.strategies import make_strategy
from llm_extract.strategies.reread import only_unit

DOMAIN = load_domain("statistics")
REREAD = make_strategy("reread", DOMAIN)
OPTIONS = RunOptions(model="embedded", strategy="reread")
TEXT = (
    "2023年全省治安情况通报\n今年前三季度，全省查处案件1.2万起。其中网络案件3200起，其次2100起。\n"
)


def _doc(tmp_path, text=TEXT):
    path = tmp_path / "a.txt"
    path.write_text(text, "utf-8")
    return next(iter(load_documents([str(path)])))


def _answers(*answers: dict) -> Scripted:
    return Scripted(json.dumps({"answers": list(answers)}))


class Chooser:
    """A ChatModel that picks, for each number id, the letter its wanted wording has in the
    request's `Periods:` line, whatever the order."""

    name, mode = "chooser", "tools"

    def __init__(self, wanted: dict[int, str]):
        self.wanted, self.asked = wanted, 0

    def create(self, messages, response_model, max_tokens):
        self.asked += 1
        line = re.search(r"^Periods: (.*)$", messages[-1]["content"], re.M)[1]
        letters = {w: k for k, w in re.findall(r"\((\w)\) (\S+)", line)}
        answers = [{"id": i, "period": letters[w]} for i, w in self.wanted.items()]
        return Reply(response_model.model_validate({"answers": answers}), first_try_valid=True)


def test_only_the_unsure_candidates_are_asked_with_the_period_wordings_to_choose(tmp_path):
    state = prepare(_doc(tmp_path), OPTIONS, REREAD)
    request, reversed_ = state.requests
    assert [c.surface for c in request.candidates] == ["3200起", "2100起"]  # 1.2万起 is sure
    assert request.choices == ["2023年", "今年前三季度"]
    user = REREAD.messages(request)[1]["content"]
    assert "网络案件[1]3200起，其次[2]2100起" in user and "全省查处案件1.2万起" in user
    assert "Periods: (a) 2023年 (b) 今年前三季度" in user
    assert reversed_.candidates == request.candidates
    assert "Periods: (a) 今年前三季度 (b) 2023年" in REREAD.messages(reversed_)[1]["content"]


def test_a_document_the_baseline_is_sure_of_asks_nothing(tmp_path):
    state = prepare(_doc(tmp_path, "今年前三季度，全省查处案件1.2万起。\n"), OPTIONS, REREAD)
    assert state.requests == []


def test_a_period_chosen_in_both_orders_is_set_and_every_other_number_keeps_the_baseline(
    tmp_path,
):
    doc = _doc(tmp_path)
    model = Chooser({1: "2023年", 2: "今年前三季度"})
    record = process_document(doc, model, OPTIONS, REREAD)
    baseline = process_document(doc, None, OPTIONS)
    assert [s.surface for s in record.stats] == [s.surface for s in baseline.stats]
    periods = {s.surface: s.period for s in record.stats}
    assert periods == {"1.2万起": "今年前三季度", "3200起": "2023年", "2100起": "今年前三季度"}
    assert model.asked == 2 and record.checks.chunks == 2 and record.checks.unlabelled == 0


def test_the_same_letter_in_both_orders_is_no_answer(tmp_path):
    doc = _doc(tmp_path)
    first_letter = _answers({"id": 1, "period": "a"}, {"id": 2, "period": "(A)"})
    record = process_document(doc, first_letter, OPTIONS, REREAD)
    baseline = process_document(doc, None, OPTIONS)
    assert [s.period for s in record.stats] == [s.period for s in baseline.stats]
    assert len(first_letter.asked) == 2


def test_a_chosen_wording_of_the_baselines_dates_keeps_the_baselines_wording(tmp_path):
    text = "2023年前三季度治安情况\n今年前三季度，全省查处案件1.2万起。其中网络案件3200起。\n"
    options = RunOptions(model="embedded", strategy="reread", published=date(2023, 10, 20))
    doc = _doc(tmp_path, text)
    baseline = process_document(doc, None, options)
    assert [s.period for s in baseline.stats] == ["今年前三季度", "今年前三季度"]
    record = process_document(doc, Chooser({1: "2023年前三季度"}), options, REREAD)
    assert [s.period for s in record.stats] == ["今年前三季度", "今年前三季度"]
    assert record.stats[1].period_end == "2023-09-30"


@pytest.mark.parametrize("period", ["-", "z", "ab", None, "今年"])
def test_a_period_that_is_no_listed_letter_keeps_the_baseline(tmp_path, period):
    doc = _doc(tmp_path)
    record = process_document(doc, _answers({"id": 1, "period": period}), OPTIONS, REREAD)
    baseline = process_document(doc, None, OPTIONS)
    assert [s.period for s in record.stats] == [s.period for s in baseline.stats]
    assert record.checks.unlabelled == 2  # the second candidate was not answered, twice


def _read(tmp_path, text: str, *answers: dict) -> list[dict]:
    request, _ = prepare(_doc(tmp_path, text), OPTIONS, REREAD).requests
    value = DOMAIN.reread_model.model_validate({"answers": list(answers)})
    return [p.fields for p in REREAD.read(value, request)[0]]


FRAGMENT = "今年前三季度，全省查处案件1.2万起。\n其次800起。\n"  # `其次`, nothing before it


def test_a_metric_is_taken_only_where_the_baseline_had_a_fragment(tmp_path):
    (fields,) = _read(tmp_path, FRAGMENT, {"id": 1, "metric": "查处案件"})
    assert fields["metric"] == "查处案件"
    sure = _read(tmp_path, TEXT, {"id": 1, "period": "b", "metric": "别的指标"})[0]
    assert "metric" not in sure and sure["period"] == "今年前三季度"  # only its period was `?`


@pytest.mark.parametrize("metric", ["同比下降", "亿元", "個百分點", "万人次", "查处案件总数"])
def test_a_fragment_a_unit_or_an_uncopied_metric_is_no_answer(tmp_path, metric):
    (fields,) = _read(tmp_path, FRAGMENT, {"id": 1, "metric": metric})
    assert "metric" not in fields


@pytest.mark.parametrize(
    ("metric", "unit"), [("亿元", True), ("宗", True), ("人民币存款", False), ("元旦", False)]
)
def test_only_unit(metric, unit):
    assert only_unit(metric) is unit


def test_a_cut_off_answer_keeps_its_complete_answers():
    raw = '{"answers":[{"id":1,"period":"a"},{"id":2,"per'
    value = REREAD.salvage(raw)
    assert [a.id for a in value.answers] == [1]
