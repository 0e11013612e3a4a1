"""Period wording to ISO dates against the gold `period_start`/`period_end`.

For every gold statistic with a period, the reference day is found in the article text
(`find_published`, then `find_stated` for the day the figures were stated), the period is
resolved (pointing words against the period resolved before in the same document) and the
(start, end) pair is compared with the gold one. Figures are given per split; with
`--errors`, the mismatches of `tune` documents are listed (never those of `validation`);
`--tune` scores the `tune` documents only (while tuning rules).
A second score uses each page's date from `evals/published.csv` (SOURCES.md's).

    python benchmarks/period_dates.py [--errors] [--tune]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from llm_extract.evaluate.split import split_of
from llm_extract.lang.zh.calendar import resolve_period, steps_back
from llm_extract.lang.zh.dateline import find_published, find_stated
from llm_extract.paths import shared_dir
from llm_extract.steps.ingest import published_dates

GOLD = Path(__file__).resolve().parents[1] / "evals" / "gold"


def sources_dates(path: Path) -> dict[str, date]:
    """doc_id -> the publication date of `evals/published.csv` (SOURCES.md's page dates)."""
    return {k: date.fromisoformat(v) for k, v in published_dates(path).items()}


def article(doc_id: str) -> str | None:
    for folder in ("articles", "seeds"):
        path = shared_dir() / folder / f"{doc_id}.txt"
        if path.exists():
            return path.read_text(encoding="utf-8")
    return None


def score(records: list[dict], reference: date | None) -> tuple[int, list[tuple]]:
    """(exact matches, mismatches) of the records with a period, in document order."""
    hits, misses, anchor = 0, [], None
    for rec in records:
        if rec["period"] is None:
            continue
        got = resolve_period(rec["period"], reference, anchor)
        gold = (rec["period_start"], rec["period_end"])
        if got == gold:
            hits += 1
        else:
            misses.append((rec["period"], got, gold))
        if got[1] is not None and not steps_back(rec["period"]):
            anchor = got
    return hits, misses


def main() -> int:
    show, tune_only = "--errors" in sys.argv[1:], "--tune" in sys.argv[1:]
    known = sources_dates(GOLD.parent / "published.csv")
    total: Counter[str] = Counter()
    for path in sorted(GOLD.glob("*.jsonl")):
        doc_id, split = path.stem, split_of(path.stem)
        text = article(doc_id)
        if text is None or (tune_only and split != "tune"):
            continue
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        published = find_published(text)
        true = known.get(doc_id)
        hits, misses = score(records, find_stated(text, published))
        true_hits, true_misses = score(records, find_stated(text, true)) if true else (0, [])
        n = sum(rec["period"] is not None for rec in records)
        total.update({
            f"{split} docs": 1, f"{split} found": published is not None,
            f"{split} known": true is not None,
            f"{split} agree": published is not None and published == true,
            f"{split} n": n, f"{split} hits": hits,
            f"{split} true n": n if true else 0, f"{split} true hits": true_hits,
        })  # fmt: skip
        agree = "" if true is None else ("  agrees" if published == true else f"  SOURCES {true}")
        print(f"{split:10s} {doc_id:45s} published {published}{agree}")
        if show and split == "tune":  # validation errors are never shown
            for label, found in (("found", misses), ("SOURCES", true_misses)):
                for (period, got, gold), count in Counter(found).items():
                    print(f"    {label:7s} {count:2d}x {period!r:24s} got {got} gold {gold}")
    print()
    for split in ("tune",) if tune_only else ("tune", "validation"):
        t = {k.split(" ", 1)[1]: v for k, v in total.items() if k.startswith(split + " ")}
        print(
            f"{split:10s} documents {t['docs']}, published date found {t['found']} "
            f"(SOURCES full date for {t['known']}, agreeing {t['agree']}); "
            f"periods exact {t['hits']}/{t['n']} = {t['hits'] / max(t['n'], 1):.1%}; "
            f"with the SOURCES date {t['true hits']}/{t['true n']} "
            f"= {t['true hits'] / max(t['true n'], 1):.1%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
