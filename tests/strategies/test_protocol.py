"""Every strategy behind one protocol, run by the pipeline along one path."""

from __future__ import annotations

import json

import pytest

from llm_extract.config import RunOptions
from llm_extract.core.protocols import Reply
from llm_extract.domains import load_domain
from llm_extract.pipeline import process_document
from llm_extract.steps.ingest import Document
from llm_extract.strategies import RegexStrategy, make_strategy

TEXT = "今年全国破获案件39.4万起，同比上升28.5%，抓获嫌疑人6.3万名。"
DOC = Document("d", "d.txt", TEXT, "txt")
DOMAIN = load_domain("statistics")


class Labeller:
    """A ChatModel that labels every marked candidate a statistic, counting its calls."""

    name, mode = "labeller", "json"

    def __init__(self) -> None:
        self.calls = 0

    def create(self, messages, response_model, max_tokens):
        self.calls += 1
        marks = messages[-1]["content"].split("Candidates:")[0].count("[")
        labels = [{"id": i, "is_stat": True, "metric": "案件"} for i in range(1, marks + 1)]
        raw = json.dumps({"labels": labels, "extra": []})
        return Reply(response_model.model_validate_json(raw), first_try_valid=True)


def test_make_strategy_names_the_choices() -> None:
    assert isinstance(make_strategy("regex"), RegexStrategy)
    assert make_strategy("guided", DOMAIN).name == "guided"
    with pytest.raises(ValueError, match="unknown strategy 'vote'; choose one of regex, free"):
        make_strategy("vote", DOMAIN)
    with pytest.raises(ValueError, match="needs a domain"):
        make_strategy("free")


def test_the_regex_strategy_plans_no_call_and_reads_every_number() -> None:
    record = process_document(DOC, None, RunOptions(model="regex"))
    assert record.strategy == "regex" and record.checks.chunks == 0
    assert [s.surface for s in record.stats] == ["39.4万起", "28.5%", "6.3万名"]


def test_a_model_strategy_takes_the_same_path_and_is_grounded() -> None:
    model = Labeller()
    options = RunOptions(model="labeller", strategy="guided", base_url="http://127.0.0.1:9")
    record = process_document(DOC, model, options, make_strategy("guided", DOMAIN, 900))
    assert model.calls == record.checks.chunks == 1
    assert record.strategy == "guided" and record.run.prompt == DOMAIN.prompt.ident
    # the baseline was sure of every metric here, so its readings stand
    assert [s.metric for s in record.stats] == ["破获案件", "破获案件", "抓获嫌疑人"]
    assert all(TEXT[s.start : s.end] == s.surface for s in record.stats)
    text = "其次3万起。今年全国破获案件39.4万起。"  # `其次`: asked, but not trusted by default
    doc = Document("e", "e.txt", text, "txt")
    record = process_document(doc, model, options, make_strategy("guided", DOMAIN, 900))
    assert [s.metric for s in record.stats] == ["其次", "破获案件"]
