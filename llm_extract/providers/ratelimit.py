"""Requests-per-minute and tokens-per-minute limits shared by every thread of a run.

Each limit is a bucket that refills continuously at its rate per minute and holds at most a
tenth of a minute's worth (so a run never bursts a whole minute's budget at once, and a single
request larger than that still goes through when the bucket is full). A request takes one from
the request bucket and its estimated tokens (prompt characters plus `max_tokens`, which is what
OpenAI counts against the limit) from the token bucket; the estimate is corrected with the real
usage when the answer arrives. A 429 pauses every sender until its `Retry-After`, not just the
request that got it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

BURST = 0.1  # of a minute


class _Bucket:
    def __init__(self, per_minute: float, now: float):
        self.rate = per_minute / 60.0
        self.capacity = max(per_minute * BURST, 1.0)
        self.level = self.capacity
        self.at = now

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.at) * self.rate)
        self.at = now

    def wait_for(self, amount: float) -> float:
        """Seconds until `amount` can be taken (a request larger than the bucket waits for a
        full bucket)."""
        need = min(amount, self.capacity) - self.level
        return max(0.0, need / self.rate)


class RateLimiter:
    """Blocks senders to stay under `rpm` requests and `tpm` tokens per minute (None: no limit)."""

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        now = clock()
        self._requests = _Bucket(rpm, now) if rpm else None
        self._tokens = _Bucket(tpm, now) if tpm else None
        self._paused_until = 0.0
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()

    @property
    def limited(self) -> bool:
        return self._requests is not None or self._tokens is not None

    def acquire(self, tokens: int) -> float:
        """Wait until one request of about `tokens` tokens may be sent; the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                delay = self._paused_until - now
                for bucket, amount in ((self._requests, 1), (self._tokens, tokens)):
                    if bucket is not None:
                        bucket.refill(now)
                        delay = max(delay, bucket.wait_for(amount))
                if delay <= 0:
                    if self._requests is not None:
                        self._requests.level -= 1
                    if self._tokens is not None:
                        self._tokens.level -= tokens
                    return waited
            self._sleep(delay)
            waited += delay

    def settle(self, estimated: int, used: int) -> None:
        """Correct the token bucket once the real usage of a request is known."""
        if self._tokens is not None:
            with self._lock:
                self._tokens.level += estimated - used

    def pause(self, seconds: float) -> None:
        """Hold every sender for `seconds` from now (a 429 with Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)


def estimate_tokens(request: dict) -> int:
    """What a chat request may count against a token limit: its message characters (about one
    token per character of Chinese, an overestimate for other text) plus `max_tokens`."""
    chars = sum(len(str(m.get("content") or "")) for m in request.get("messages", []))
    for key in ("tools", "response_format"):
        chars += len(str(request.get(key) or "")) // 4
    return chars + int(request.get("max_tokens") or 0)
