"""`--resume` after `kill -9` at any moment finishes the job: one record per input, in input
order, the same as an uninterrupted run (apart from usage and timings); a different run is
refused."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, slow_reply, tool_reply
from helpers import without
from runs import ANSWER, cli, corpus, llm_args

from llm_extract.resume import manifest_path
from llm_extract.steps.write import partial_path

VOLATILE = {"usage", "call_seconds"}  # may differ between a resumed and an uninterrupted run


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("kill_after", [1, 10, 19])
def test_kill_9_then_resume_gives_the_uninterrupted_records(
    tmp_path: Path, fake_openai: FakeOpenAI, kill_after: int
) -> None:
    inputs = corpus(tmp_path / "a", n=20)
    fake_openai.responder = lambda body: tool_reply(ANSWER)
    whole = tmp_path / "whole.jsonl"
    env = {"OPENAI_API_KEY": "k"}
    assert (
        cli(*inputs, *llm_args(fake_openai.base_url, whole, tmp_path / "c0"), env=env).wait(120)
        == 0
    )

    fake_openai.responder = lambda body: slow_reply(0.15, tool_reply(ANSWER))
    out, cache = tmp_path / "out.jsonl", tmp_path / "c1"
    run = cli(*inputs, *llm_args(fake_openai.base_url, out, cache), env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if partial_path(out).exists() and partial_path(out).read_bytes().count(b"\n") >= kill_after:
            break
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(10)
    before_kill = partial_path(out).read_text(encoding="utf-8").splitlines()
    with partial_path(out).open("a", encoding="utf-8") as handle:
        handle.write('{"doc_id": "torn')  # as if killed inside a write
    fake_openai.responder = lambda body: tool_reply(ANSWER)
    resumed = cli(*inputs, *llm_args(fake_openai.base_url, out, cache), "--resume", env=env)
    assert resumed.wait(120) == 0, resumed.stderr.read()
    assert not partial_path(out).exists()
    got, want = _records(out), _records(whole)
    assert [r["doc_id"] for r in got] == [f"doc{i:03d}" for i in range(20)]
    assert without(got, VOLATILE) == without(want, VOLATILE)
    # the documents done before the kill are kept as written, not processed again
    assert before_kill and out.read_text(encoding="utf-8").splitlines()[: len(before_kill)] == (
        before_kill
    )
    assert "k" not in json.loads(manifest_path(out).read_text()).values()


def test_resume_refuses_an_output_of_another_run(tmp_path: Path, fake_openai: FakeOpenAI) -> None:
    inputs = corpus(tmp_path / "a", n=3)
    fake_openai.responder = lambda body: tool_reply(ANSWER)
    out = tmp_path / "out.jsonl"
    env = {"OPENAI_API_KEY": "k"}
    assert cli(*inputs, *llm_args(fake_openai.base_url, out, tmp_path / "c"), env=env).wait(60) == 0
    before = out.read_bytes()
    other = cli(*inputs, *llm_args(fake_openai.base_url, out, tmp_path / "c"), "--resume",
                "--chunk-chars", "50", env=env)  # fmt: skip
    assert other.wait(60) == 2
    assert "written by a different run: chunk_chars" in other.stderr.read()
    assert out.read_bytes() == before
