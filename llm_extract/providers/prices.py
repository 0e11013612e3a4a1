"""What a run's tokens cost: a shipped table of list prices (`prices.toml`), or the user's own."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from ..config import RunOptions

BATCH_DISCOUNT = 0.5  # the OpenAI Batch API bills half the standard price


@cache
def _table() -> dict[str, dict[str, float]]:
    text = resources.files(__package__).joinpath("prices.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["prices"]


def price_per_million(options: RunOptions) -> tuple[float, float] | None:
    """(prompt, completion) USD per 1M tokens for this run; 0 for local models, None if unknown."""
    if options.price is not None:
        prompt, completion = options.price
    elif not options.uses_llm or options.uses_embedded:
        return (0.0, 0.0)
    elif options.model in _table():
        entry = _table()[options.model]
        prompt, completion = entry["prompt"], entry["completion"]
    else:
        return None
    scale = BATCH_DISCOUNT if options.batch_api else 1.0
    return (prompt * scale, completion * scale)


def cost(prompt_tokens: int, completion_tokens: int, price: tuple[float, float]) -> float:
    return (prompt_tokens * price[0] + completion_tokens * price[1]) / 1e6
