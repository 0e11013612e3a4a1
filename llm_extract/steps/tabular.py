"""Tables of records for `llm-extract run --format csv|parquet`: one row per statistic.

Columns: the document's `doc_id source model strategy status error`, then every field of
`Statistic` in declaration order (read from `Statistic.model_fields`, so a field added there
becomes a column). A document without statistics is one row whose statistic cells are null.
Numbers and booleans keep their types; enums and dates are strings; any other field (a dict, a
list, a model, a mixed union) is a JSON string. CSV is UTF-8 with a BOM (so Excel reads the
Chinese; pandas and DuckDB skip it) and an empty cell is null (or "" for a string field that
cannot be None, such as unit; the default of another such field: `attributes` {}). Reading a
table back gives one `DocumentRecord` per run of rows with the same document columns, rebuilt
from what the table holds (usage, checks and run info are not in it and come back as
defaults). pyarrow is imported only when Parquet is used.
"""

from __future__ import annotations

import csv
import json
import types
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from ..files import atomic_write
from ..records import DocumentRecord, Statistic, tidy_number

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("jsonl", "csv", "parquet")
DOC_COLUMNS = ("doc_id", "source", "model", "strategy", "status", "error")
BOM = "\ufeff"
Kind = Literal["str", "int", "float", "bool", "json"]


def output_format(path: Path | None, chosen: str | None) -> str:
    """`chosen` if given, else by the output's suffix: .csv, .parquet, otherwise jsonl."""
    if chosen:
        return chosen
    suffix = path.suffix.lower() if path is not None else ""
    return {".csv": "csv", ".parquet": "parquet"}.get(suffix, "jsonl")


def _members(annotation: Any) -> tuple[list[Any], bool]:
    """The non-None types of an annotation, and whether None is one of them."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = get_args(annotation)
        return [a for a in args if a is not type(None)], type(None) in args
    return [annotation], False


def _kind(annotation: Any) -> Kind:
    """How a column holds a field of this type; "json" for anything not a plain scalar."""
    args, _ = _members(annotation)
    if args == [bool]:
        return "bool"
    if args == [int]:
        return "int"
    if float in args and set(args) <= {int, float}:
        return "float"
    if len(args) == 1:
        (arg,) = args
        if get_origin(arg) is Literal and all(isinstance(v, str) for v in get_args(arg)):
            return "str"
        if isinstance(arg, type) and issubclass(arg, str | Enum | date | datetime | time):
            return "str"
    return "json"


def model_kinds(model: type[BaseModel]) -> dict[str, Kind]:
    """Each field of `model` (in declaration order) and how its column holds it."""
    return {name: _kind(field.annotation) for name, field in model.model_fields.items()}


def stat_kinds() -> dict[str, Kind]:
    return model_kinds(Statistic)


def _arrow_types() -> dict[Kind, pa.DataType]:
    import pyarrow as pa

    return {"str": pa.string(), "json": pa.string(), "int": pa.int64(),
            "float": pa.float64(), "bool": pa.bool_()}  # fmt: skip


def columns() -> tuple[str, ...]:
    return (*DOC_COLUMNS, *stat_kinds())


def arrow_schema() -> pa.Schema:
    """The Parquet schema: strings (enums and JSON too), int64, float64 (value, value_max: an
    int or a float in the records, exact as float64 to 2**53), bool."""
    import pyarrow as pa

    types_ = _arrow_types()
    head = [pa.field(name, pa.string(), nullable=name == "error") for name in DOC_COLUMNS]
    return pa.schema(head + [pa.field(n, types_[k]) for n, k in stat_kinds().items()])


def rows(records: Iterable[DocumentRecord]) -> Iterator[dict[str, Any]]:
    """One dict per statistic (one with null statistic cells for a document with none)."""
    kinds = stat_kinds()
    for record in records:
        head = {name: getattr(record, name) for name in DOC_COLUMNS}
        for stat in [s.model_dump(mode="json") for s in record.stats] or [{}]:
            cells = {n: stat.get(n) for n in kinds}
            for name, kind in kinds.items():
                if kind == "json" and cells[name] is not None:
                    cells[name] = json.dumps(cells[name], ensure_ascii=False)
            yield head | cells


def _csv_cell(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value


def write_csv(records: Iterable[DocumentRecord], handle: IO[str]) -> list[DocumentRecord]:
    """Write the BOM, the header and each record's rows to `handle`, flushed per record."""
    written: list[DocumentRecord] = []
    writer, header = csv.writer(handle), columns()
    handle.write(BOM)
    writer.writerow(header)
    for record in records:
        writer.writerows([_csv_cell(row[c]) for c in header] for row in rows([record]))
        handle.flush()
        written.append(record)
    return written


def write_table(records: list[DocumentRecord], path: Path, fmt: str) -> None:
    """Write `records` as a csv or parquet table to a temporary file beside `path`, then rename
    it over `path`: a crash leaves the old file or the new one."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"not a table format: {fmt}")
    if fmt == "csv":
        with atomic_write(path) as handle:
            write_csv(records, handle)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(list(rows(records)), schema=arrow_schema())
    with atomic_write(path, binary=True) as binary:
        pq.write_table(table, binary)


def model_rows(items: Iterable[BaseModel], kinds: dict[str, Kind]) -> Iterator[dict[str, Any]]:
    """One dict per model, a cell per field of `kinds` (JSON text for the "json" ones)."""
    for item in items:
        cells = item.model_dump(mode="json", include=set(kinds))
        yield {
            n: json.dumps(cells[n], ensure_ascii=False) if k == "json" else cells[n]
            for n, k in kinds.items()
        }


def write_model_table(items: Sequence[BaseModel], path: Path, fmt: str) -> None:
    """A csv or parquet table of pydantic models, a column per field (as `write_table`)."""
    if not items:
        raise ValueError("no rows to write")
    kinds = model_kinds(type(items[0]))
    table = list(model_rows(items, kinds))
    if fmt == "csv":
        with atomic_write(path) as handle:
            handle.write(BOM)
            writer = csv.writer(handle)
            writer.writerow(kinds)
            writer.writerows([_csv_cell(row[c]) for c in kinds] for row in table)
        return
    if fmt != "parquet":
        raise ValueError(f"not a table format: {fmt}")
    import pyarrow as pa
    import pyarrow.parquet as pq

    types_ = _arrow_types()
    schema = pa.schema([pa.field(n, types_[k]) for n, k in kinds.items()])
    with atomic_write(path, binary=True) as binary:
        pq.write_table(pa.Table.from_pylist(table, schema=schema), binary)


@cache
def _nullable(name: str) -> bool:
    return _members(Statistic.model_fields[name].annotation)[1]


def _from_csv(name: str, kind: Kind, cell: str) -> Any:
    if cell == "":  # null, or "" for a string field that cannot be None (unit)
        return "" if kind == "str" and not _nullable(name) else None
    converters = {"int": int, "float": float, "bool": lambda s: s == "true", "json": json.loads}
    return converters.get(kind, str)(cell)


def read_table(path: Path, fmt: str) -> list[DocumentRecord]:
    """The records of a table written by `write_table`, in row order: consecutive rows with the
    same document columns are one document."""
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path)
        except pa.ArrowException as exc:
            raise ValueError(f"{path}: not a Parquet table ({exc})") from None
        header, raw = table.column_names, table.to_pylist()
    else:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header, raw = list(reader.fieldnames or ()), list(reader)
    if not set(DOC_COLUMNS) <= set(header):
        raise ValueError(f"{path}: not an llm-extract {fmt} table (columns {header[:8]})")
    present = {n: k for n, k in stat_kinds().items() if n in header}  # older tables lack new fields
    records: list[DocumentRecord] = []
    for row in raw:
        head = {n: row[n] for n in DOC_COLUMNS} | {"error": row["error"] or None}
        if not records or records[-1].model_dump(include=set(DOC_COLUMNS)) != head:
            records.append(DocumentRecord(**head))
        if all(row[n] in (None, "") for n in present):
            continue  # the row of a document without statistics
        if fmt == "csv":
            stat = {n: _from_csv(n, k, row[n]) for n, k in present.items()}
        else:
            stat = {n: json.loads(row[n]) if k == "json" and row[n] is not None else row[n]
                    for n, k in present.items()}  # fmt: skip
        for name in (n for n, k in present.items() if k == "float"):
            stat[name] = tidy_number(stat[name])
        # a null cell of a field that cannot be None (attributes: none, left out of the JSONL
        # too) is the field's default
        stat = {n: v for n, v in stat.items() if v is not None or _nullable(n)}
        records[-1].stats.append(Statistic.model_validate(stat))
    return records
