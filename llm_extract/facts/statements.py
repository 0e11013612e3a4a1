"""The statements `facts` groups: every statistic of the runs given, with its document."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from ..records import DocumentRecord, FactSource, Statistic
from ..steps.tabular import output_format, read_table
from .precision import tolerance


@dataclass(frozen=True)
class Statement:
    """A statistic as one document states it."""

    doc_id: str
    source: str
    published: str | None
    stat: Statistic
    tol: float = field(init=False)
    span: tuple[date, date] | None = field(init=False)  # the period's days, if fully resolved

    def __post_init__(self) -> None:
        s = self.stat
        span = None
        if s.period_start and s.period_end:
            span = (date.fromisoformat(s.period_start), date.fromisoformat(s.period_end))
        object.__setattr__(self, "span", span)
        object.__setattr__(
            self, "tol", tolerance(self.stat.value, self.stat.surface, self.stat.approx)
        )

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc_id, self.stat.start, self.stat.end)

    @property
    def reading(self) -> tuple[float, float | None, float]:
        return (self.stat.value, self.stat.value_max, self.tol)

    def as_source(self) -> FactSource:
        s = self.stat
        return FactSource(
            doc_id=self.doc_id,
            source=self.source,
            published=self.published,
            **s.model_dump(include=set(FactSource.model_fields)),
        )


Warn = Callable[[str], None]


def _run_lines(path: Path, warn: Warn) -> Iterable[DocumentRecord]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield DocumentRecord.model_validate_json(line)
        except ValidationError as exc:
            problem = exc.errors()[0]
            warn(f"{path}:{n}: not a run record ({problem['msg']}); line skipped")


def _gold_folder(folder: Path, warn: Warn) -> Iterable[DocumentRecord]:
    """A gold folder (`<doc_id>.jsonl`, a statistic per line) read as records of one run."""
    for path in sorted(folder.glob("*.jsonl")):
        stats = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                stats.append(Statistic.model_validate_json(line))
            except ValidationError as exc:
                warn(f"{path}:{n}: not a statistic ({exc.errors()[0]['msg']}); line skipped")
        yield DocumentRecord(
            doc_id=path.stem, source=str(path), model="gold", strategy="gold", stats=stats
        )


def load_records(paths: Iterable[Path], warn: Warn) -> list[DocumentRecord]:
    """The records of run files (.jsonl, .csv, .parquet) or gold folders, one per document:
    a document found again in a later file is told and left out (the first one is used)."""
    records: dict[str, DocumentRecord] = {}
    for path in paths:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        if path.is_dir():
            found: Iterable[DocumentRecord] = _gold_folder(path, warn)
        elif (fmt := output_format(path, None)) != "jsonl":
            found = read_table(path, fmt)
        else:
            found = _run_lines(path, warn)
        for record in found:
            if record.doc_id in records:
                warn(f"{path}: document {record.doc_id} is already in an earlier input; left out")
                continue
            records[record.doc_id] = record
    return list(records.values())


def statements(records: Iterable[DocumentRecord]) -> list[Statement]:
    return [Statement(r.doc_id, r.source, r.published, s) for r in records for s in r.stats]
