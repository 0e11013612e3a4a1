"""Plain-dict summaries of a scored run: quality (with CIs) and usage (tokens, time, cost)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from llm_extract.evaluate.score import LEVELS, RunScore
from llm_extract.evaluate.split import SPLITS, split_of
from llm_extract.evaluate.stats import bootstrap_ci, paired_bootstrap
from llm_extract.providers.prices import cost as cost_of
from llm_extract.records import DocumentRecord


def finite(values: tuple[float, ...]) -> list[float | None]:
    """NaN (no documents to resample) becomes None, so the JSON stays valid."""
    return [None if np.isnan(v) else v for v in values]


def _levels(score: RunScore) -> dict[str, Any]:
    return {
        lvl: {**score.prf(lvl).as_dict(), "ci": finite(bootstrap_ci(score, lvl))} for lvl in LEVELS
    }


def _delta_core(score: RunScore, baseline: RunScore) -> dict[str, Any]:
    paired = paired_bootstrap(score, baseline, "core")
    return {"delta": paired.delta, "ci": finite(paired.ci), "p": finite((paired.p,))[0]}


def split_quality(
    score: RunScore, baseline: RunScore | None = None, splits: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Per split (`tune`, `validation` by the rule of `split.py`, then any other part `splits`
    — document id → split — names): documents, levels with CIs, ΔF1."""
    part_of = {d.doc_id: (splits or {}).get(d.doc_id) or split_of(d.doc_id) for d in score.docs}
    out = {}
    for name in dict.fromkeys([*SPLITS, *part_of.values()]):
        ids = [doc_id for doc_id, part in part_of.items() if part == name]
        part = score.only(ids)
        entry: dict[str, Any] = {
            "documents": len(part.docs),
            "levels": _levels(part),
            "attributes": part.attribute_accuracy(),
        }
        if baseline is not None:
            entry["delta_core"] = _delta_core(part, baseline.only(ids))
        out[name] = entry
    return out


def quality(
    score: RunScore, baseline: RunScore | None = None, splits: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """P/R/F1 per level with bootstrap CIs, ΔF1 vs a baseline, attributes, taxonomy, per doc,
    and the same levels and ΔF1 per split."""
    levels = _levels(score)
    out: dict[str, Any] = {
        "documents": len(score.docs),
        "levels": levels,
        "attributes": score.attribute_accuracy(),
        "taxonomy": score.taxonomy(),
        "docs": [
            {
                "doc_id": d.doc_id,
                "has_record": d.has_record,
                "n_gold": len(d.gold),
                "n_pred": len(d.pred),
                "f1": {lvl: d.prf(lvl).f1 for lvl in LEVELS},
            }
            for d in score.docs
        ],
        "unscored": score.unscored,
        "missing": [d.doc_id for d in score.docs if not d.has_record],
        "splits": split_quality(score, baseline, splits),
    }
    if baseline is not None:
        out["delta_core"] = _delta_core(score, baseline)
    return out


def price_of(prices: Mapping[str, Any], name: str, model: str, local: bool) -> dict | None:
    """USD per 1M tokens {prompt, completion} for a run (by name, then model); 0 for local."""
    for key in (name, model):
        if key in prices:
            entry = prices[key]
            return {
                "prompt": float(entry.get("prompt", 0)),
                "completion": float(entry.get("completion", 0)),
            }
    return {"prompt": 0.0, "completion": 0.0} if local else None


def usage(
    records: Sequence[DocumentRecord], uses_llm: bool, price: Mapping | None
) -> dict[str, Any]:
    """Token, call, time, cost and check totals over a run's records."""

    def total(get: Any) -> Any:
        return sum(get(r) for r in records)

    prompt = total(lambda r: r.usage.prompt_tokens)
    completion = total(lambda r: r.usage.completion_tokens)
    written = total(lambda r: len(r.stats))
    ungrounded = total(lambda r: r.checks.ungrounded)
    chunks = total(lambda r: r.checks.chunks)
    # model time as measured when each call was made (kept in the response cache), so a
    # warm re-run reports the same figure; the regex baseline has no calls: its wall time
    seconds = total(
        lambda r: sum(r.checks.call_seconds) if r.checks.call_seconds else r.usage.seconds
    )
    calls = [s for r in records for s in r.checks.call_seconds]
    cost = None
    if price is not None:
        cost = cost_of(prompt, completion, (price["prompt"], price["completion"]))
    n = len(records)
    return {
        "documents": n,
        "failed": sum(r.status != "ok" for r in records),
        "calls": total(lambda r: r.usage.calls),
        "cached_calls": total(lambda r: r.usage.cached_calls),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "reasks": total(lambda r: r.usage.reasks),
        "retries": total(lambda r: r.usage.retries),
        "seconds": seconds,
        "seconds_per_doc": seconds / n if n else None,
        "call_p50": float(np.percentile(calls, 50)) if calls else None,
        "call_p95": float(np.percentile(calls, 95)) if calls else None,
        "ungrounded_rate": ungrounded / (ungrounded + written) if ungrounded + written else 0.0,
        "first_try_valid_rate": (
            total(lambda r: r.checks.first_try_valid) / chunks if uses_llm and chunks else None
        ),
        "cost_usd": cost,
        "cost_per_doc": cost / n if cost is not None and n else None,
    }
