"""Domains are data: a schema folder written here, run through the CLI against the scripted
server, brings its own fields to the output (`Statistic.attributes`); the default domain's
output has none; an `Item` not built on `StatisticItem` is refused; and the assembly of a
statistic from a mention and a proposal."""

from __future__ import annotations

import importlib.resources
import json
import textwrap
from datetime import date
from enum import Enum
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, Reply, tool_reply
from pydantic import BaseModel

from llm_extract.cli import main
from llm_extract.domains import load_domain
from llm_extract.domains.base import StatisticItem
from llm_extract.records import BaselineCheck, Grounding
from llm_extract.steps.assemble import MAPPED_FIELDS, assemble_statistic, domain_attributes
from llm_extract.steps.clean import clean
from llm_extract.steps.context import ContextReader
from llm_extract.steps.numbers import find_numbers
from llm_extract.strategies.regex import baseline_statistics

ARTICLE = "2024年，全国新能源汽车销量达到1286.6万辆，同比增长35.5%。\n"
SALES_SCHEMA = """
from pydantic import Field

from llm_extract.domains.base import StatisticItem


class Item(StatisticItem):
    metric: str = Field(description="what is counted, as worded")
    period: str | None = None
    product: str | None = Field(None, description="the product the figure is about")


CANDIDATE_FIELDS = frozenset({"value_text", "value", "evidence"})
"""
PLAIN_SCHEMA = """
from pydantic import BaseModel


class Item(BaseModel):
    value_text: str
    metric: str
"""


def _statistics_prompt() -> str:
    folder = importlib.resources.files("llm_extract.domains").joinpath("statistics")
    return folder.joinpath("prompt.toml").read_text(encoding="utf-8")


def _domain(tmp_path: Path, schema: str = SALES_SCHEMA, name: str = "sales") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "schema.py").write_text(textwrap.dedent(schema), encoding="utf-8")
    (folder / "prompt.toml").write_text(_statistics_prompt(), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "test")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


def _run(tmp_path: Path, server: FakeOpenAI, *extra: str) -> list[dict]:
    """`llm-extract run` over ARTICLE against the scripted server; the JSONL stats of it."""
    article = tmp_path / "a1.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    argv = ["run", str(article), "-o", str(out), "--model", "fake-model", "--base-url"]
    argv += [server.base_url, "--cache-dir", str(tmp_path / "cache"), "-q", *extra]
    assert main(argv) == 0
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["status"] == "ok", record["error"]
    return record["stats"]


def _tool_schema(server: FakeOpenAI) -> str:
    return json.dumps(server.requests[-1].body["tools"], ensure_ascii=False)


# -- a domain's own field reaches the output --------------------------------------------------


def test_a_free_item_brings_its_own_field_as_an_attribute(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    item = {"value_text": "1286.6万辆", "metric": "新能源汽车销量", "product": "新能源汽车"}
    fake_openai.responder = lambda request: tool_reply({"stats": [item]})
    folder = _domain(tmp_path)
    stats = _run(tmp_path, fake_openai, "--schema", str(folder), "--strategy", "free")
    (stat,) = stats
    assert stat["surface"] == "1286.6万辆" and stat["value"] == 12866000
    assert stat["metric"] == "新能源汽车销量" and stat["period"] == "2024年"
    assert stat["attributes"] == {"product": "新能源汽车"}
    assert '"product"' in _tool_schema(fake_openai)  # the model was asked for it


def test_a_guided_label_brings_its_own_field_as_an_attribute(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    def answer(request: dict) -> dict:
        assert "[1]1286.6万辆" in request["messages"][-1]["content"]
        labels = [{"id": 1, "is_stat": True, "metric": "新能源汽车销量", "product": "新能源汽车"}]
        return tool_reply({"labels": labels, "extra": []}).body(request)

    fake_openai.responder = lambda request: Reply(body=answer)
    folder = _domain(tmp_path)
    stats = _run(tmp_path, fake_openai, "--schema", str(folder), "--strategy", "guided")
    labelled, skipped = stats
    assert labelled["surface"] == "1286.6万辆"
    assert labelled["attributes"] == {"product": "新能源汽车"}
    # the model never labelled 35.5%: kept as the regex read it, with nothing of its own
    assert skipped["surface"] == "35.5%" and "attributes" not in skipped
    assert '"product"' in _tool_schema(fake_openai)


def test_an_attribute_the_model_leaves_empty_is_not_written(
    tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    item = {"value_text": "1286.6万辆", "metric": "新能源汽车销量", "product": None}
    fake_openai.responder = lambda request: tool_reply({"stats": [item]})
    folder = _domain(tmp_path)
    (stat,) = _run(tmp_path, fake_openai, "--schema", str(folder), "--strategy", "free")
    assert "attributes" not in stat


# -- the default domain is unchanged ----------------------------------------------------------


@pytest.mark.parametrize("strategy", ["free", "guided"])
def test_the_default_domain_writes_no_attributes(
    tmp_path: Path, fake_openai: FakeOpenAI, strategy: str
) -> None:
    free = {"stats": [{"value_text": "1286.6万辆", "metric": "新能源汽车销量"}]}
    guided = {"labels": [{"id": 1, "is_stat": True, "metric": "新能源汽车销量"}], "extra": []}
    fake_openai.responder = lambda request: tool_reply(free if strategy == "free" else guided)
    stats = _run(tmp_path, fake_openai, "--strategy", strategy)
    assert stats and all("attributes" not in stat for stat in stats)
    assert '"product"' not in _tool_schema(fake_openai)


def test_the_regex_model_writes_no_attributes(tmp_path: Path) -> None:
    article = tmp_path / "a1.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(article), "--model", "regex", "-o", str(out), "-q"]) == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(record["stats"]) == 2
    assert all("attributes" not in stat for stat in record["stats"])


def test_the_statistics_item_declares_the_base_fields_as_the_base_does() -> None:
    """It declares them again only to keep their place in the schema the model sees."""
    item = load_domain("statistics").item
    assert issubclass(item, StatisticItem)
    for name, base in StatisticItem.model_fields.items():
        own = item.model_fields[name]
        assert (own.annotation, own.default, own.description) == (
            base.annotation,
            base.default,
            base.description,
        )
    order = ["value_text", "metric", "period", "region", "agency", "kind", "value", "unit",
             "approx", "evidence"]  # fmt: skip
    assert list(item.model_fields) == order
    assert list(item.model_json_schema()["properties"]) == order


def test_a_subclass_declares_where_the_base_fields_go() -> None:
    class Plain(StatisticItem):
        metric: str

    class Placed(StatisticItem):
        metric: str
        value_text: str  # declared again: placed here

    class More(Placed):
        product: str | None = None

    assert list(Plain.model_fields) == ["value_text", "value", "evidence", "metric"]
    assert list(Placed.model_fields) == ["value", "evidence", "metric", "value_text"]
    assert list(More.model_fields) == ["value", "evidence", "metric", "value_text", "product"]
    assert list(More.model_json_schema()["properties"]) == list(More.model_fields)
    assert More(metric="m", value_text="1万辆", product="车").product == "车"


# -- an item not built on the base is refused -------------------------------------------------


def test_an_item_not_extending_the_base_is_refused_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _domain(tmp_path, PLAIN_SCHEMA, "plain")
    article = tmp_path / "a1.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    argv = ["run", str(article), "--model", "fake-model", "--base-url", "http://127.0.0.1:9/v1"]
    assert main([*argv, "--schema", str(folder), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 2
    err = capsys.readouterr().err
    assert str(folder / "schema.py") in err and "StatisticItem" in err
    with pytest.raises(ValueError, match=r"plain\.py: `Item` must extend"):
        plain = tmp_path / "plain.py"
        plain.write_text(textwrap.dedent(PLAIN_SCHEMA), encoding="utf-8")
        (tmp_path / "plain.toml").write_text(_statistics_prompt(), encoding="utf-8")
        load_domain(str(plain))


# -- assembling one statistic -----------------------------------------------------------------


def _read(text: str = ARTICLE):
    cleaned = clean(text, "txt")
    return cleaned, ContextReader(cleaned.text), find_numbers(cleaned.text)


def test_assembly_without_a_proposal_is_the_regex_reading() -> None:
    cleaned, reader, mentions = _read()
    stat = assemble_statistic(cleaned, reader, mentions[0])
    assert (stat.metric, stat.period, stat.region, stat.agency) == (
        "新能源汽车销量",
        "2024年",
        "全国",
        None,
    )
    assert (stat.value, stat.unit, stat.kind) == (12866000, "辆", "count")
    assert stat.surface == "1286.6万辆"
    assert ARTICLE[stat.start : stat.end] == stat.surface and stat.evidence in ARTICLE
    assert stat.grounding == Grounding.exact and stat.baseline == BaselineCheck.agree
    assert stat.attributes == {} and "attributes" not in json.loads(stat.model_dump_json())
    assert baseline_statistics(cleaned, reader, mentions) == [
        assemble_statistic(cleaned, reader, m) for m in mentions
    ]


def test_assembly_offsets_point_into_the_original() -> None:
    html = "<p>2024年，全国新能源汽车<b>销量</b>达到1286.6万辆。</p>"
    cleaned = clean(html, "html")
    reader, mentions = ContextReader(cleaned.text), find_numbers(cleaned.text)
    stat = assemble_statistic(cleaned, reader, mentions[0])
    assert html[stat.start : stat.end] == stat.surface == "1286.6万辆"


class Channel(Enum):
    online = "线上"


def test_the_model_fields_take_precedence_and_the_domain_fields_are_attributes() -> None:
    cleaned, reader, mentions = _read()
    fields = {
        "value_text": "1286.6万辆",
        "value": 1.0,  # the text decides the value, not the model
        "evidence": "全国新能源汽车销量",
        "metric": " 销量 ",
        "period": "   ",  # blank: the regex context stays
        "region": None,
        "agency": "乘联会",
        "kind": "money",  # the text decides the kind
        "unit": "台",
        "approx": True,
        "product": "新能源汽车",
        "models": 12,
        "share": 0.5,
        "exported": False,
        "brand": None,  # left empty: not written
        "channel": Channel.online,
        "launched": date(2024, 1, 1),
        "cities": ["北京", "上海"],
    }
    stat = assemble_statistic(
        cleaned, reader, mentions[0], fields, Grounding.fuzzy, BaselineCheck.value_differs
    )
    assert (stat.metric, stat.period, stat.agency) == ("销量", "2024年", "乘联会")
    assert stat.region == "全国"
    assert (stat.value, stat.kind, stat.unit, stat.approx) == (12866000, "count", "辆", False)
    assert stat.grounding == Grounding.fuzzy and stat.baseline == BaselineCheck.value_differs
    assert stat.attributes == {
        "product": "新能源汽车",
        "models": 12,
        "share": 0.5,
        "exported": False,
        "channel": "线上",
        "launched": "2024-01-01",
        "cities": '["北京", "上海"]',
    }
    line = json.loads(stat.model_dump_json())
    assert line["attributes"]["exported"] is False and line["attributes"]["models"] == 12


def test_the_mapped_fields_are_the_output_fields_and_the_base() -> None:
    assert {"value_text", "value", "evidence", "metric", "period", "region", "agency", "kind",
            "unit", "approx", "surface", "start", "end"} <= MAPPED_FIELDS  # fmt: skip
    assert "product" not in MAPPED_FIELDS
    assert domain_attributes({"value_text": "1万", "metric": "m", "product": "p"}) == {
        "product": "p"
    }


def test_label_model_asks_for_the_domain_fields(tmp_path: Path) -> None:
    domain = load_domain(str(_domain(tmp_path)))
    label = domain.label_model.model_json_schema()["properties"]
    assert {"id", "is_stat", "metric", "period", "product"} == set(label)
    assert issubclass(domain.item, StatisticItem) and issubclass(domain.item, BaseModel)
