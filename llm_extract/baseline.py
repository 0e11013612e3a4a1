"""The deterministic regex baseline, and the one place a statistic record is assembled.

`find_numbers` decides what is statistic-like (value, unit, kind, sign, approx) and
`ContextReader` supplies metric, period, region, agency and the evidence sentence. An LLM
statistic is assembled the same way from its grounded mention, with the model's attributes
taking precedence over the regex context.
"""

from __future__ import annotations

from typing import Any

from .clean import CleanText
from .context import ContextReader
from .numbers import NumberMention
from .records import BaselineCheck, Grounding, Kind, Statistic, tidy_number

_MODEL_ATTRIBUTES = ("metric", "period", "region", "agency")


def make_statistic(
    clean: CleanText,
    reader: ContextReader,
    mention: NumberMention,
    attributes: dict[str, Any] | None = None,
    grounding: Grounding = Grounding.exact,
    baseline: BaselineCheck = BaselineCheck.agree,
) -> Statistic:
    """A contract record for `mention` (clean coordinates), with offsets into the original."""
    context = reader.describe(mention.start, mention.end)
    start, end = clean.to_original(mention.start, mention.end)
    ev_start, ev_end = clean.to_original(context.evidence_start, context.evidence_end)
    chosen = {
        "metric": context.metric,
        "period": context.period,
        "region": context.region,
        "agency": context.agency,
    }
    for name in _MODEL_ATTRIBUTES:
        given = (attributes or {}).get(name)
        if isinstance(given, str) and given.strip():
            chosen[name] = given.strip()
    return Statistic.model_construct(  # fields are already typed: skip re-validation
        metric=chosen["metric"] or "",
        value=tidy_number(mention.value),
        value_max=tidy_number(mention.value_max),
        unit=mention.unit,
        kind=Kind(mention.kind),
        period=chosen["period"],
        region=chosen["region"],
        agency=chosen["agency"],
        approx=mention.approx,
        surface=clean.original[start:end],
        evidence=clean.original[ev_start:ev_end].strip() or clean.original[start:end],
        start=start,
        end=end,
        grounding=grounding,
        baseline=baseline,
    )


def baseline_statistics(
    clean: CleanText, reader: ContextReader, mentions: list[NumberMention]
) -> list[Statistic]:
    """Every statistic-like mention of the article body, as the regex model's output."""
    return [make_statistic(clean, reader, mention) for mention in mentions]
