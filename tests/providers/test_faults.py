"""Fault injection: 100 documents against a server that fails 30 % of calls (seeded): nothing is
lost without a trace, nothing invented is written, and only valid answers are cached."""

from __future__ import annotations

from pathlib import Path

import pytest
from fault_server import FAULTS, FaultServer
from runs import corpus

from llm_extract.config import RunOptions
from llm_extract.pipeline import run_documents


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
