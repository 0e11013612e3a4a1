"""What the steps and the providers agree on: a chat model's typed surface and its reply.

Core: imports nothing else of the package but the output records' `Usage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from ..records import Usage

M = TypeVar("M", bound=BaseModel)


@dataclass
class Reply(Generic[M]):
    """A model call's outcome, with usage summed over every attempt."""

    value: M | None
    usage: Usage = field(default_factory=Usage)
    first_try_valid: bool = False
    call_seconds: list[float] = field(default_factory=list)
    error: str | None = None
    raw: str | None = None  # the last raw output, kept for salvage when parsing failed


class BackendUnavailable(RuntimeError):
    """No model can be reached at all (e.g. the embedded engine fails its start-up self-test):
    the run stops with this message instead of failing every chunk."""


class ChatModel(Protocol):
    name: str
    mode: str

    def create(
        self, messages: list[dict[str, str]], response_model: type[M], max_tokens: int
    ) -> Reply[M]: ...
