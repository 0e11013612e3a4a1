"""What can go wrong in a model call, and how it is told: transient failures (retried), bodies
that cannot be read, a dead engine, an offline answer source without the answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import openai

_TRANSIENT = (
    openai.APITimeoutError,
    openai.APIConnectionError,
    openai.RateLimitError,
    openai.InternalServerError,
)


class BadBody(RuntimeError):
    """The server's response could not be read (cut inside a UTF-8 character, or not JSON)."""


class EngineDown(RuntimeError):
    """The model server died and could not be brought back: remaining chunks fail at once."""


class NoAnswer(RuntimeError):
    """The offline answer source (a finished batch) has no answer for this request."""


class Deferred(Exception):  # noqa: N818 - a signal, not an error
    """Raised by an offline answer source that only collects requests (batch planning)."""

    def __init__(self, key: str, request: dict[str, Any]):
        super().__init__(key)
        self.key, self.request = key, request


AnswerSource = Callable[[str, dict[str, Any]], dict[str, Any]]
"""(request key, request) -> a chat completion body, or NoAnswer / Deferred."""


def transient(exc: BaseException) -> bool:
    if isinstance(exc, (*_TRANSIENT, BadBody)):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def retry_after(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def connection_cause(exc: BaseException) -> str:
    """The underlying reason of a connection error ('Connection error.' says nothing)."""
    cause = exc.__cause__ or exc.__context__
    return f"{type(cause).__name__}: {cause}" if cause else str(exc)


def describe(exc: BaseException, attempts: int) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"server answered {exc.status_code}: {short(exc)}"
    if isinstance(exc, openai.APIError):
        return f"{type(exc).__name__}: {short(exc)}"
    return f"no valid answer after {attempts} attempts: {short(exc)}"


def short(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
