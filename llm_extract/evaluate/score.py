"""Match predicted statistics to gold one-to-one and classify what went wrong."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from llm_extract.evaluate.normalize import (
    metric_similar,
    names_match,
    norm_period,
    norm_unit,
    units_compatible,
    values_equal,
)
from llm_extract.lang.textnorm import dice, resolution
from llm_extract.records import DocumentRecord, Statistic

LEVELS = ("value", "core", "strict")
ATTRIBUTES = ("metric", "period", "dates", "region", "agency", "kind", "approx", "unit")
NEAR_MISSES = ("magnitude", "percent_points", "sign")
ERRORS = (*NEAR_MISSES, "missed", "spurious", "chrome", "ungrounded")


@dataclass(frozen=True)
class PRF:
    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else float(self.n_gold == 0)

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else float(self.n_pred == 0)

    @property
    def f1(self) -> float:
        total = self.n_pred + self.n_gold
        return 2 * self.tp / total if total else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Match:
    gold: int
    pred: int
    level: str  # highest of LEVELS reached
    attrs: dict[str, bool]


@dataclass
class DocScore:
    doc_id: str
    gold: list[Statistic]
    pred: list[Statistic]
    matches: list[Match] = field(default_factory=list)
    gold_errors: dict[int, str] = field(default_factory=dict)  # unmatched gold → error class
    pred_errors: dict[int, str] = field(default_factory=dict)  # unmatched pred → error class
    near: list[tuple[int, int, str]] = field(default_factory=list)  # (gold, pred, near-miss class)
    ungrounded: int = 0
    has_record: bool = True

    def prf(self, level: str) -> PRF:
        rank = LEVELS.index(level)
        tp = sum(LEVELS.index(m.level) >= rank for m in self.matches)
        return PRF(tp, len(self.pred), len(self.gold))


def admissible(gold: Statistic, pred: Statistic) -> bool:
    """Value level: same sign, value (and value_max when both given) equal, units compatible."""
    if (gold.value < 0) != (pred.value < 0) or not units_compatible(gold.unit, pred.unit):
        return False
    step = resolution(gold.surface)
    if not values_equal(pred.value, gold.value, step):
        return False
    if gold.value_max is not None and pred.value_max is not None:
        return values_equal(pred.value_max, gold.value_max, step)
    return True


def attributes(gold: Statistic, pred: Statistic) -> dict[str, bool]:
    """Which attributes of a value-matched pair agree."""
    return {
        "metric": metric_similar(gold.metric, pred.metric),
        "period": norm_period(gold.period) == norm_period(pred.period),
        "dates": (gold.period_start, gold.period_end) == (pred.period_start, pred.period_end),
        "region": names_match(gold.region, pred.region),
        "agency": names_match(gold.agency, pred.agency),
        "kind": gold.kind == pred.kind,
        "approx": gold.approx == pred.approx,
        "unit": norm_unit(gold.unit) == norm_unit(pred.unit),
    }


def level_of(attrs: Mapping[str, bool]) -> str:
    if not (attrs["metric"] and attrs["period"]):
        return "value"
    strict = all(attrs[name] for name in ("region", "agency", "kind", "approx"))
    return "strict" if strict else "core"


def overlap(a: Statistic, b: Statistic) -> float:
    """Intersection over union of two character spans."""
    inter = min(a.end, b.end) - max(a.start, b.start)
    union = max(a.end, b.end) - min(a.start, b.start)
    return max(inter, 0) / union if union > 0 else float(a.start == b.start)


def assign(gold: list[Statistic], pred: list[Statistic]) -> list[Match]:
    """One-to-one assignment: most value matches, then higher levels, similar metric, overlap."""
    if not gold or not pred:
        return []
    big = 4.0 * (min(len(gold), len(pred)) + 1)
    cost = np.full((len(gold), len(pred)), big)
    found: dict[tuple[int, int], dict[str, bool]] = {}
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if not admissible(g, p):
                continue
            attrs = found[i, j] = attributes(g, p)
            rank = LEVELS.index(level_of(attrs))
            cost[i, j] = (
                (2 - rank) + 0.5 * (1 - dice(g.metric, p.metric)) + 0.5 * (1 - overlap(g, p))
            )
    rows, cols = linear_sum_assignment(cost)
    return [
        Match(int(i), int(j), level_of(found[i, j]), found[i, j])
        for i, j in zip(rows, cols, strict=True)
        if (i, j) in found
    ]


def near_miss(gold: Statistic, pred: Statistic) -> str | None:
    """Classify a related but non-matching pair: magnitude, % vs 个百分点, or sign error."""
    step = resolution(gold.surface)
    units = {norm_unit(gold.unit), norm_unit(pred.unit)}
    if units == {"%", "个百分点"} and values_equal(pred.value, gold.value, step):
        return "percent_points"
    if not units_compatible(gold.unit, pred.unit):
        return None
    if gold.value != 0 and values_equal(-pred.value, gold.value, step):
        return "sign"
    if gold.value == 0 or pred.value == 0 or (gold.value < 0) != (pred.value < 0):
        return None
    k = round(math.log10(abs(pred.value / gold.value)))
    scaled_step = step * 10.0**k if step else None
    if k != 0 and values_equal(pred.value, gold.value * 10.0**k, scaled_step):
        return "magnitude"
    return None


def evidence_spans(gold: list[Statistic]) -> list[tuple[int, int]]:
    """Character spans of the gold evidence clauses (located through each surface)."""
    spans = []
    for g in gold:
        at = g.evidence.find(g.surface)
        start = g.start - at if at >= 0 else g.start
        spans.append((start, max(start + len(g.evidence), g.end)))
    return spans


def is_chrome(pred: Statistic, gold: list[Statistic], spans: list[tuple[int, int]]) -> bool:
    """Spurious prediction outside every gold evidence clause, its surface in none of them."""
    inside = any(pred.start < end and start < pred.end for start, end in spans)
    quoted = any(pred.surface.strip() in g.evidence for g in gold)
    return not inside and not quoted


def classify(doc: DocScore) -> None:
    """Fill error classes for the unmatched gold and predictions of a scored document."""
    free_gold = set(range(len(doc.gold))) - {m.gold for m in doc.matches}
    free_pred = set(range(len(doc.pred))) - {m.pred for m in doc.matches}
    candidates = []
    for i in free_gold:
        for j in free_pred:
            g, p = doc.gold[i], doc.pred[j]
            related = overlap(g, p) > 0 or metric_similar(g.metric, p.metric)
            kind = near_miss(g, p) if related else None
            if kind:
                candidates.append((-overlap(g, p), -dice(g.metric, p.metric), i, j, kind))
    for *_, i, j, kind in sorted(candidates):
        if i in free_gold and j in free_pred:
            doc.gold_errors[i] = doc.pred_errors[j] = kind
            doc.near.append((i, j, kind))
            free_gold.discard(i)
            free_pred.discard(j)
    spans = evidence_spans(doc.gold)
    doc.gold_errors.update({i: "missed" for i in free_gold})
    doc.pred_errors.update(
        {j: "chrome" if is_chrome(doc.pred[j], doc.gold, spans) else "spurious" for j in free_pred}
    )


def score_document(
    doc_id: str,
    gold: list[Statistic],
    pred: list[Statistic],
    ungrounded: int = 0,
    has_record: bool = True,
) -> DocScore:
    doc = DocScore(doc_id, gold, pred, ungrounded=ungrounded, has_record=has_record)
    doc.matches = assign(gold, pred)
    classify(doc)
    return doc


@dataclass
class RunScore:
    docs: list[DocScore]
    unscored: list[str] = field(default_factory=list)  # predicted documents without gold

    def only(self, doc_ids: Iterable[str]) -> RunScore:
        """The same scores over just these documents (a split)."""
        wanted = set(doc_ids)
        return RunScore([d for d in self.docs if d.doc_id in wanted], self.unscored)

    def prf(self, level: str) -> PRF:
        parts = [d.prf(level) for d in self.docs]
        return PRF(
            sum(p.tp for p in parts), sum(p.n_pred for p in parts), sum(p.n_gold for p in parts)
        )

    def counts(self) -> dict[str, np.ndarray]:
        """Per-document arrays (tp per level, n_pred, n_gold) for the bootstrap."""
        out = {lvl: np.array([d.prf(lvl).tp for d in self.docs], float) for lvl in LEVELS}
        out["n_pred"] = np.array([len(d.pred) for d in self.docs], float)
        out["n_gold"] = np.array([len(d.gold) for d in self.docs], float)
        return out

    def attribute_accuracy(self) -> dict[str, float | None]:
        matches = [m for d in self.docs for m in d.matches]
        return {
            a: (sum(m.attrs[a] for m in matches) / len(matches) if matches else None)
            for a in ATTRIBUTES
        }

    def taxonomy(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for d in self.docs:
            counts.update(d.pred_errors.values())
            counts.update(v for v in d.gold_errors.values() if v == "missed")
            counts["ungrounded"] += d.ungrounded
        return {name: counts[name] for name in ERRORS}


def score_run(gold: Mapping[str, list[Statistic]], records: Iterable[DocumentRecord]) -> RunScore:
    """Score every gold document (a document without a record counts as all missed)."""
    by_id = {r.doc_id: r for r in records}
    docs = []
    for doc_id in sorted(gold):
        record = by_id.get(doc_id)
        pred = record.stats if record else []
        ungrounded = record.checks.ungrounded if record else 0
        found = record is not None
        docs.append(score_document(doc_id, gold[doc_id], list(pred), ungrounded, found))
    return RunScore(docs, sorted(set(by_id) - set(gold)))
