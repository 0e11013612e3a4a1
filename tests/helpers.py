"""Small helpers shared by tests."""

from __future__ import annotations

from typing import Any

from llm_extract.core.protocols import Reply


def without(value: Any, keys: set[str]) -> Any:
    """`value` (records as dicts and lists) with every dict entry named in `keys` left out, at
    any depth: for comparing records apart from timings and usage."""
    if isinstance(value, dict):
        return {k: without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without(v, keys) for v in value]
    return value


def untimed(record: Any) -> dict:
    """A record as a dict, without its timings (`usage.seconds`, `checks.call_seconds`)."""
    data = record.model_dump(mode="json")
    data["usage"].pop("seconds")
    data["checks"].pop("call_seconds")
    return data


class Scripted:
    """A ChatModel that answers from a fixed raw JSON string and records what it was asked."""

    name, mode = "scripted", "tools"

    def __init__(self, raw: str, valid: bool = True):
        self.raw, self.valid, self.asked = raw, valid, []

    def create(self, messages, response_model, max_tokens):
        self.asked.append((messages, response_model, max_tokens))
        if not self.valid:
            return Reply(None, error="cut off", raw=self.raw)
        return Reply(response_model.model_validate_json(self.raw), first_try_valid=True)
