"""How much a model asked only where the baseline is unsure could add, at most: for every gold
statistic the baseline reads at the same span, whether its period and metric are right, split by
the baseline's own confidence (a period carried from another sentence and a fragment metric are
the `?` that `guided` and `reread` ask about), and for carried periods whether the gold wording
is among the choices `reread` offers. Prints one row per part of a compare config.

    python benchmarks/model_headroom.py [evals/compare.toml]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from llm_extract.config import RunOptions
from llm_extract.evaluate.compare import EvalSet, load_config
from llm_extract.evaluate.gold import load_gold
from llm_extract.evaluate.normalize import metric_similar, norm_period
from llm_extract.pipeline import prepare, strategy_for
from llm_extract.steps.context import weak_metric
from llm_extract.steps.ingest import Document, load_documents

COLUMNS = (
    ("carried", "carried periods (asked)"),
    ("carried_right", "right"),
    ("carried_offered", "gold offered"),
    ("stated", "stated periods (not asked)"),
    ("stated_right", "right"),
    ("fragment", "fragment metrics (asked)"),
    ("fragment_right", "right"),
    ("whole", "other metrics (not asked)"),
    ("whole_right", "right"),
)


def count_set(eval_set: EvalSet) -> dict[str, Counter]:
    """The counts of every part (split) of one gold set."""
    gold = load_gold(eval_set.gold)
    dates = eval_set.published_from
    options = RunOptions(model="embedded", strategy="reread", published_from=dates)
    strategy = strategy_for(options)
    parts: dict[str, Counter] = {}
    for doc in load_documents([str(p) for p in eval_set.inputs]):
        if not isinstance(doc, Document) or doc.doc_id not in gold:
            continue
        counts = parts.setdefault(eval_set.split_of(doc.doc_id), Counter())
        state = prepare(doc, options, strategy)
        offered = {
            (m.start, m.end): request.choices
            for request in state.requests[::2]  # each chunk is planned twice (two orders)
            for m in request.candidates
        }
        by_span = {(g.start, g.end): g for g in gold[doc.doc_id]}
        for mention in state.mentions:
            truth = by_span.get(state.cleaned.to_original(mention.start, mention.end))
            if truth is None:
                continue
            read = state.reader.describe(mention.start, mention.end)
            period_right = norm_period(read.period) == norm_period(truth.period)
            kind = "carried" if read.period is not None and not read.period_stated else "stated"
            counts[kind] += 1
            counts[f"{kind}_right"] += period_right
            if kind == "carried":
                choices = offered.get((mention.start, mention.end), [])
                counts["carried_offered"] += any(
                    norm_period(c) == norm_period(truth.period) for c in choices
                )
            kind = "fragment" if weak_metric(read.metric) else "whole"
            counts[kind] += 1
            counts[f"{kind}_right"] += metric_similar(truth.metric, read.metric or "")
    return parts


def main() -> int:
    config = load_config(Path(sys.argv[1] if len(sys.argv) > 1 else "evals/compare.toml"))
    print("| part | " + " | ".join(title for _, title in COLUMNS) + " |")
    print("|:--|" + "--:|" * len(COLUMNS))
    for eval_set in config.sets:
        for part, counts in sorted(count_set(eval_set).items()):
            print(f"| {part} | " + " | ".join(str(counts[key]) for key, _ in COLUMNS) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
