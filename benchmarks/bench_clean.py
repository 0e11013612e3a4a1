"""Cleaning throughput: the seeds, the development articles and an HTML page with scripts,
repeated to about 10 MB and cleaned as one HTML document; prints MB/s (goal: 5 MB/s or more).

    python benchmarks/bench_clean.py [megabytes]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from llm_extract.paths import shared_dir
from llm_extract.steps.clean import clean

PAGE = Path(__file__).parents[1] / "tests" / "data" / "scripts_page.html"


def corpus_unit() -> str:
    """The cleaned bodies of every shared article and the body of a page with scripts."""
    shared = shared_dir()
    paths = sorted(shared.glob("seeds/*.txt")) + sorted(shared.glob("articles/d*.txt"))
    if not paths:
        raise SystemExit(f"shared corpus not found at {shared}")
    bodies = [clean(p.read_text(encoding="utf-8"), "txt").text for p in paths]
    page = PAGE.read_text(encoding="utf-8")
    return "\n\n".join(bodies) + "\n\n" + page.split("<body>")[1].split("<aside>")[0]


def main() -> int:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    unit = corpus_unit()
    text = "\n\n".join([unit] * (int(megabytes * 1e6) // len(unit.encode()) + 1))
    size = len(text.encode()) / 1e6
    for run in range(3):
        began = time.perf_counter()
        cleaned = clean(text, "html")
        seconds = time.perf_counter() - began
        print(
            f"run {run + 1}: {size:.1f} MB in {seconds:.2f} s = {size / seconds:.1f} MB/s, "
            f"{len(cleaned.text.encode()) / 1e6:.1f} MB kept",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
