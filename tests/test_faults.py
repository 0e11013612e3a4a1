"""Fault injection: 100 documents against a server that fails 30 % of calls (seeded): nothing is
lost without a trace, nothing invented is written, and only valid answers are cached."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fault_server import FAULTS, FaultServer

from llm_extract.config import RunOptions
from llm_extract.pipeline import run_documents

SENTENCES = (
    "今年1至8月，全省破获电信网络诈骗案件{a}起，同比上升{p}%。",
    "抓获犯罪嫌疑人{b}名，紧急止付涉案资金{c}亿元。",
    "全市城镇新增就业{d}万人，调查失业率为{q}%，比上年下降{r}个百分点。",
    "社会消费品零售总额{e}亿元，同比增长{p}%。",
)


def corpus(folder: Path, n: int = 100, seed: int = 3) -> list[str]:
    """`n` small articles of 2-4 sentences with random figures."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        figures = {
            "a": rng.randint(100, 99999),
            "b": rng.randint(10, 9999),
            "c": round(rng.uniform(1, 900), 1),
            "d": round(rng.uniform(1, 90), 2),
            "e": rng.randint(1000, 50000),
            "p": round(rng.uniform(0.1, 40), 1),
            "q": round(rng.uniform(3, 6), 1),
            "r": round(rng.uniform(0.1, 1), 1),
        }
        text = "".join(s.format(**figures) for s in rng.sample(SENTENCES, rng.randint(2, 4)))
        path = folder / f"doc{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def options(server: FaultServer, cache: Path, strategy: str) -> RunOptions:
    return RunOptions(
        model="fake-model",
        base_url=server.base_url,
        api_key="test",
        strategy=strategy,
        chunk_chars=80,  # 2-3 chunks per article
        cache_dir=cache,
        timeout=1.5,  # the injected delay (3 s) is past it
        concurrency=4,
    )


def run(inputs: list[str], server: FaultServer, cache: Path, strategy: str) -> list[dict]:
    opts = options(server, cache, strategy)
    return [r.model_dump(mode="json") for r in run_documents(inputs, opts)]


@pytest.mark.parametrize("strategy", ["free", "guided"])
def test_thirty_percent_faults_lose_nothing_silently(tmp_path: Path, strategy: str) -> None:
    inputs = corpus(tmp_path / "articles")
    with FaultServer(rate=0.0) as healthy:
        clean = run(inputs, healthy, tmp_path / "cache-clean", strategy)
    assert all(r["status"] == "ok" for r in clean)
    with FaultServer(rate=0.3, seed=11) as server:
        faulty = run(inputs, server, tmp_path / "cache", strategy)
        assert all(server.counts[f] > 0 for f in FAULTS), server.counts
        # every document once, in input order
        assert [r["doc_id"] for r in faulty] == [r["doc_id"] for r in clean]
        for got, want in zip(faulty, clean, strict=True):
            text = Path(got["source"]).read_text(encoding="utf-8")
            for stat in got["stats"]:
                assert text[stat["start"] : stat["end"]] == stat["surface"]
                assert stat["value"] != 99900000000  # the invented number never lands
            if got["status"] == "ok":
                assert got["stats"] == want["stats"]  # nothing lost silently
                assert not got["checks"]["failed_chunks"]
            else:
                assert got["status"] in ("partial", "failed") and got["error"]
                assert got["checks"]["failed_chunks"] and got["checks"]["chunk_errors"]
        assert sum(r["usage"]["retries"] for r in faulty) > 0
        assert sum(r["usage"]["reasks"] for r in faulty) > 0
        lost_chunks = sum(r["checks"]["failed_chunks"] for r in faulty)

        # only valid answers were cached: against a healthy server, a rerun asks again exactly
        # the chunks that never validated, and then matches the fault-free run
        server.rate = 0.0
        again = run(inputs, server, tmp_path / "cache", strategy)
    assert [r["stats"] for r in again] == [r["stats"] for r in clean]
    assert sum(r["usage"]["calls"] for r in again) == lost_chunks
