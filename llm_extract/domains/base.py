"""The base every domain's `Item` extends: what the pipeline needs to ground a statistic.

`value_text` is located in the text (with `evidence` and `value` to choose among repeats);
everything else the pipeline reads is optional. A domain adds its own fields by subclassing:
fields named like a `Statistic` field (metric, period, region, agency, ...) fill that field, any
other field reaches the output in `Statistic.attributes`.

Field order is part of the prompt (the JSON schema the model sees, the grammar it decodes under,
the cached request), so a subclass decides it: the base fields a subclass declares again take the
place it declares them in, instead of pydantic's parent-first order.
"""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel, Field


def _declared_order(cls: type[BaseModel]) -> list[str]:
    """Field names of `cls`, each class of its bases, root first, placing the fields it declares
    (again) in its own order after the inherited fields it leaves alone."""
    order: list[str] = []
    for klass in reversed(cls.__mro__):
        own = [n for n in inspect.get_annotations(klass) if n in cls.model_fields]
        order = [n for n in order if n not in own] + own
    return order + [n for n in cls.model_fields if n not in order]


class StatisticItem(BaseModel):
    value_text: str = Field(description="number with unit, copied exactly, e.g. 39.4万起")
    value: float | None = Field(None, description="full number, falls negative")
    evidence: str | None = Field(None, description="the clause, copied")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        order = _declared_order(cls)
        fields = cls.__pydantic_fields__
        if order != list(fields) and cls.__pydantic_complete__:
            cls.__pydantic_fields__ = {name: fields[name] for name in order}
            cls.model_rebuild(force=True)
