"""Score a grouping against the facts gold: pairwise precision and recall of "same fact".

The gold (`evals/facts.jsonl`) holds one line per fact stated by two or more documents:
`{"statements": [{"doc_id", "start", "end", "surface"}, ...], "why": "..."}`. Every pair of
statements in a gold fact is a "same" pair; every other pair is "not the same". A grouping
is scored on the statements the gold's documents hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from ..records import Fact

Key = tuple[str, int, int]


def load_fact_gold(path: Path) -> list[set[Key]]:
    groups = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items = json.loads(line)["statements"]
            group = {(s["doc_id"], int(s["start"]), int(s["end"])) for s in items}
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a facts gold line ({exc})") from None
        if len(group) < 2:
            raise ValueError(f"{path}:{n}: a gold fact needs two statements or more")
        groups.append(group)
    return groups


def pairs(groups: Iterable[Iterable[Key]]) -> set[frozenset[Key]]:
    return {frozenset(p) for g in groups for p in combinations(sorted(set(g)), 2)}


@dataclass(frozen=True)
class PairScore:
    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_facts(facts: Sequence[Fact], gold: Sequence[set[Key]]) -> PairScore:
    """Pairwise scores of `facts`' same-fact decisions against `gold`."""
    predicted = pairs([(s.doc_id, s.start, s.end) for s in f.sources] for f in facts)
    truth = pairs(gold)
    return PairScore(len(predicted & truth), len(predicted), len(truth))
