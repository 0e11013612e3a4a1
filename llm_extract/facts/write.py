"""Write facts: JSONL (a fact per line, sources nested), or a CSV / Parquet table (a row per
fact, `sources` as JSON text)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..files import atomic_write
from ..records import Fact
from ..steps.tabular import output_format, write_model_table


def write_facts(facts: Sequence[Fact], path: Path, fmt: str | None = None) -> None:
    """Whole or not at all; the format by `fmt` or the suffix (.csv, .parquet, else JSONL)."""
    fmt = output_format(path, fmt)
    if fmt != "jsonl":
        write_model_table(facts, path, fmt)
        return
    with atomic_write(path) as handle:
        handle.writelines(f.model_dump_json() + "\n" for f in facts)
