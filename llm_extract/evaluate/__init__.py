"""Evaluation against the gold set: scoring, bootstrap statistics, model comparison reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .gold import load_gold, load_predictions
from .score import score_run
from .summary import quality


def evaluate(pred: Path, gold: Path) -> dict[str, Any]:
    """Score a predictions JSONL against a gold directory; the `--json` dict."""
    records = load_predictions(pred)
    result = quality(score_run(load_gold(gold), records))
    return {"predictions": str(pred), "gold": str(gold), **result}
