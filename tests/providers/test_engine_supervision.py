"""The embedded engine's supervision: a crash at start-up stops the run with one message; a
death mid-run is restarted once and the chunk re-sent; a second death fails what is left at
once; chunks in flight at once leave the records unchanged."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from helpers import without

from llm_extract import cli
from llm_extract.config import RunOptions
from llm_extract.core.protocols import BackendUnavailable
from llm_extract.pipeline import run_documents
from llm_extract.providers import select
from llm_extract.providers.embedded.llama_server import LlamaServer
from llm_extract.providers.select import embedded_model

FAKE = Path(__file__).parents[1] / "fake_engine.py"
TIMING = {"seconds", "call_seconds"}
ARTICLES = [
    "前2个月，全国一般公共预算收入46203亿元，同比增长10.5%。全国税收收入40812亿元，同比增长10.1%。",
    "一年来，全国共破获电信网络诈骗案件39.4万起，抓获犯罪嫌疑人63.4万名。紧急止付涉案资金3291亿元。",
    "今年1月至8月，全省查处案件1.2万起，同比下降8.5%，罚没款3400余万元。",
]


def _inputs(tmp_path: Path) -> list[str]:
    paths = []
    for n, text in enumerate(ARTICLES):
        path = tmp_path / f"doc{n}.txt"
        path.write_text(text * 3, encoding="utf-8")  # several chunks each at chunk_chars=120
        paths.append(str(path))
    return paths


def _server(tmp_path: Path, mode: str, parallel: int = 1) -> LlamaServer:
    state = tmp_path / f"{mode}.count"
    return LlamaServer(
        command=lambda host, port: [sys.executable, str(FAKE), host, str(port), mode, str(state)],
        model_alias="fake",
        log_path=tmp_path / f"{mode}.log",
        parallel=parallel,
        self_test=True,
    )


def _options(tmp_path: Path, mode: str, **extra: object) -> RunOptions:
    values = {
        "model": "embedded",
        "strategy": "guided",
        "chunk_chars": 120,
        "cache_dir": tmp_path / f"cache-{mode}",
        "timeout": 10.0,
        "max_retries": 2,
    }
    values.update(extra)
    return RunOptions.model_validate(values)


def _records(tmp_path: Path, mode: str, **extra: object) -> list[dict]:
    options = _options(tmp_path, mode, **extra)
    server = _server(tmp_path, mode, options.in_flight)
    with embedded_model(server, options) as chat:
        records = [r.model_dump() for r in run_documents(_inputs(tmp_path), options, model=chat)]
    assert not server.running
    return records


def test_a_death_is_restarted_once_and_the_chunk_resent(tmp_path: Path) -> None:
    healthy = _records(tmp_path, "ok")
    revived = _records(tmp_path, "die-once")
    assert all(r["status"] == "ok" for r in revived), [r["checks"] for r in revived]
    assert [len(r["stats"]) for r in revived] == [len(r["stats"]) for r in healthy]
    assert [r["stats"] for r in revived] == [r["stats"] for r in healthy]
    assert sum(r["usage"]["retries"] for r in revived) >= 1
    assert "starting" in (tmp_path / "die-once.log").read_text()


def test_a_second_death_fails_the_rest_at_once(tmp_path: Path) -> None:
    began = time.monotonic()
    records = _records(tmp_path, "die-always")
    assert len(records) == len(ARTICLES)  # every document has its record
    errors = [e for r in records for e in r["checks"]["chunk_errors"]]
    assert errors and all("EngineDown" in e for e in errors)
    assert "again after 1 restart" in errors[-1]
    assert records[-1]["status"] == "failed"
    assert time.monotonic() - began < 60  # no retry storm against a dead port


def test_a_crash_in_the_self_test_stops_the_run(tmp_path: Path) -> None:
    options = _options(tmp_path, "crash")
    server = _server(tmp_path, "crash")
    server._command = lambda host, port: [sys.executable, "-c", "import sys; sys.exit(-11)"]
    with embedded_model(server, options) as chat, pytest.raises(BackendUnavailable):
        list(run_documents(_inputs(tmp_path), options, model=chat))


def test_the_cli_exits_2_with_the_engines_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    crashing = LlamaServer(
        command=lambda host, port: [
            sys.executable,
            "-c",
            "import os, signal; print('ggml: illegal instruction', flush=True); "
            "os.kill(os.getpid(), signal.SIGILL)",
        ],
        log_path=tmp_path / "crash.log",
        self_test=True,
    )
    monkeypatch.setattr(select, "server_for", lambda options: crashing)
    out = tmp_path / "out.jsonl"
    code = cli.main(
        [
            "run",
            *_inputs(tmp_path),
            "-o",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
            "-q",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "exited" in err or "died" in err
    assert "illegal instruction" in err and "Likely cause" in err
    assert err.count("llm-extract: error") == 1


def test_chunks_in_flight_leave_records_unchanged(tmp_path: Path) -> None:
    one = _records(tmp_path, "ok", concurrency=1, cache_dir=tmp_path / "one")
    four = _records(tmp_path, "ok", concurrency=4, cache_dir=tmp_path / "four")
    assert without(one, TIMING) == without(four, TIMING)
    assert sum(r["checks"]["chunks"] for r in four) > len(ARTICLES)
