"""The facts gold (`evals/facts.jsonl`) names gold statistics, verbatim, of several documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm_extract.facts.score import load_fact_gold

ROOT = Path(__file__).parents[2]


def test_every_gold_fact_names_gold_statistics_of_different_documents() -> None:
    stats = {}
    for path in (ROOT / "evals" / "gold").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                s = json.loads(line)
                stats[(path.stem, s["start"], s["end"])] = s["surface"]
    lines = (ROOT / "evals" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    groups = load_fact_gold(ROOT / "evals" / "facts.jsonl")
    assert len(groups) == len(lines) >= 20
    seen: set = set()
    for line, group in zip(lines, groups, strict=True):
        surfaces = {
            (s["doc_id"], s["start"], s["end"]): s["surface"]
            for s in json.loads(line)["statements"]
        }
        for key, surface in surfaces.items():
            assert stats.get(key) == surface, key
        assert len({doc for doc, _, _ in group}) == len(group)  # one statement per document
        assert not seen & group  # a statement is in one fact at most
        seen |= group


def test_a_malformed_gold_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "facts.jsonl"
    path.write_text('{"statements": [{"doc_id": "a", "start": 1, "end": 3}]}\n{"x": 1}\n')
    with pytest.raises(ValueError, match=r"facts.jsonl:1: a gold fact needs two statements"):
        load_fact_gold(path)
    path.write_text('{"x": 1}\n')
    with pytest.raises(ValueError, match=r"facts.jsonl:1: not a facts gold line"):
        load_fact_gold(path)
