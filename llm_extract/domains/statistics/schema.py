"""Domain `statistics`: official figures (counts, money, shares, changes) in news articles.

`Item` is what the model returns for one statistic. `CANDIDATE_FIELDS` are the fields the
regex baseline already knows for a marked candidate, so the `guided` strategy does not ask
the model for them. Descriptions are short on purpose: every schema token is paid per call.
The base fields (value_text, value, evidence) are declared again only to keep their place in
the schema the model sees; a new domain just adds its own fields.
"""

from typing import Literal

from pydantic import Field

from llm_extract.domains.base import StatisticItem


class Item(StatisticItem):
    value_text: str = Field(description="number with unit, copied exactly, e.g. 39.4万起")
    metric: str = Field(description="what is counted, as worded")
    period: str | None = None
    region: str | None = None
    agency: str | None = Field(None, description="who reports or did it")
    kind: Literal["count", "money", "percent", "change"] | None = None
    value: float | None = Field(None, description="full number, falls negative")
    unit: str | None = None
    approx: bool | None = None
    evidence: str | None = Field(None, description="the clause, copied")


CANDIDATE_FIELDS = frozenset({"value_text", "value", "unit", "approx", "evidence", "kind"})
