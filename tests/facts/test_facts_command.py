"""`llm-extract facts`: runs in, a facts table, a review page and pair scores out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from llm_extract.cli import main
from llm_extract.records import DocumentRecord, Statistic

TEXTS = {
    "a": "<b>一年来</b>，全国共封堵涉诈域名网址210.6万个，拦截诈骗电话19.5亿次。",
    "b": "会上通报，封堵涉诈域名网址211万个，推送预警指令4067万条。",
}
FIGURES = {
    "a": [
        ("210.6万个", 2106000, "封堵涉诈域名网址", "个"),
        ("19.5亿次", 1950000000, "拦截诈骗电话", "次"),
    ],
    "b": [
        ("211万个", 2110000, "封堵涉诈域名网址", "个"),
        ("4067万条", 40670000, "推送预警指令", "条"),
    ],
}


def record(folder: Path, doc: str) -> DocumentRecord:
    text = TEXTS[doc]
    path = folder / f"{doc}.txt"
    path.write_text(text, encoding="utf-8")
    stats = []
    for surface, value, metric, unit in FIGURES[doc]:
        start = text.index(surface)
        stats.append(
            Statistic(
                metric=metric,
                value=value,
                unit=unit,
                surface=surface,
                evidence=text,
                start=start,
                end=start + len(surface),
                region="全国",
            )  # fmt: skip
        )
    return DocumentRecord(
        doc_id=doc, source=str(path), model="regex", strategy="guided", stats=stats,
        published="2022-04-14" if doc == "a" else "2022-05-11",
    )  # fmt: skip


@pytest.fixture
def runs(tmp_path: Path) -> list[Path]:
    paths = []
    for doc in TEXTS:
        path = tmp_path / f"run_{doc}.jsonl"
        path.write_text(record(tmp_path, doc).model_dump_json() + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_writes_the_table_and_prints_counts(
    runs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "facts.jsonl"
    assert main(["facts", *map(str, runs), "-o", str(out)]) == 0
    facts = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(facts) == 3
    top = facts[0]
    assert top["status"] == "rounded" and top["n_sources"] == 2 and top["value"] == 2106000
    assert [(s["doc_id"], s["surface"], s["published"]) for s in top["sources"]] == [
        ("a", "210.6万个", "2022-04-14"),
        ("b", "211万个", "2022-05-11"),
    ]
    assert TEXTS["a"][top["sources"][0]["start"] : top["sources"][0]["end"]] == "210.6万个"
    said = capsys.readouterr().out
    assert "4 statistics from 2 documents → 3 facts, 1 with several sources" in said
    assert "0 conflict, 1 rounded, 0 agree" in said


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_tables(runs: list[Path], tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"facts{suffix}"
    assert main(["facts", *map(str, runs), "-o", str(out)]) == 0
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows[0]["status"] == "rounded" and rows[0]["n_sources"] == "2"
        sources = json.loads(rows[0]["sources"])
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
        assert rows[0]["n_sources"] == 2 and rows[0]["value"] == 2106000
        sources = json.loads(rows[0]["sources"])
    assert [s["doc_id"] for s in sources] == ["a", "b"] and len(rows) == 3


def test_review_page_escapes_the_text_and_links_both_ways(runs: list[Path], tmp_path: Path) -> None:
    page = tmp_path / "review" / "facts.html"
    page.parent.mkdir()
    assert main(["facts", *map(str, runs), "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.index("rounded") < html.index("single")  # several sources first
    assert '<mark class="f-rounded">210.6万个</mark>' in html
    assert "&lt;b&gt;一年来&lt;/b&gt;" in html and "<b>一年来</b>" not in html
    assert 'href="facts_docs/a.html#s' in html
    article = (page.parent / "facts_docs" / "a.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;" in article and 'href="../facts.html#f' in article
    assert article.count("<mark") == 2


def test_pair_scores_against_a_facts_gold(
    runs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = TEXTS["a"].index("210.6万个"), TEXTS["b"].index("211万个")
    c = TEXTS["a"].index("19.5亿次")
    gold = tmp_path / "facts_gold.jsonl"

    def group(*spans: tuple[str, int, int]) -> dict:
        return {"statements": [{"doc_id": d, "start": s, "end": e} for d, s, e in spans]}

    lines = [group(("a", a, a + 7), ("b", b, b + 5)), group(("a", c, c + 6), ("b", 0, 2))]
    gold.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert main(["facts", *map(str, runs), "--gold-facts", str(gold)]) == 0
    said = capsys.readouterr().out
    assert "precision 1.000 (1/1), recall 0.500 (1/2)" in said


def test_a_bad_line_is_told_and_the_other_documents_kept(
    runs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with runs[1].open("a", encoding="utf-8") as handle:
        handle.write('{"doc_id": "broken"\n')
    out = tmp_path / "facts.jsonl"
    assert main(["facts", *map(str, runs), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{runs[1]}:2: not a run record" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_a_document_in_two_runs_is_used_once(
    runs: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["facts", str(runs[0]), str(runs[0]), str(runs[1])]) == 0
    captured = capsys.readouterr()
    assert "document a is already in an earlier input; left out" in captured.err
    assert "4 statistics from 2 documents" in captured.out


def test_a_missing_input_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["facts", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl: no such file or folder" in capsys.readouterr().err
