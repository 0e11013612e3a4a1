"""HTTP details under the OpenAI client: an overall deadline per call, and secrets kept out of
everything the run writes.

httpx's timeouts are per network operation, so a server that drips a byte a second holds a call
far past them; `DeadlineTransport` ends the call when its whole response takes longer than the
deadline (the client then sees a timeout and retries or records it like any other).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterable, Iterator

import openai

# openai 3 moved from httpx to its fork httpx2 (same API); use the one the client takes
httpx = importlib.import_module("httpx2" if int(openai.__version__.split(".")[0]) >= 3 else "httpx")


class _DeadlineStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes], end: float, request: httpx.Request):
        self._stream, self._end, self._request = stream, end, request

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            if time.monotonic() > self._end:
                raise httpx.ReadTimeout(
                    "the response took longer than the call's deadline", request=self._request
                )
            yield chunk

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class DeadlineTransport(httpx.HTTPTransport):
    """An httpx transport whose every request must be answered whole within `seconds`."""

    def __init__(self, seconds: float, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.seconds = seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        end = time.monotonic() + self.seconds
        response = super().handle_request(request)
        response.stream = _DeadlineStream(response.stream, end, request)  # type: ignore[arg-type]
        return response


def http_client(deadline: float) -> httpx.Client:
    """The client for one backend: per-operation timeouts and the overall deadline."""
    return httpx.Client(transport=DeadlineTransport(deadline), timeout=httpx.Timeout(deadline))
