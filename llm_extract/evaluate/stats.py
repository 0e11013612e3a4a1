"""Bootstrap over documents: confidence intervals for micro F1 and paired ΔF1 tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from llm_extract.evaluate.score import RunScore

SEED = 20240917
RESAMPLES = 2000


def _indices(n_docs: int, resamples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n_docs, size=(resamples, n_docs))


def _micro_f1(counts: dict[str, np.ndarray], level: str, idx: np.ndarray) -> np.ndarray:
    """Micro F1 = 2·TP / (#pred + #gold) for each resample (row of document indices)."""
    tp = counts[level][idx].sum(axis=1)
    total = counts["n_pred"][idx].sum(axis=1) + counts["n_gold"][idx].sum(axis=1)
    return np.divide(2 * tp, total, out=np.ones_like(tp), where=total > 0)


def bootstrap_ci(
    score: RunScore, level: str, resamples: int = RESAMPLES, seed: int = SEED, alpha: float = 0.05
) -> tuple[float, float]:
    """Percentile CI of micro F1, resampling documents with replacement."""
    if not score.docs:
        return (float("nan"), float("nan"))
    f1 = _micro_f1(score.counts(), level, _indices(len(score.docs), resamples, seed))
    lo, hi = np.quantile(f1, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


@dataclass(frozen=True)
class Paired:
    delta: float
    ci: tuple[float, float]
    p: float  # one-sided: H1 = run better than baseline


def paired_bootstrap(
    run: RunScore,
    base: RunScore,
    level: str,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    alpha: float = 0.05,
) -> Paired:
    """ΔF1 (run − base) with a CI and one-sided p, both runs on the same resampled documents."""
    if [d.doc_id for d in run.docs] != [d.doc_id for d in base.docs]:
        raise ValueError("paired bootstrap needs both runs scored on the same documents")
    delta = run.prf(level).f1 - base.prf(level).f1
    if not run.docs:
        return Paired(delta, (float("nan"), float("nan")), float("nan"))
    idx = _indices(len(run.docs), resamples, seed)
    diff = _micro_f1(run.counts(), level, idx) - _micro_f1(base.counts(), level, idx)
    lo, hi = np.quantile(diff, [alpha / 2, 1 - alpha / 2])
    p = (1 + int(np.sum(diff <= 0))) / (resamples + 1)
    return Paired(delta, (float(lo), float(hi)), p)
