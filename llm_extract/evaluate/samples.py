"""Flatten a scored document into one sample per gold or predicted statistic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from llm_extract.evaluate.score import DocScore
from llm_extract.records import GOLD_FIELDS, Statistic


@dataclass(frozen=True)
class Sample:
    """A matched pair, a near-miss pair, or a lone gold (missed) or prediction (spurious)."""

    level: str | None  # value/core/strict for a match, else None
    error: str | None  # error class for anything not matched
    gold: Statistic | None
    pred: Statistic | None

    @property
    def start(self) -> int:
        return min(s.start for s in (self.gold, self.pred) if s is not None)

    @property
    def css(self) -> str:
        return f"m-{self.level}" if self.level else f"e-{self.error}"


def doc_samples(doc: DocScore) -> list[Sample]:
    """Every gold and predicted statistic of a document exactly once, in text order."""
    out = [Sample(m.level, None, doc.gold[m.gold], doc.pred[m.pred]) for m in doc.matches]
    out += [Sample(None, kind, doc.gold[i], doc.pred[j]) for i, j, kind in doc.near]
    near_gold = {i for i, _, _ in doc.near}
    near_pred = {j for _, j, _ in doc.near}
    out += [
        Sample(None, e, doc.gold[i], None) for i, e in doc.gold_errors.items() if i not in near_gold
    ]
    out += [
        Sample(None, e, None, doc.pred[j]) for j, e in doc.pred_errors.items() if j not in near_pred
    ]
    return sorted(out, key=lambda s: (s.start, s.gold is None))


def sample_row(run: str, doc_id: str, sample: Sample) -> dict[str, Any]:
    """One line of samples.jsonl."""
    gold = sample.gold.model_dump(mode="json", include=set(GOLD_FIELDS)) if sample.gold else None
    pred = sample.pred.model_dump(mode="json") if sample.pred else None
    return {
        "run": run,
        "doc_id": doc_id,
        "level": sample.level,
        "error": sample.error,
        "gold": gold,
        "pred": pred,
    }
