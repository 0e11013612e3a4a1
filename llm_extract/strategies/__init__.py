"""Strategies: how a document's statistics are found, all behind one protocol (`base.Strategy`).

`regex` is the deterministic baseline; `free`, `guided` and `reread` ask a chat model
(`model.py` holds what they share: asking, salvage, grounding, the baseline cross-check).
"""

from __future__ import annotations

from ..domains import Domain
from .base import ChunkRequest, Deadline, DocumentState, DocumentTimeout, Progress, Strategy
from .free import FreeStrategy
from .guided import GuidedStrategy
from .model import ModelStrategy
from .regex import RegexStrategy
from .reread import RereadStrategy

MODEL_STRATEGIES: dict[str, type[ModelStrategy]] = {
    "free": FreeStrategy,
    "guided": GuidedStrategy,
    "reread": RereadStrategy,
}
STRATEGIES = tuple(MODEL_STRATEGIES)

__all__ = [
    "STRATEGIES",
    "ChunkRequest",
    "Deadline",
    "DocumentState",
    "DocumentTimeout",
    "Progress",
    "Strategy",
    "RegexStrategy",
    "make_strategy",
]


def make_strategy(name: str, domain: Domain | None = None, chunk_chars: int = 900) -> Strategy:
    """The strategy called `name` (`regex`, `free`, `guided`, `reread`); a model one needs a
    domain."""
    if name == "regex":
        return RegexStrategy()
    if name not in MODEL_STRATEGIES:
        known = ", ".join(("regex", *STRATEGIES))
        raise ValueError(f"unknown strategy {name!r}; choose one of {known}")
    if domain is None:
        raise ValueError(f"strategy {name!r} asks a model: it needs a domain (load_domain)")
    return MODEL_STRATEGIES[name](domain, chunk_chars)
