"""The 100-document fault run: a loopback server fails 30 % of calls (seeded; 429, 500, 503,
reset, delay past the timeout, truncated body, wrong schema, invented number), for `free`
and `guided`, against the same documents without faults.

    python benchmarks/bench_faults.py [--rate 0.3] [--seed 11] [--docs 100]

Prints per strategy: documents ok/partial/failed, calls, retries, re-asks, wall seconds, and
the statistics lost against the fault-free run, split into those of chunks recorded as failed
(visible in their document's record) and the rest (lost silently; the goal is 0).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from fault_server import FaultServer  # noqa: E402
from test_faults import corpus, run  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rate", type=float, default=0.3)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--docs", type=int, default=100)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = corpus(root / "articles", n=args.docs)
        for strategy in ("free", "guided"):
            with FaultServer(rate=0.0) as healthy:
                clean = run(inputs, healthy, root / f"clean-{strategy}", strategy)
            with FaultServer(rate=args.rate, seed=args.seed) as server:
                began = time.perf_counter()
                faulty = run(inputs, server, root / f"faulty-{strategy}", strategy)
                wall = time.perf_counter() - began
            status = Counter(r["status"] for r in faulty)
            visible = silent = 0
            for got, want in zip(faulty, clean, strict=True):
                lost = len({s["start"] for s in want["stats"]} - {s["start"] for s in got["stats"]})
                if got["checks"]["failed_chunks"]:
                    visible += lost
                else:
                    silent += lost
            row = {
                "strategy": strategy,
                "docs": dict(status),
                "calls": sum(r["usage"]["calls"] for r in faulty),
                "retries": sum(r["usage"]["retries"] for r in faulty),
                "reasks": sum(r["usage"]["reasks"] for r in faulty),
                "failed_chunks": sum(r["checks"]["failed_chunks"] for r in faulty),
                "wall_s": round(wall, 1),
                "stats_fault_free": sum(len(r["stats"]) for r in clean),
                "lost_visible": visible,
                "lost_silently": silent,
                "faults_injected": dict(server.counts),
            }
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
