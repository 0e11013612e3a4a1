"""Small helpers shared by tests."""

from __future__ import annotations

from typing import Any


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
