"""Consistency checks for the hand-labelled gold set in evals/gold/*.jsonl.

Each gold file is `<doc_id>.jsonl`; its source text is `../shared/seeds/<doc_id>.txt` or
`../shared/articles/<doc_id>.txt` (relative to the repo root), decoded as UTF-8. The probe sets'
gold (`evals/probe/<set>/gold/`) is checked the same way against their own `texts/`.
See evals/GUIDE.md for the labelling rules.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from llm_extract.paths import shared_dir
from llm_extract.records import GOLD_FIELDS

REPO = Path(__file__).resolve().parents[2]
GOLD_DIR = REPO / "evals" / "gold"
SHARED = shared_dir()
SEEDS_DIR = SHARED / "seeds"
ARTICLES_DIR = SHARED / "articles"
PROBE_DIR = REPO / "evals" / "probe"

MIN_TOTAL = 250
KINDS = {"count", "money", "percent", "change"}
KEYS = list(GOLD_FIELDS)


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# key -> (predicate, description)
TYPES = {
    "metric": (lambda x: isinstance(x, str) and x.strip() != "", "non-empty str"),
    "value": (_is_number, "number"),
    "value_max": (lambda x: x is None or _is_number(x), "number or null"),
    "unit": (lambda x: isinstance(x, str), "str"),
    "kind": (lambda x: isinstance(x, str), "str"),
    "period": (lambda x: x is None or isinstance(x, str), "str or null"),
    "region": (lambda x: x is None or isinstance(x, str), "str or null"),
    "agency": (lambda x: x is None or isinstance(x, str), "str or null"),
    "approx": (lambda x: isinstance(x, bool), "bool"),
    "surface": (lambda x: isinstance(x, str) and x != "", "non-empty str"),
    "evidence": (lambda x: isinstance(x, str) and x != "", "non-empty str"),
    "start": (_is_int, "int"),
    "end": (_is_int, "int"),
}
assert list(TYPES) == KEYS


def _gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.jsonl")) + sorted(PROBE_DIR.glob("*/gold/*.jsonl"))


def _source_path(doc_id: str) -> Path | None:
    for d in (SEEDS_DIR, ARTICLES_DIR, *PROBE_DIR.glob("*/texts")):
        p = d / f"{doc_id}.txt"
        if p.is_file():
            return p
    return None


@cache
def _text(doc_id: str) -> str:
    p = _source_path(doc_id)
    assert p is not None, f"no source text for {doc_id} in {SEEDS_DIR} or {ARTICLES_DIR}"
    return p.read_text(encoding="utf-8")


@cache
def _records(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{n}: blank line"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            pytest.fail(f"{path.name}:{n}: not valid JSON: {e}")
        assert isinstance(rec, dict), f"{path.name}:{n}: not a JSON object"
        out.append(rec)
    return out


def _occurrences(text: str, sub: str) -> list[int]:
    found, i = [], text.find(sub)
    while i != -1:
        found.append(i)
        i = text.find(sub, i + 1)
    return found


GOLD = _gold_files()
IDS = [p.stem for p in GOLD]


def test_gold_dir_exists():
    assert GOLD_DIR.is_dir(), f"missing {GOLD_DIR}"


def _report(path: Path, errors: list[str]) -> str:
    return f"{path.name}: {len(errors)} problem(s):\n  " + "\n  ".join(errors)


def _well_formed(rec: dict) -> bool:
    return all(k in rec and TYPES[k][0](rec[k]) for k in KEYS)


@pytest.mark.parametrize("path", GOLD, ids=IDS)
def test_lines_parse_and_have_typed_fields(path: Path):
    errors = []
    for n, rec in enumerate(_records(path), 1):
        missing = [k for k in KEYS if k not in rec]
        if missing:
            errors.append(f"line {n}: missing keys {missing}")
        for key, (ok, desc) in TYPES.items():
            if key in rec and not ok(rec[key]):
                errors.append(f"line {n}: {key}={rec[key]!r} is not {desc}")
        if rec.get("kind") not in KINDS:
            errors.append(f"line {n}: kind {rec.get('kind')!r} not in {sorted(KINDS)}")
    assert not errors, _report(path, errors)


@pytest.mark.parametrize("path", GOLD, ids=IDS)
def test_source_text_exists(path: Path):
    assert _source_path(path.stem) is not None, (
        f"{path.name}: no source {path.stem}.txt in {SEEDS_DIR} or {ARTICLES_DIR}"
    )


@pytest.mark.parametrize("path", GOLD, ids=IDS)
def test_spans_match_surface(path: Path):
    text = _text(path.stem)
    errors = []
    for n, rec in enumerate(_records(path), 1):
        if not _well_formed(rec):
            errors.append(f"line {n}: malformed record (see the field test)")
            continue
        s, e = rec["start"], rec["end"]
        if not 0 <= s < e <= len(text):
            errors.append(f"line {n}: span {s}:{e} out of range 0:{len(text)}")
        elif text[s:e] != rec["surface"]:
            errors.append(f"line {n}: text[{s}:{e}]={text[s:e]!r} != surface {rec['surface']!r}")
    assert not errors, _report(path, errors)


@pytest.mark.parametrize("path", GOLD, ids=IDS)
def test_evidence_is_verbatim_and_covers_span(path: Path):
    text = _text(path.stem)
    errors = []
    for n, rec in enumerate(_records(path), 1):
        if not _well_formed(rec):
            errors.append(f"line {n}: malformed record (see the field test)")
            continue
        ev, s, e = rec["evidence"], rec["start"], rec["end"]
        if rec["surface"] not in ev:
            errors.append(f"line {n}: surface {rec['surface']!r} not in evidence {ev!r}")
            continue
        occ = _occurrences(text, ev)
        if not occ:
            errors.append(f"line {n}: evidence not found verbatim in text: {ev!r}")
        elif not any(o <= s and e <= o + len(ev) for o in occ):
            errors.append(f"line {n}: no occurrence of the evidence (at {occ}) covers span {s}:{e}")
    assert not errors, _report(path, errors)


@pytest.mark.parametrize("path", GOLD, ids=IDS)
def test_sorted_and_no_duplicate_spans(path: Path):
    recs = [(n, r) for n, r in enumerate(_records(path), 1) if _well_formed(r)]
    errors = []
    for (_, prev), (n, rec) in zip(recs, recs[1:], strict=False):
        if rec["start"] < prev["start"]:
            errors.append(f"line {n}: not sorted by start ({rec['start']} < {prev['start']})")
            break
    spans = [(r["start"], r["end"]) for _, r in recs]
    dups = sorted({sp for sp in spans if spans.count(sp) > 1})
    if dups:
        errors.append(f"duplicate spans {dups}")
    assert not errors, _report(path, errors)


def _missing(src_dir: Path) -> list[str]:
    have = {p.stem for p in GOLD}
    return sorted(p.stem for p in src_dir.glob("*.txt") if p.stem not in have)


def test_gold_for_every_seed():
    assert SEEDS_DIR.is_dir(), f"missing {SEEDS_DIR}"
    missing = _missing(SEEDS_DIR)
    assert not missing, f"no gold file for seeds: {missing}"


def test_gold_for_every_article():
    # Expected to fail until every article in ../shared/articles has been labelled.
    assert ARTICLES_DIR.is_dir(), f"missing {ARTICLES_DIR}"
    missing = _missing(ARTICLES_DIR)
    assert not missing, (
        f"gold set incomplete: no evals/gold/<doc_id>.jsonl yet for {len(missing)} "
        f"article(s) in {ARTICLES_DIR}: {missing}"
    )


def test_total_count():
    # Expected to fail until the article gold files are in.
    total = sum(len(_records(p)) for p in GOLD)
    assert total >= MIN_TOTAL, (
        f"gold set too small: {total} statistics in {len(GOLD)} files, need >= {MIN_TOTAL}"
    )


def test_every_probe_text_has_gold() -> None:
    for texts in PROBE_DIR.glob("*/texts"):
        have = {p.stem for p in (texts.parent / "gold").glob("*.jsonl")}
        missing = sorted(p.stem for p in texts.glob("*.txt") if p.stem not in have)
        assert not missing, f"{texts.parent.name}: no gold for {missing}"
