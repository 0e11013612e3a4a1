"""Output records of `llm-extract run`, as fixed by the output contract.

Field names and meanings here are a public contract: add fields, never rename them.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Kind(StrEnum):
    count = "count"
    money = "money"
    percent = "percent"
    change = "change"


class Grounding(StrEnum):
    exact = "exact"
    normalized = "normalized"
    fuzzy = "fuzzy"


class BaselineCheck(StrEnum):
    agree = "agree"
    value_differs = "value_differs"
    llm_only = "llm_only"


Number = int | float
Attribute = str | int | float | bool | None


def _empty(value: object) -> bool:
    return not value


def tidy_number(value: float | int | None) -> Number | None:
    """Integral floats become ints (394000.0 -> 394000); others are rounded to 10 digits."""
    if value is None:
        return None
    if float(value).is_integer():
        return int(value)
    return round(float(value), 10)


class Statistic(BaseModel):
    """One grounded statistic: `text[start:end] == surface` in the decoded document."""

    metric: str
    value: Number
    value_max: Number | None = None
    unit: str = ""
    kind: Kind = Kind.count
    period: str | None = None
    region: str | None = None
    agency: str | None = None
    approx: bool = False
    surface: str
    evidence: str
    start: int
    end: int
    grounding: Grounding = Grounding.exact
    baseline: BaselineCheck = BaselineCheck.agree
    period_start: str | None = None
    """First day the period covers (ISO `YYYY-MM-DD`), resolved against the publication date;
    None for a point in time (`截至11月底`) or what the text cannot fix."""
    period_end: str | None = None
    """Last day the period covers (the day itself for a point in time)."""
    compared_start: str | None = None
    """For a change: first day of the period it is measured against (同比: a year earlier)."""
    compared_end: str | None = None
    restated: list[tuple[int, int]] = Field(default_factory=list, exclude_if=_empty)
    """`[start, end]` of every other statement of the same fact in the document (a headline or
    lead restating a body figure), merged into this one; left out when there is none."""
    attributes: dict[str, Attribute] = Field(default_factory=dict, exclude_if=_empty)
    """The domain's own fields (those of its `Item` not named like a field above), as the model
    gave them; left out of the output when there are none, as for the default domain."""


GOLD_FIELDS = (
    "metric",
    "value",
    "value_max",
    "unit",
    "kind",
    "period",
    "region",
    "agency",
    "approx",
    "surface",
    "evidence",
    "start",
    "end",
)
"""A statistic's fields as the text states them; gold files hold these, in this order, then
`period_start` and `period_end` (the period resolved to ISO dates, as in the output)."""


class Candidate(BaseModel):
    """A number the regex baseline found that no statistic covers."""

    surface: str
    start: int
    end: int
    value: Number


class Usage(BaseModel):
    calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    retries: int = 0
    reasks: int = 0

    def add(self, other: Usage) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Checks(BaseModel):
    """What the pipeline verified or refused for one document."""

    chunks: int = 0
    failed_chunks: int = 0
    ungrounded: int = 0
    value_differs: int = 0
    duplicates_merged: int = 0
    unlabelled: int = 0  # guided: candidates the model skipped, kept as the regex read them
    first_try_valid: int = 0
    call_seconds: list[float] = Field(default_factory=list)
    chunk_errors: list[str] = Field(default_factory=list)


class RunInfo(BaseModel):
    """How the record was produced, for repeatability."""

    prompt: str | None = None
    schema_name: str | None = None
    schema_hash: str | None = None
    mode: str | None = None
    version: str = ""


class DocumentRecord(BaseModel):
    doc_id: str
    source: str
    model: str
    strategy: str
    status: str = "ok"  # ok | partial (some chunks lost: see error, checks) | failed
    error: str | None = None
    stats: list[Statistic] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    checks: Checks = Field(default_factory=Checks)
    unmatched_candidates: list[Candidate] = Field(default_factory=list)
    run: RunInfo = Field(default_factory=RunInfo)
    published: str | None = None
    """The publication date the periods were resolved against (ISO), if known."""


class FactStatus(StrEnum):
    single = "single"  # one source
    agree = "agree"  # every source gives the same value
    rounded = "rounded"  # the values differ only within the precision each is written at
    conflict = "conflict"  # some values are incompatible: all kept, flagged


class FactSource(BaseModel):
    """One statement of a fact: a statistic of one document, as that document words it."""

    doc_id: str
    source: str
    published: str | None = None
    metric: str
    value: Number
    value_max: Number | None = None
    period: str | None = None
    region: str | None = None
    agency: str | None = None
    approx: bool = False
    surface: str
    evidence: str
    start: int
    end: int


class Fact(BaseModel):
    """One figure across articles (`llm-extract facts`): its canonical reading and every source.

    The value is the most precisely written statement's; metric, period, region and agency are
    the wording most sources share (ties: the most precise statement's)."""

    fact_id: str
    metric: str
    value: Number
    value_max: Number | None = None
    unit: str = ""
    kind: Kind = Kind.count
    period: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    region: str | None = None
    agency: str | None = None
    status: FactStatus = FactStatus.single
    n_sources: int = 1
    sources: list[FactSource] = Field(default_factory=list)
