"""One table of facts across articles: the same figure from several outlets, with its sources.

statements (the runs' statistics, each with its document) → group (blocking, metric
similarity, precision) → `Fact` rows → write (JSONL, CSV, Parquet) and page (facts.html).
"""

from .group import build_facts
from .statements import Statement, load_records, statements

__all__ = ["Statement", "build_facts", "load_records", "statements"]
