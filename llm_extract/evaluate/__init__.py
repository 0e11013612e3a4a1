"""Evaluation against the gold set: scoring, bootstrap statistics, model comparison reports."""

from __future__ import annotations

from pathlib import Path


def eval_command(pred: Path, gold: Path, as_json: bool) -> int:
    """`llm-extract eval PRED.jsonl --gold DIR [--json]`."""
    from llm_extract.evaluate.command import eval_command as run

    return run(pred, gold, as_json)


def compare_command(config: Path, out: Path | None) -> int:
    """`llm-extract compare [CONFIG] [-o OUT]`."""
    from llm_extract.evaluate.compare import compare_command as run

    return run(config, out)


__all__ = ["compare_command", "eval_command"]
