"""`--engine ray`: the same records as the plain run (apart from timings), in input order, for
the regex baseline over the shared corpus and for the LLM path against the scripted server;
the run stops on an unreachable backend; no Ray or the embedded engine is a clear exit 2.

One local Ray (2 CPUs) serves the whole module; the engine joins it instead of starting its own.
"""

from __future__ import annotations

import json
import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, tool_reply
from helpers import untimed

from llm_extract.cli import main
from llm_extract.config import RunOptions
from llm_extract.core.protocols import BackendUnavailable
from llm_extract.paths import shared_dir
from llm_extract.pipeline import run_documents

SHARED = shared_dir()
needs_shared = pytest.mark.skipif(
    not (SHARED / "seeds").is_dir() or not (SHARED / "articles").is_dir(),
    reason=f"shared corpus (seeds, articles) not found at {SHARED}",
)
FIGURES = {"39.4万起": "破获案件", "63.4万名": "抓获犯罪嫌疑人", "1.2万起": "查处案件",
           "3291亿元": "止付资金", "28.5%": "同比上升"}  # fmt: skip
ARTICLES = {
    "a1": "公安部通报\n一年来，全国共破获电信网络诈骗案件39.4万起，抓获犯罪嫌疑人63.4万名，"
    "同比分别上升28.5%和76.6%。紧急止付涉案资金3291亿元。\n",
    "a2": "市场监管总局\n今年以来查处案件1.2万起，罚没金额3.5亿元，其中食品安全案件4200起。\n",
    "a3": "统计局\n全年粮食产量6.95亿吨，比上年增加888万吨，增长1.3%。\n",
}


@pytest.fixture(scope="module")
def ray_local() -> Iterator[object]:
    """A local Ray with 2 CPUs for the module (the engine joins it), shut down after."""
    ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'llm-extract[ray]'")
    pytest.importorskip("ray.data", reason="Ray Data is missing: pip install 'ray[data]'")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    yield ray
    ray.shutdown()


@pytest.fixture
def items_seen(ray_local, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many documents went through `ray.data.from_items` (proof the run used Ray)."""
    seen: list[int] = []
    original = ray_local.data.from_items

    def spy(rows, **kw):
        seen.append(len(rows))
        return original(rows, **kw)

    monkeypatch.setattr(ray_local.data, "from_items", spy)
    return seen


def _unreadable(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bad = folder / "unreadable_binary.txt"
    bad.write_bytes(b"\x00\x01\x02 not text")
    return bad


@needs_shared
def test_regex_records_are_the_plain_runs(tmp_path: Path, items_seen: list[int]) -> None:
    inputs = [str(SHARED / "seeds"), str(SHARED / "articles"), str(_unreadable(tmp_path))]
    plain = [untimed(r) for r in run_documents(inputs, RunOptions(model="regex"))]
    on_ray = [untimed(r) for r in run_documents(inputs, RunOptions(model="regex", engine="ray"))]
    assert items_seen == [len(plain)]
    assert len(plain) > 40 and sum(len(r["stats"]) for r in plain) > 500
    assert plain[-1]["doc_id"] == "unreadable_binary" and plain[-1]["status"] == "failed"
    assert on_ray == plain


def _answer(body: dict):
    """Every known figure that the chunk (the last message) contains."""
    chunk = json.dumps(body["messages"][-1], ensure_ascii=False)
    stats = [{"value_text": v, "metric": m} for v, m in FIGURES.items() if v in chunk]
    return tool_reply({"stats": stats})


def test_llm_records_are_the_plain_runs(
    tmp_path: Path, fake_openai: FakeOpenAI, items_seen: list[int]
) -> None:
    folder = tmp_path / "docs"
    for doc_id, text in ARTICLES.items():
        (folder / f"{doc_id}.txt").parent.mkdir(parents=True, exist_ok=True)
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    inputs = [str(folder / "a1.txt"), str(_unreadable(tmp_path / "bad")), str(folder / "a2.txt"),
              str(folder / "a3.txt")]  # fmt: skip
    fake_openai.responder = _answer
    base = {"model": "fake-model", "base_url": fake_openai.base_url, "api_key": "test",
            "strategy": "free", "chunk_chars": 40, "timeout": 10.0, "concurrency": 2}  # fmt: skip
    plain_options = RunOptions(**base, cache_dir=tmp_path / "c0")
    plain = [untimed(r) for r in run_documents(inputs, plain_options)]
    calls = fake_openai.calls
    ray_options = RunOptions(**base, cache_dir=tmp_path / "c1", engine="ray")
    on_ray = [untimed(r) for r in run_documents(inputs, ray_options)]
    assert items_seen == [4]
    assert [r["doc_id"] for r in plain] == ["a1", "unreadable_binary", "a2", "a3"]
    assert [r["status"] for r in plain] == ["ok", "failed", "ok", "ok"]
    assert {s["surface"] for r in plain for s in r["stats"]} >= {"39.4万起", "1.2万起", "3291亿元"}
    assert calls > 3 and fake_openai.calls == 2 * calls  # the Ray run asked the server itself
    assert sum(r["usage"]["calls"] for r in on_ray) == calls
    assert on_ray == plain


def test_cli_ray_run_is_quiet_and_resumes_on_the_local_engine(
    tmp_path: Path, items_seen: list[int], capfd: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for doc_id, text in ARTICLES.items():
        (docs / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["run", str(docs), "--model", "regex", "-o", str(out), "-q"]
    assert main([*args, "--engine", "ray", "--shard", "1/1"]) == 0
    err = capfd.readouterr().err
    assert err.splitlines() == [err.splitlines()[0]] and err.startswith("3 documents,")  # no noise
    assert items_seen == [3]
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    assert manifest["engine"] == "ray" and manifest["shard"] == [1, 1]
    before = out.read_bytes()
    assert [json.loads(line)["doc_id"] for line in before.splitlines()] == ["a1", "a2", "a3"]
    # the engine does not decide the records: a resume on the local engine is accepted
    assert main([*args, "--engine", "local", "--shard", "1/1", "--resume"]) == 0
    assert out.read_bytes() == before


def test_unreachable_server_stops_the_ray_run(tmp_path: Path, ray_local) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    doc = tmp_path / "a1.txt"
    doc.write_text(ARTICLES["a1"], encoding="utf-8")
    url = f"http://127.0.0.1:{port}/v1"
    options = RunOptions(model="fake-model", base_url=url, api_key="k", max_retries=0, cache=False)
    with pytest.raises(BackendUnavailable, match=str(port)):
        list(run_documents([str(doc)], options))  # the plain run stops ...
    with pytest.raises(BackendUnavailable, match=str(port)):
        list(run_documents([str(doc)], options.model_copy(update={"engine": "ray"})))  # ... so too


def test_without_ray_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    doc = tmp_path / "a1.txt"
    doc.write_text(ARTICLES["a1"], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(doc), "--model", "regex", "--engine", "ray", "-o", str(out)]) == 2
    assert "pip install 'llm-extract[ray]'" in capsys.readouterr().err
    assert not out.exists()


def test_the_embedded_engine_is_refused_on_ray(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "a1.txt"
    doc.write_text(ARTICLES["a1"], encoding="utf-8")
    assert main(["run", str(doc), "--engine", "ray", "-q"]) == 2  # --model embedded by default
    err = capsys.readouterr().err
    assert "does not run the embedded engine" in err and "--base-url" in err


def test_per_process_rate_limits_are_refused_on_ray(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "a1.txt"
    doc.write_text(ARTICLES["a1"], encoding="utf-8")
    args = ["run", str(doc), "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "-q"]
    assert main([*args, "--engine", "ray", "--rpm", "60"]) == 2
    err = capsys.readouterr().err
    assert "--engine ray does not take --rpm" in err and "--shard I/N" in err
