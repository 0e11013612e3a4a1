"""`--batch-api` against a loopback server with the files and batches endpoints: the batch holds
exactly the online path's requests, its answers give the online run's records, failed lines fail
their chunks with the reason, and an interrupted run takes up its batch instead of paying twice."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import pytest
from fake_batches import FakeBatchServer
from fake_openai import tool_reply
from helpers import without
from runs import cli, corpus

from llm_extract.cli import main
from llm_extract.resume import manifest_path

VOLATILE = {"usage", "call_seconds"}
NUMBER = re.compile(r"\d+(?:\.\d+)?[万亿]?[起元人个件%]?")


def answer_first_number(body: dict):
    """Answers a chunk with its first number (so records differ from document to document)."""
    text = body["messages"][-1]["content"]
    found = NUMBER.search(text.rsplit("\n\n", 1)[-1]) or NUMBER.search(text)
    stats = [{"value_text": found.group(0), "metric": "数字"}] if found else []
    return tool_reply({"stats": stats})


@pytest.fixture
def server():
    with FakeBatchServer(polls=2) as fake:
        fake.responder = answer_first_number
        yield fake


def _args(server: FakeBatchServer, out: Path, cache: Path, *more: str) -> list[str]:
    return ["-o", str(out), "--model", "fake-model", "--base-url", server.base_url,
            "--strategy", "free", "--cache-dir", str(cache), "-q", "--chunk-chars", "80",
            "--batch-poll", "0.05", *more]  # fmt: skip


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _online_bodies(server: FakeBatchServer) -> list[dict]:
    """Chat requests that came over HTTP (the batch's own lines carry no headers)."""
    return [r.body for r in server.requests if r.headers]


def test_a_batch_run_sends_the_online_requests_and_gives_the_online_records(
    tmp_path: Path, server: FakeBatchServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    inputs = corpus(tmp_path / "a", n=6)
    online = tmp_path / "online.jsonl"
    assert main(["run", *inputs, *_args(server, online, tmp_path / "c0")]) == 0
    sent_online = _online_bodies(server)
    server.reset()
    server.responder = answer_first_number

    batched = tmp_path / "batch.jsonl"
    assert main(["run", *inputs, *_args(server, batched, tmp_path / "c1"), "--batch-api"]) == 0
    assert _online_bodies(server) == []  # no chat call went over HTTP
    assert len(server.created) == 1
    batch_input = server.files[server.batches[server.created[0]]["input_file_id"]]
    lines = [json.loads(x) for x in batch_input.splitlines()]
    assert {json.dumps(x["body"], sort_keys=True) for x in lines} == {
        json.dumps(b, sort_keys=True) for b in sent_online
    }
    assert all(x["url"] == "/v1/chat/completions" and x["method"] == "POST" for x in lines)
    got, want = _records(batched), _records(online)
    assert sum(len(r["stats"]) for r in got) >= 6
    assert without(got, VOLATILE) == without(want, VOLATILE)
    assert [r["usage"]["prompt_tokens"] for r in got] == [r["usage"]["prompt_tokens"] for r in want]
    described = json.loads(manifest_path(batched).read_text())
    assert described["batch_ids"] == server.created
    assert (batched.with_name("batch.jsonl.batch") / f"{server.created[0]}.jsonl").exists()

    # the answers were cached like online ones: a rerun needs no batch at all
    again = tmp_path / "again.jsonl"
    assert main(["run", *inputs, *_args(server, again, tmp_path / "c1"), "--batch-api"]) == 0
    assert len(server.created) == 1
    assert without(_records(again), VOLATILE) == without(got, VOLATILE)


def test_failed_and_expired_lines_fail_their_chunks_with_the_reason(
    tmp_path: Path, server: FakeBatchServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    inputs = corpus(tmp_path / "a", n=4)
    refused = Path(inputs[1]).read_text(encoding="utf-8")[:20]
    server.fail_line = lambda body: (
        "this request was refused" if refused in body["messages"][-1]["content"] else None
    )
    out = tmp_path / "out.jsonl"
    assert main(["run", *inputs, *_args(server, out, tmp_path / "c"), "--batch-api"]) == 1
    records = _records(out)
    assert [r["doc_id"] for r in records] == ["doc000", "doc001", "doc002", "doc003"]
    bad = records[1]
    assert bad["status"] in {"failed", "partial"}
    errors = " ".join(bad["checks"]["chunk_errors"])
    assert "server answered 400: this request was refused" in errors
    assert all(r["status"] == "ok" for i, r in enumerate(records) if i != 1)

    server.fail_line = None
    server.expire_after = 2  # the window ends after two lines
    late = tmp_path / "late.jsonl"
    assert main(["run", *inputs, *_args(server, late, tmp_path / "c2"), "--batch-api"]) == 1
    errors = " ".join(e for r in _records(late) for e in r["checks"]["chunk_errors"])
    assert "batch_expired" in errors


def test_an_interrupted_batch_run_takes_up_its_batch_on_resume(
    tmp_path: Path, server: FakeBatchServer
) -> None:
    inputs = corpus(tmp_path / "a", n=5)
    server.polls = 10**6  # never finishes while the first run waits
    out, cache = tmp_path / "out.jsonl", tmp_path / "c"
    env = {"OPENAI_API_KEY": "k"}
    first = cli(*inputs, *_args(server, out, cache), "--batch-api", env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not server.created:
        time.sleep(0.02)
    time.sleep(0.2)  # a few polls
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(10)
    assert len(server.created) == 1
    assert json.loads(manifest_path(out).read_text())["batch_ids"] == server.created

    server.polls = 1
    resumed = cli(*inputs, *_args(server, out, cache), "--batch-api", "--resume", env=env)
    assert resumed.wait(60) == 0, resumed.stderr.read()
    assert len(server.created) == 1  # the same batch, not a second one
    records = _records(out)
    assert [r["doc_id"] for r in records] == [f"doc{i:03d}" for i in range(5)]
    assert all(r["status"] == "ok" and r["stats"] for r in records)


def test_batch_api_refuses_the_embedded_model(capsys: pytest.CaptureFixture) -> None:
    assert main(["run", "x.txt", "--batch-api", "-q"]) == 2
    assert "--batch-api needs a model behind the OpenAI API" in capsys.readouterr().err


def test_resume_after_an_expired_batch_sends_only_the_unanswered_requests(
    tmp_path: Path, server: FakeBatchServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    inputs = corpus(tmp_path / "a", n=4)
    out, cache = tmp_path / "out.jsonl", tmp_path / "c"
    server.expire_after = 3
    assert main(["run", *inputs, *_args(server, out, cache), "--batch-api"]) == 1
    first = server.batches[server.created[0]]["request_counts"]
    assert first["completed"] == 3 and first["failed"] > 0

    server.expire_after = None
    assert main(["run", *inputs, *_args(server, out, cache), "--batch-api", "--resume"]) == 0
    assert len(server.created) == 2
    second = server.files[server.batches[server.created[1]]["input_file_id"]].splitlines()
    assert len(second) == first["failed"]  # the answered three are not paid for again
    assert all(r["status"] == "ok" for r in _records(out))
    assert json.loads(manifest_path(out).read_text())["batch_ids"] == server.created


def test_a_batch_run_to_stdout(
    tmp_path: Path, server: FakeBatchServer, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:  # fmt: skip
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    inputs = corpus(tmp_path / "a", n=2)
    args = [a for a in _args(server, tmp_path / "x", tmp_path / "c") if a not in ("-o",)][1:]
    assert main(["run", *inputs, *args, "--batch-api"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["doc000", "doc001"]
    assert len(server.created) == 1


def test_a_server_without_the_batch_endpoints_stops_the_run_with_one_message(
    tmp_path: Path, fake_openai, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    inputs = corpus(tmp_path / "a", n=2)
    out = tmp_path / "out.jsonl"
    assert main(["run", *inputs, *_args(fake_openai, out, tmp_path / "c"), "--batch-api"]) == 2
    err = capsys.readouterr().err
    assert f"batch API at {fake_openai.base_url}: server answered 404" in err
    assert "Traceback" not in err
