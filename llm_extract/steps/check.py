"""Cross-check against the regex baseline: agree, value_differs or llm_only, and the leftovers;
and a model's metric and period checked against the text before they replace the baseline's."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..lang import load_language
from ..lang.textnorm import fold
from ..records import BaselineCheck, Candidate, Statistic, tidy_number
from .context import weak_metric
from .numbers import NumberMention, same_value

_PERIOD = load_language("zh").period
_SPAN_ENDS = ("期间", "以来", "前", "后")  # `假日期间`, `行动开展以来`: spans the grammar leaves


@lru_cache(maxsize=4)
def _folded(text: str) -> str:
    """`fold` of a chunk's text, once for all its candidates."""
    return fold(text)


def checked_reading(fields: dict[str, Any], text: str) -> dict[str, Any]:
    """The model's `metric` and `period` as answers only where the text bears them out: a
    metric that is a fragment, a verb or holds a number (`同比下降`, `133起`), and a period
    that is not a period wording found in `text`, are dropped, so the baseline's reading
    stands. Other fields pass unchanged."""
    out = dict(fields)
    metric, period = out.get("metric"), out.get("period")
    if isinstance(metric, str) and weak_metric(metric):
        out["metric"] = None
    if isinstance(period, str) and period:
        key = fold(period)
        worded = _PERIOD.search(period) is not None or key.endswith(_SPAN_ENDS)
        if not worded or key not in _folded(text) or key == fold(metric or ""):
            out["period"] = None
    return out


def baseline_verdict(
    located: NumberMention, regex: NumberMention | None, model_value: float | None
) -> BaselineCheck:
    """How one grounded statistic compares with the regex baseline.

    `located` is the number parsed at the grounded span, `regex` the baseline mention at that
    span (None when the baseline has none there), `model_value` the value the model claimed.
    """
    if regex is None:
        return BaselineCheck.llm_only
    if not same_value(located.value, regex.value):
        return BaselineCheck.value_differs
    if model_value is not None and not (
        same_value(model_value, located.value) or same_value(model_value, located.value_max)
    ):
        return BaselineCheck.value_differs
    return BaselineCheck.agree


def unmatched_candidates(
    mentions: list[NumberMention], covered: list[tuple[int, int]], to_original
) -> list[Candidate]:
    """Baseline numbers (clean coordinates) that no statistic span overlaps."""
    covered = sorted(covered)
    out: list[Candidate] = []
    j = 0
    for mention in mentions:
        while j < len(covered) and covered[j][1] <= mention.start:
            j += 1
        if j < len(covered) and covered[j][0] < mention.end:
            continue
        start, end = to_original(mention.start, mention.end)
        out.append(
            Candidate(
                surface=mention.surface, start=start, end=end, value=tidy_number(mention.value)
            )
        )
    return out


def verify_offsets(stats: list[Statistic], original: str) -> None:
    """Assert the contract's invariant on every statistic before it is written."""
    for stat in stats:
        if original[stat.start : stat.end] != stat.surface:
            raise AssertionError(f"offset invariant broken for {stat.surface!r} at {stat.start}")
