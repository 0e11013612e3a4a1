"""Where things live on disk: the user cache (responses, models, engine logs) and the shared
article corpus beside the checkout. The only module that knows these locations."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_root() -> Path:
    """The llm-extract user cache directory (`LLM_EXTRACT_CACHE` overrides it)."""
    override = os.environ.get("LLM_EXTRACT_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("llm-extract"))


def responses_dir() -> Path:
    """The response cache (and the mode memo beside it)."""
    return cache_root() / "responses"


def models_dir(root: Path | None = None) -> Path:
    """Assembled model files."""
    return (root if root is not None else cache_root()) / "models"


def logs_dir() -> Path:
    """Engine logs."""
    return cache_root() / "logs"


def shared_dir() -> Path:
    """The shared corpus (`seeds/`, `articles/`) beside the checkout (`LLM_EXTRACT_SHARED`
    overrides it)."""
    override = os.environ.get("LLM_EXTRACT_SHARED")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "shared"
