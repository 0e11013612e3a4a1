"""Extraction step: what a chat model proposes for one chunk, before grounding.

The pieces every model strategy shares (see `llm_extract.strategies`): the proposal and chunk
result types, candidate marks, and salvage of the complete items of a cut-off answer.
Core code: it talks to any object that satisfies `ChatModel`; providers are never imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.protocols import Reply
from .chunk import Chunk
from .numbers import NumberMention


@dataclass
class Proposal:
    """One statistic as the model proposed it, before grounding."""

    fields: dict[str, Any]  # the domain item's fields (value_text, metric, period, ...)
    candidate: NumberMention | None = None  # guided: the marked regex candidate it labels


@dataclass
class ChunkResult:
    proposals: list[Proposal]
    reply: Reply
    salvaged: bool = False
    unlabelled: int = 0  # guided: candidates the model never labelled (kept as regex read them)


def mark_candidates(chunk: Chunk, candidates: list[NumberMention]) -> str:
    """Insert `[n]` before each candidate in the chunk text (candidates in chunk, by start)."""
    pieces: list[str] = []
    at = chunk.start
    for number, mention in enumerate(candidates, 1):
        pieces.append(chunk.text[at - chunk.start : mention.start - chunk.start])
        pieces.append(f"[{number}]")
        at = mention.start
    pieces.append(chunk.text[at - chunk.start :])
    return "".join(pieces)


def items_from_raw(raw: str, list_key: str, model: type[BaseModel]) -> list[BaseModel]:
    """Complete, valid items of `list_key` in truncated or broken JSON output."""
    start = raw.find(f'"{list_key}"')
    start = raw.find("[", start) if start >= 0 else -1
    if start < 0:
        return []
    decoder = json.JSONDecoder()
    items, at = [], start + 1
    while True:
        at = raw.find("{", at)
        if at < 0:
            return items
        try:
            obj, at = decoder.raw_decode(raw, at)
        except json.JSONDecodeError:
            return items
        try:
            items.append(model.model_validate(obj))
        except ValidationError:
            continue


def dedupe(items: list[BaseModel]) -> list[BaseModel]:
    """Drop repeated identical items (a looping model repeats itself)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        key = item.model_dump_json()
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
