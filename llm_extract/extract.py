"""Extraction step: ask a chat model for the statistics of one chunk (strategies `free`, `guided`).

Core code: it talks to any object that satisfies `ChatModel`; providers live in
`llm_extract.providers` and are never imported here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .chunk import Chunk
from .core.protocols import BackendUnavailable, ChatModel, Reply  # noqa: F401 - re-exported
from .domain import Domain
from .numbers import NumberMention

STRATEGIES = ("free", "guided")


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


def output_budget(strategy: str, n_candidates: int) -> int:
    """`max_tokens` for a chunk: enough for every candidate and a few extra, never unbounded."""
    per_item = 32 if strategy == "guided" else 48
    return 64 + per_item * (n_candidates + 3)


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


def _items_from_raw(raw: str, list_key: str, model: type[BaseModel]) -> list[BaseModel]:
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


def salvage(raw: str | None, domain: Domain, strategy: str) -> BaseModel | None:
    """Rebuild a response from the complete items of a cut-off answer (runaway or max_tokens)."""
    if not raw:
        return None
    if strategy == "guided":
        labels = _items_from_raw(raw, "labels", domain.label_model)
        extra = _items_from_raw(raw, "extra", domain.item)
        found = labels or extra
        return domain.guided_model(labels=labels, extra=extra) if found else None
    stats = _items_from_raw(raw, "stats", domain.item)
    return domain.free_model(stats=stats) if stats else None


def _dedupe(items: list[BaseModel]) -> list[BaseModel]:
    """Drop repeated identical items (a looping model repeats itself)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        key = item.model_dump_json()
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def chunk_messages(
    domain: Domain,
    strategy: str,
    chunk: Chunk,
    candidates: list[NumberMention],
    hints: Sequence[str] | None = None,
) -> list[dict[str, str]]:
    """The chat messages for one chunk: `guided` marks and lists the candidates with the
    baseline's reading of each; `free` sends the text alone."""
    if strategy != "guided":
        return domain.prompt.messages("free", text=chunk.text)
    guesses = list(hints or []) + [""] * len(candidates)
    listing = (
        " ".join(
            f"[{i}] {c.surface}" + (f" ({guess})" if guess else "")
            for i, (c, guess) in enumerate(zip(candidates, guesses, strict=False), 1)
        )
        or "none"
    )
    return domain.prompt.messages(
        "guided", marked=mark_candidates(chunk, candidates), candidates=listing
    )


def extract_chunk(
    model: ChatModel,
    domain: Domain,
    strategy: str,
    chunk: Chunk,
    candidates: list[NumberMention],
    hints: Sequence[str] | None = None,
) -> ChunkResult:
    """Run one strategy on one chunk; `candidates` are the regex mentions inside it and
    `hints` the baseline's reading of each, listed beside them for the model to confirm or fix."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose one of {STRATEGIES}")
    messages = chunk_messages(domain, strategy, chunk, candidates, hints)
    reply = model.create(
        messages, domain.response_model(strategy), output_budget(strategy, len(candidates))
    )
    value, salvaged = reply.value, False
    if value is None:
        value = salvage(reply.raw, domain, strategy)
        salvaged = value is not None
    if value is None:
        return ChunkResult([], reply)
    if strategy == "free":
        proposals = [Proposal(item.model_dump()) for item in _dedupe(value.stats)]
        return ChunkResult(proposals, reply, salvaged)
    proposals = []
    decided: set[int] = set()  # candidate ids the model labelled, either way
    for label in _dedupe(value.labels):
        if not 1 <= label.id <= len(candidates) or label.id in decided:
            continue
        decided.add(label.id)
        if not label.is_stat:
            continue
        mention = candidates[label.id - 1]
        fields = label.model_dump(exclude={"id", "is_stat"})
        fields["value_text"] = mention.surface
        proposals.append(Proposal(fields, candidate=mention))
    proposals += [Proposal(item.model_dump()) for item in _dedupe(value.extra)]
    skipped = [
        Proposal({"value_text": mention.surface}, candidate=mention)
        for number, mention in enumerate(candidates, 1)
        if number not in decided
    ]
    return ChunkResult(proposals + skipped, reply, salvaged, unlabelled=len(skipped))
