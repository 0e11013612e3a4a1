"""`run --format csv|parquet`: one row per statistic, read back alike by pandas and DuckDB,
nothing lost for a document without statistics, and the journal and `--resume` as for JSONL."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from llm_extract.cli import main
from llm_extract.paths import shared_dir
from llm_extract.records import DocumentRecord, Statistic
from llm_extract.steps import tabular
from llm_extract.steps.write import partial_path

SHARED = shared_dir()
COMPARED = ("metric", "value", "value_max", "unit", "kind", "period", "approx", "surface",
            "evidence", "start", "end", "grounding")  # fmt: skip


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The shared seeds, an empty file (a failed record), an article without numbers (ok, no
    statistic) and one with a range, a quoted metric and a comma in a number."""
    seeds = SHARED / "seeds"
    assert len(list(seeds.glob("*.txt"))) >= 5, f"shared seeds not found at {seeds}"
    extra = tmp_path_factory.mktemp("extra")
    (extra / "empty.txt").write_bytes(b"")
    (extra / "calm.txt").write_text("今天天气很好，大家都出门散步。", encoding="utf-8")
    text = (
        '今年1至8月，全省破获案件1.2万至1.5万起，涉案金额约3亿元，同比上升8.5%，"人数"达1,234人。'
    )
    (extra / "range.txt").write_text(text, encoding="utf-8")
    return [str(seeds), str(extra)]


def _run(inputs: list[str], out: Path | str, *flags: str) -> int:
    return main(["run", *inputs, "--model", "regex", "-q", "-o", str(out), *flags])


@pytest.fixture(scope="module")
def jsonl(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The records of the same inputs written as JSONL: what every table must hold."""
    out = tmp_path_factory.mktemp("jsonl") / "out.jsonl"
    assert _run(inputs, out) == 1  # the empty file failed
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_id = {r["doc_id"]: r for r in records}
    assert by_id["empty"]["status"] == "failed" and by_id["empty"]["stats"] == []
    assert by_id["calm"]["status"] == "ok" and by_id["calm"]["stats"] == []
    stats = [s for r in records for s in r["stats"]]
    assert len(stats) > 100 and any(isinstance(s["value"], float) for s in stats)
    assert any(s["value_max"] is not None for s in stats) and any(s["approx"] for s in stats)
    return records


def _expected_rows(records: list[dict]) -> list[dict[str, Any]]:
    return [
        {"doc_id": r["doc_id"], "status": r["status"], "error": r["error"], **(s or {})}
        for r in records
        for s in r["stats"] or [None]
    ]


def _plain(value: Any) -> Any:
    """pandas and DuckDB cells as Python values; NaN and NA as None."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _same(got: Any, want: Any, fmt: str) -> bool:
    if fmt == "csv" and want == "":
        want = None  # an empty CSV cell is null
    if isinstance(want, int | float) and not isinstance(want, bool) and got is not None:
        return float(got) == float(want)
    return got == want


def _check_rows(got: list[dict[str, Any]], records: list[dict], fmt: str) -> None:
    want = _expected_rows(records)
    assert len(got) == len(want) == sum(max(1, len(r["stats"])) for r in records)
    for row, expected in zip(got, want, strict=True):
        assert row["doc_id"] == expected["doc_id"] and row["status"] == expected["status"]
        if "surface" not in expected:  # a document without statistics: null statistic cells
            assert all(row[name] is None for name in Statistic.model_fields), row
            continue
        for name in COMPARED:
            assert _same(row[name], expected[name], fmt), (name, row[name], expected[name])


def _table(inputs: list[str], tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"out.{fmt}"
    assert _run(inputs, out) == 1
    assert not partial_path(out).exists()  # the journal is removed once the table is in
    return out


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_pandas_reads_one_row_per_statistic_with_the_jsonl_values(
    inputs: list[str], jsonl: list[dict], tmp_path: Path, fmt: str
) -> None:
    out = _table(inputs, tmp_path, fmt)
    frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    assert list(frame.columns) == [*tabular.DOC_COLUMNS, *Statistic.model_fields]
    rows = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    _check_rows(rows, jsonl, fmt)
    failed = frame[frame["status"] == "failed"]
    assert list(failed["doc_id"]) == ["empty"] and "empty" in failed["error"].iloc[0]
    assert "39.4 万起" in set(frame["surface"])  # Chinese text intact


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_duckdb_reads_one_row_per_statistic_with_the_jsonl_values(
    inputs: list[str], jsonl: list[dict], tmp_path: Path, fmt: str
) -> None:
    out = _table(inputs, tmp_path, fmt)
    source = f"read_{fmt}('{out}')"
    result = duckdb.sql(f"SELECT * FROM {source}")
    rows = [dict(zip(result.columns, map(_plain, row), strict=True)) for row in result.fetchall()]
    _check_rows(rows, jsonl, fmt)
    ((empty, nulls),) = duckdb.sql(
        f"SELECT count(*) FILTER (WHERE metric IS NULL), count(*) FILTER (WHERE status = "
        f"'failed' AND value IS NULL AND start IS NULL AND surface IS NULL) FROM {source}"
    ).fetchall()
    assert (empty, nulls) == (2, 1)  # calm (ok, nothing found) and the failed empty file
    ((money,),) = duckdb.sql(f"SELECT sum(value) FROM {source} WHERE doc_id = 'range'").fetchall()
    assert money == 12000 + 300000000 + 8.5 + 1234
    types = dict(zip(result.columns, map(str, result.types), strict=True))
    assert (types["value"], types["start"], types["approx"]) == ("DOUBLE", "BIGINT", "BOOLEAN")


def test_parquet_columns_have_the_declared_types(inputs: list[str], tmp_path: Path) -> None:
    schema = pq.read_schema(_table(inputs, tmp_path, "parquet"))
    assert schema.equals(tabular.arrow_schema())
    declared = {name: schema.field(name).type for name in schema.names}
    assert declared["value"] == declared["value_max"] == pa.float64()
    assert declared["start"] == declared["end"] == pa.int64()
    assert declared["approx"] == pa.bool_()
    assert {declared[n] for n in ("doc_id", "error", "metric", "kind", "grounding")} == {
        pa.string()
    }
    assert not schema.field("doc_id").nullable and schema.field("metric").nullable


def test_csv_has_a_bom_that_pandas_and_duckdb_skip(inputs: list[str], tmp_path: Path) -> None:
    out = _table(inputs, tmp_path, "csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdoc_id,source,")  # for Excel
    assert pd.read_csv(out).columns[0] == "doc_id"
    relation = duckdb.sql(f"SELECT * FROM read_csv('{out}')")
    assert relation.columns[0] == "doc_id"
    first = duckdb.sql(f"SELECT doc_id, metric FROM read_csv('{out}') LIMIT 1").fetchall()
    assert first == [("000_a12ffeb42ad0c3ad", "立案数连续同比下降")]


def test_the_format_follows_the_suffix_unless_given(inputs: list[str], tmp_path: Path) -> None:
    def kind_of(path: Path) -> str:
        data = path.read_bytes()
        if data.startswith(b"PAR1"):
            return "parquet"
        if data.startswith(b"\xef\xbb\xbfdoc_id,"):
            return "csv"
        json.loads(data.splitlines()[0])
        return "jsonl"

    cases = [("a.csv", [], "csv"), ("b.parquet", [], "parquet"), ("c.jsonl", [], "jsonl"),
             ("d.txt", [], "jsonl"), ("E.CSV", [], "csv"), ("f.jsonl", ["--format", "csv"], "csv"),
             ("g.csv", ["--format", "jsonl"], "jsonl"),
             ("h.data", ["--format", "parquet"], "parquet")]  # fmt: skip
    for name, flags, want in cases:
        assert _run(inputs, tmp_path / name, *flags) == 1
        assert kind_of(tmp_path / name) == want, name


def test_parquet_to_stdout_and_a_bad_format_are_refused(
    inputs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for target in (["-o", "-"], []):
        argv = ["run", *inputs, "--model", "regex", "-q", "--format", "parquet", *target]
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "parquet cannot go to stdout" in captured.err
    with pytest.raises(SystemExit) as exit_:
        main(["run", *inputs, "--model", "regex", "--format", "xlsx"])
    assert exit_.value.code == 2
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err


def test_csv_to_stdout_is_the_same_table(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _table(inputs, tmp_path, "csv")
    capsys.readouterr()
    assert main(["run", *inputs, "--model", "regex", "-q", "--format", "csv"]) == 1
    streamed = capsys.readouterr().out
    written = out.read_bytes().decode("utf-8")
    assert streamed.count("\n") > 100
    assert streamed.replace("\r\n", "\n") == written.replace("\r\n", "\n")


def _tamper(path: Path, fmt: str) -> DocumentRecord:
    """Change the first statistic's metric in the table (as a rerun would never make it), so a
    resumed run shows whether it kept the table's record or extracted the document again."""
    records = tabular.read_table(path, fmt)
    records[0].stats[0].metric = '改过的指标, "quoted"'
    tabular.write_table(records, path, fmt)
    return records[0]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_resume_over_a_completed_table_rewrites_it_identically(
    inputs: list[str], tmp_path: Path, fmt: str
) -> None:
    out = _table(inputs, tmp_path, fmt)
    kept = _tamper(out, fmt)
    before = out.read_bytes()
    assert _run(inputs, out, "--resume") == 1  # the empty file is done again, and fails again
    assert out.read_bytes() == before
    assert not partial_path(out).exists()
    back = tabular.read_table(out, fmt)
    assert back[0] == kept and [r.doc_id for r in back][-3:] == ["calm", "empty", "range"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_killed_run_resumes_from_its_journal_into_the_table(
    inputs: list[str], jsonl: list[dict], tmp_path: Path, fmt: str
) -> None:
    out = _table(inputs, tmp_path, fmt)  # an earlier complete run wrote the manifest and table
    journal = [DocumentRecord.model_validate(r) for r in jsonl[:3]]
    journal[1].stats[0].metric = "日志里的指标"  # only the journal has it
    lines = [r.model_dump_json() + "\n" for r in journal]
    partial_path(out).write_text("".join(lines) + '{"doc_id": "torn', encoding="utf-8")
    assert _run(inputs, out, "--resume") == 1
    assert not partial_path(out).exists()
    back = tabular.read_table(out, fmt)
    assert [r.doc_id for r in back] == [r["doc_id"] for r in jsonl]
    assert back[1].stats[0].metric == "日志里的指标"  # kept from the journal, not redone
    want = [DocumentRecord.model_validate(r) for r in jsonl]
    want[1].stats[0].metric = "日志里的指标"
    fields = set(tabular.DOC_COLUMNS) | {"stats"}
    assert [r.model_dump(include=fields) for r in back] == [
        r.model_dump(include=fields) for r in want
    ]


def test_columns_follow_the_fields_of_statistic(tmp_path: Path, monkeypatch) -> None:
    assert tabular.columns() == (*tabular.DOC_COLUMNS, *Statistic.model_fields)
    kinds = {dict[str, str]: "json", list[int]: "json", date | None: "str", str | None: "str",
             Literal["a", "b"]: "str", int | None: "int", bool: "bool", int | float: "float",
             str | int: "json"}  # fmt: skip
    assert {a: tabular._kind(a) for a in kinds} == kinds

    class Later(Statistic):  # a field a later version may add
        valid_from: date | None = None

    monkeypatch.setattr(tabular, "Statistic", Later)
    stat = Later(metric="破获案件", value=12000, surface="1.2万起", evidence="破获案件1.2万起",
                 start=4, end=9, valid_from=date(2024, 1, 1),
                 attributes={"口径": "全国"})  # fmt: skip
    record = DocumentRecord(doc_id="d", source="d.txt", model="m", strategy="s")
    record.stats.append(stat)
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"later.{fmt}"
        tabular.write_table([record], out, fmt)
        frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
        assert list(frame.columns)[-2:] == ["attributes", "valid_from"]
        assert frame["attributes"].iloc[0] == '{"口径": "全国"}'  # JSON, readable
        assert frame["valid_from"].iloc[0] == "2024-01-01"
        (back,) = tabular.read_table(out, fmt)
        assert back.stats == [stat]
    assert tabular.arrow_schema().field("attributes").type == pa.string()


def test_attributes_round_trip_and_an_empty_cell_is_none(tmp_path: Path) -> None:
    """A domain's own fields are one JSON cell; a statistic without any has an empty cell
    (as its JSONL line has no `attributes` key) and reads back with none."""
    plain = Statistic(metric="破获案件", value=12000, surface="1.2万起", evidence="破获案件1.2万起",
                      start=4, end=9)  # fmt: skip
    own = plain.model_copy(update={"attributes": {"product": "汽车", "n": 3, "ok": True}})
    record = DocumentRecord(doc_id="d", source="d.txt", model="m", strategy="s")
    record.stats += [plain, own]
    assert "attributes" not in json.loads(plain.model_dump_json())
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"attributes.{fmt}"
        tabular.write_table([record], out, fmt)
        frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
        assert frame["attributes"].isna().tolist() == [True, False]
        assert json.loads(frame["attributes"].iloc[1]) == own.attributes
        (back,) = tabular.read_table(out, fmt)
        assert back.stats == [plain, own] and back.stats[0].attributes == {}
