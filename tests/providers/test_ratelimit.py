"""Rate limits: rpm/tpm buckets on a virtual clock, and through a run against a loopback server
(a 429 with Retry-After holds every sender; --rpm spaces the requests; progress tallies)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, error_reply, tool_reply
from runs import ANSWER, corpus

from llm_extract.cli import main
from llm_extract.config import RunOptions
from llm_extract.progress import RunTally
from llm_extract.providers.prices import price_per_million
from llm_extract.providers.ratelimit import RateLimiter, estimate_tokens
from llm_extract.records import DocumentRecord, Usage


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_rpm_allows_a_tenth_of_a_minute_at_once_then_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(rpm=60, clock=clock, sleep=clock.sleep)
    sent = []
    for _ in range(20):
        limiter.acquire(0)
        sent.append(clock.now)
    assert sent[:6] == [0.0] * 6  # the burst: 6 of 60 per minute
    gaps = [b - a for a, b in zip(sent[6:], sent[7:], strict=False)]
    assert all(gap == pytest.approx(1.0) for gap in gaps)  # then one a second
    assert clock.now == pytest.approx(14.0)


def test_tpm_counts_estimates_and_settles_with_the_real_usage() -> None:
    clock = Clock()
    limiter = RateLimiter(tpm=6000, clock=clock, sleep=clock.sleep)  # 100 tokens/s, bucket 600
    limiter.acquire(600)
    limiter.acquire(300)  # bucket empty: waits 3 s for 300 tokens
    assert clock.now == pytest.approx(3.0)
    limiter.settle(estimated=300, used=100)  # the call used less: 200 tokens back
    limiter.acquire(200)
    assert clock.now == pytest.approx(3.0)
    # a request larger than the bucket waits for a full bucket, then overdraws it
    limiter.acquire(2000)
    assert clock.now == pytest.approx(9.0)
    limiter.acquire(1)
    assert clock.now == pytest.approx(9.0 + 1401 / 100)


def test_pause_holds_every_sender_and_no_limit_means_no_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    assert not limiter.limited
    assert limiter.acquire(10**6) == 0.0
    limiter.pause(5.0)
    assert limiter.acquire(1) == pytest.approx(5.0)
    assert clock.now == pytest.approx(5.0)


def test_estimate_counts_message_characters_and_the_output_budget() -> None:
    request = {"messages": [{"role": "user", "content": "破获案件39.4万起"}], "max_tokens": 100}
    assert estimate_tokens(request) == len("破获案件39.4万起") + 100


def _timed(server: FakeOpenAI, first: list) -> None:
    """Answer with ANSWER, recording when each request arrived; the first one gets a 429."""
    arrivals: list[float] = []
    lock = threading.Lock()

    def respond(body: dict):
        with lock:
            arrivals.append(time.monotonic())
            if len(arrivals) == 1:
                return error_reply(429, "slow down", retry_after=1.0)
        return tool_reply(ANSWER)

    server.responder = respond
    first.append(arrivals)


def _run(tmp_path: Path, server: FakeOpenAI, inputs: list[str], *flags: str) -> int:
    return main(
        ["run", *inputs, "-o", str(tmp_path / "out.jsonl"), "--model", "fake-model",
         "--base-url", server.base_url, "--strategy", "free", "--no-cache",
         "--cache-dir", str(tmp_path / "c"), "-q", *flags]
    )  # fmt: skip


def test_a_429_with_retry_after_pauses_every_request_of_the_run(
    tmp_path: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    inputs = corpus(tmp_path / "a", n=8)
    holder: list = []
    _timed(fake_openai, holder)
    assert _run(tmp_path, fake_openai, inputs, "--concurrency", "4") == 0
    arrivals = holder[0]
    assert len(arrivals) >= 9  # 8 documents of one chunk, plus the refused request
    first = arrivals[0]
    # inside the pause arrive at most the other requests already in flight (3), and on a
    # loaded machine one more a worker sent before the 429's answer was read; no others
    early = [t for t in arrivals[1:] if t - first < 0.95]
    assert len(early) <= 4, [round(t - first, 3) for t in arrivals]
    assert len(arrivals) - 1 - len(early) >= 4


def test_rpm_spaces_the_requests_of_a_run(
    tmp_path: Path, fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    inputs = corpus(tmp_path / "a", n=9)
    arrivals: list[float] = []
    fake_openai.responder = lambda body: arrivals.append(time.monotonic()) or tool_reply(ANSWER)
    # 120 a minute: a burst of 12 allowed, so use 9 documents at 60: burst 6, then 1 a second
    assert _run(tmp_path, fake_openai, inputs, "--rpm", "60", "--concurrency", "4") == 0
    assert len(arrivals) == 9
    assert arrivals[-1] - arrivals[0] >= 2.8  # requests 7-9 waited a second each


def test_running_cost_from_list_prices_or_the_users_price() -> None:
    assert price_per_million(RunOptions(model="gpt-4o-mini")) == (0.15, 0.60)
    assert price_per_million(RunOptions(model="gpt-4o-mini", batch_api=True)) == (0.075, 0.30)
    assert price_per_million(RunOptions(model="embedded")) == (0.0, 0.0)
    assert price_per_million(RunOptions(model="some-server-model")) is None
    assert price_per_million(RunOptions(model="x", price=(1.0, 2.0))) == (1.0, 2.0)
    tally = RunTally(price=(1.0, 2.0))
    for status, tokens in (("ok", (1000, 500)), ("failed", (0, 0)), ("partial", (2000, 0))):
        usage = Usage(prompt_tokens=tokens[0], completion_tokens=tokens[1])
        record = DocumentRecord(
            doc_id=status, source="s", model="x", strategy="free", status=status, usage=usage
        )
        tally.add(record)
    assert (tally.done, tally.failed, tally.partial) == (3, 1, 1)
    assert tally.cost == pytest.approx((3000 * 1.0 + 500 * 2.0) / 1e6)
    assert "3,500 tokens" in tally.describe() and "$0.0040" in tally.describe()
    assert "cost ?" in RunTally(price=None).describe()


def test_bad_price_flag_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "x.txt", "--price", "cheap"])
    assert exit_.value.code == 2
    assert "PROMPT,COMPLETION" in capsys.readouterr().err
