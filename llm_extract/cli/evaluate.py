"""`llm-extract eval` and `llm-extract compare`: the evaluation commands and what they print."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..evaluate import evaluate
from ..evaluate.compare import compare, load_config
from ..evaluate.score import ATTRIBUTES, ERRORS, LEVELS


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def ci(bounds: list[float | None]) -> str:
    return f"[{pct(bounds[0])}, {pct(bounds[1])}]"


def print_summary(result: dict[str, Any], console: Console) -> None:
    levels = Table(title=f"{result['predictions']}: {result['documents']} gold documents")
    for col in ("level", "TP", "pred", "gold", "P", "R", "F1", "95% CI (F1)"):
        levels.add_column(col, justify="left" if col == "level" else "right")
    for lvl in LEVELS:
        s = result["levels"][lvl]
        levels.add_row(
            lvl,
            str(s["tp"]),
            str(s["n_pred"]),
            str(s["n_gold"]),
            pct(s["precision"]),
            pct(s["recall"]),
            f"[bold]{pct(s['f1'])}[/bold]",
            ci(s["ci"]),
        )
    console.print(levels)

    attrs = Table(title="Attribute accuracy among value-matched pairs (%)")
    for name in ATTRIBUTES:
        attrs.add_column(name, justify="right")
    attrs.add_row(*(pct(result["attributes"][a]) for a in ATTRIBUTES))
    console.print(attrs)

    errors = Table(title="Error taxonomy (counts)")
    for name in ERRORS:
        errors.add_column(name, justify="right")
    errors.add_row(*(str(result["taxonomy"][e]) for e in ERRORS))
    console.print(errors)

    docs = Table(title="Per-document F1 (%)")
    for col in ("doc_id", "gold", "pred", *LEVELS):
        docs.add_column(col, justify="left" if col == "doc_id" else "right")
    for d in result["docs"]:
        name = escape(d["doc_id"]) + ("" if d["has_record"] else " (no prediction)")
        f1s = (pct(d["f1"][lvl]) for lvl in LEVELS)
        docs.add_row(name, str(d["n_gold"]), str(d["n_pred"]), *f1s)
    console.print(docs)
    if result["unscored"]:
        console.print(
            f"[dim]{len(result['unscored'])} predicted documents have no gold: "
            f"{escape(', '.join(result['unscored']))}[/dim]"
        )


def eval_command(pred: Path, gold: Path, as_json: bool) -> int:
    """Print P/R/F1 per level with CIs, attribute accuracy, taxonomy and per-document F1."""
    try:
        result = evaluate(pred, gold)
    except (OSError, ValidationError, ValueError) as exc:
        print(f"llm-extract eval: {exc}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_summary(result, Console())
    return 0


def _core(levels: dict) -> str:
    core = levels["core"]
    low, high = (f"{100 * b:.1f}" if b is not None else "—" for b in core["ci"])
    return f"{100 * core['f1']:5.1f} [{low}, {high}]"


def _tell(message: str) -> None:
    print(message, file=sys.stderr)


def compare_command(config: Path, out: Path | None) -> int:
    """Run the comparison in CONFIG and write the report folder; prints where it went."""
    try:
        cfg_out = out or load_config(config).out
        scores = compare(config, out, notify=_tell)
    except (OSError, ValueError, ValidationError, tomllib.TOMLDecodeError) as exc:
        print(f"llm-extract compare: {exc}", file=sys.stderr)
        return 2
    for name, run in scores["runs"].items():
        splits = run["quality"]["splits"]
        shown = {split: part for split, part in splits.items() if part["documents"]}
        parts = [f"{split} {_core(part['levels'])}" for split, part in shown.items()]
        print(f"{name:24s} core F1 {_core(run['quality']['levels'])}  " + "  ".join(parts), end="")
        print(f"  calls {run['usage']['calls']}, cache hits {run['usage']['cached_calls']}")
    print(f"report: {cfg_out / 'report.html'}")
    return 1 if scores["failures"] else 0
