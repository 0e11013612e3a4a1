"""`llm-extract facts`: group the statistics of runs into facts across articles."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ..evaluate.gold import find_texts
from ..facts import build_facts, load_records, statements
from ..facts.page import write_pages
from ..facts.score import load_fact_gold, score_facts
from ..facts.write import write_facts


def _warn(message: str) -> None:
    print(f"llm-extract facts: {message}", file=sys.stderr)


def facts_command(
    inputs: list[Path],
    output: Path | None,
    fmt: str | None,
    html: Path | None,
    gold: Path | None,
) -> int:
    """Write the facts table (and page); print the counts and, with `gold`, the pair scores."""
    records = load_records(inputs, _warn)
    items = statements(records)
    if not items:
        raise ValueError("the inputs hold no statistics")
    facts = build_facts(items)
    if output is not None:
        write_facts(facts, output, fmt)
    if html is not None:
        texts = find_texts([], [r for r in records if r.model != "gold"])
        write_pages(facts, texts, html)
    several = [f for f in facts if f.n_sources > 1]
    by_status = Counter(f.status.value for f in several)
    print(
        f"{len(items)} statistics from {len(records)} documents → {len(facts)} facts, "
        f"{len(several)} with several sources ("
        + ", ".join(f"{by_status[s]} {s}" for s in ("conflict", "rounded", "agree"))
        + ")"
    )
    if gold is not None:
        score = score_facts(facts, load_fact_gold(gold))
        print(
            f"same-fact pairs against {gold}: precision {score.precision:.3f} "
            f"({score.tp}/{score.n_pred}), recall {score.recall:.3f} ({score.tp}/{score.n_gold}), "
            f"F1 {score.f1:.3f}"
        )
    for target in (output, html):
        if target is not None:
            print(f"wrote {target}")
    return 0
