"""Shared by the tests that run documents through the CLI: a random corpus, a model answer,
and the CLI started as a child process."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

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


ANSWER = {"stats": [{"value_text": "1.2万起", "metric": "查处案件"}]}


def cli(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "llm_extract.cli", "run", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kw,
    )


def llm_args(server_url: str, out: Path, cache: Path) -> list[str]:
    return ["-o", str(out), "--model", "fake-model", "--base-url", server_url]  + [
        "--strategy", "free", "--cache-dir", str(cache), "-q", "--concurrency", "1",
    ]  # fmt: skip
