"""Linear time on pathological single-line inputs: the regex path (clean, numbers, context,
records) over 10 KB - 1 MB of one repeated pattern; seconds must grow 10x per 10x, not 100x.

    python benchmarks/bench_linear.py [10000,100000,1000000]
"""

from __future__ import annotations

import sys
import time

from llm_extract.config import RunOptions
from llm_extract.pipeline import process_document
from llm_extract.steps.ingest import Document

PATTERNS = {
    "digits": lambda n: "1" * n,
    "digit-commas": lambda n: "1," * (n // 2),
    "digit-dots": lambda n: "1." * (n // 2),
    "zh-numerals": lambda n: "一" * n,
    "han": lambda n: "案" * n,
    "spaces-digits": lambda n: "1 " * (n // 2),
    "spaces-digits-word": lambda n: "1 " * (n // 2 - 1) + "案",  # almost a table row
    "spaced-thousands": lambda n: "100 " * (n // 4),  # almost a figure grouped by spaces
    "percents": lambda n: "1%" * (n // 2),
    "article-line": lambda n: "全国破获案件39.4万起，同比上升28.5%，" * (n // 20),
    "unpunctuated": lambda n: "公安机关会同工信部破获案件39万起 抓获嫌疑人63万名 " * (n // 28),
    "events-since": lambda n: "今年专项行动开展以来破获案件3起，" * (n // 16),
}


def main() -> int:
    sizes = [
        int(x) for x in (sys.argv[1] if len(sys.argv) > 1 else "10000,100000,1000000").split(",")
    ]
    options = RunOptions(model="regex", doc_timeout=3600)
    for name, make in PATTERNS.items():
        cells = []
        for size in sizes:
            doc = Document("x", "x", make(size), "txt")
            began = time.perf_counter()
            process_document(doc, None, options)
            cells.append(f"{size // 1000:>5} KB {time.perf_counter() - began:6.2f} s")
        print(f"{name:14s}", " | ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
