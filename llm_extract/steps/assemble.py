"""The one place a statistic record is assembled, for the regex baseline and every model.

`find_numbers` decides what the statistic is (value, unit, kind, sign, approx) and
`ContextReader` supplies metric, period, region, agency and the evidence sentence. A model's
statistic is assembled the same way from its grounded mention: its metric, period, region and
agency take precedence over the regex context, and the fields its domain adds (any not named
like a `Statistic` field or a `StatisticItem` field) are kept in `attributes`.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import to_jsonable_python

from ..domains.base import StatisticItem
from ..records import Attribute, BaselineCheck, Grounding, Kind, Statistic, tidy_number
from .clean import CleanText
from .context import ContextReader
from .numbers import NumberMention

MODEL_TAKES_PRECEDENCE = ("metric", "period", "region", "agency")
# A dict lookup (Kind(x) is slow per number); a duration is counted, in seconds.
_KINDS = {kind.value: kind for kind in Kind} | {"duration": Kind.count}
MAPPED_FIELDS = frozenset(Statistic.model_fields) | frozenset(StatisticItem.model_fields)
"""Item fields the pipeline reads itself (to ground, or as the output field of that name);
every other field of a domain's item is an attribute."""


def _attribute(value: Any) -> Attribute:
    """A scalar as it is; anything else (a list, an object) as its JSON text."""
    value = to_jsonable_python(value)  # enums to their values, dates to ISO text, ...
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False)


def domain_attributes(fields: dict[str, Any]) -> dict[str, Attribute]:
    """The fields of a proposal that its domain adds, without the ones the model left empty."""
    return {
        name: _attribute(value)
        for name, value in fields.items()
        if name not in MAPPED_FIELDS and value is not None
    }


def assemble_statistic(
    clean: CleanText,
    reader: ContextReader,
    mention: NumberMention,
    fields: dict[str, Any] | None = None,
    grounding: Grounding = Grounding.exact,
    baseline: BaselineCheck = BaselineCheck.agree,
) -> Statistic:
    """A contract record for `mention` (clean coordinates), with offsets into the original;
    `fields` are the model's proposal (none for the regex baseline)."""
    context = reader.describe(mention.start, mention.end)
    start, end = clean.to_original(mention.start, mention.end)
    ev_start, ev_end = clean.to_original(context.evidence_start, context.evidence_end)
    chosen = [context.metric, context.period, context.region, context.agency]
    if fields:
        for k, name in enumerate(MODEL_TAKES_PRECEDENCE):
            given = fields.get(name)
            if isinstance(given, str) and given.strip():
                chosen[k] = given.strip()
    metric, period, region, agency = chosen
    return Statistic.model_construct(  # fields are already typed: skip re-validation
        metric=metric or "",
        value=tidy_number(mention.value),
        value_max=tidy_number(mention.value_max),
        unit=mention.unit,
        kind=_KINDS[mention.kind],
        period=period,
        region=region,
        agency=agency,
        approx=mention.approx,
        surface=clean.original[start:end],
        evidence=clean.original[ev_start:ev_end].strip() or clean.original[start:end],
        start=start,
        end=end,
        grounding=grounding,
        baseline=baseline,
        period_start=None,  # resolved after merging (steps/dates.py); given here so that
        period_end=None,  # model_construct need not look the defaults up
        compared_start=None,
        compared_end=None,
        attributes=domain_attributes(fields) if fields else {},
        restated=[],  # given: pydantic inspects a default_factory's signature on every call
    )
