"""`free`: the model reads the chunk alone and lists every statistic it finds."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..steps.extract import Proposal, dedupe, items_from_raw
from .base import ChunkRequest
from .model import ModelStrategy


class FreeStrategy(ModelStrategy):
    name = "free"
    per_item_tokens = 48

    @property
    def response_model(self) -> type[BaseModel]:
        return self.domain.free_model

    def messages(self, request: ChunkRequest) -> list[dict[str, str]]:
        return self.domain.prompt.messages("free", text=request.chunk.text)

    def read(self, value: Any, request: ChunkRequest) -> tuple[list[Proposal], int]:
        return [Proposal(item.model_dump()) for item in dedupe(value.stats)], 0

    def salvage(self, raw: str | None) -> BaseModel | None:
        """The complete items of a cut-off answer (runaway or max_tokens)."""
        stats = items_from_raw(raw, "stats", self.domain.item) if raw else []
        return self.domain.free_model(stats=stats) if stats else None
