"""The tool as people install it: a built wheel in a fresh venv, run from outside the checkout,
finds its default domain (schema + prompt ship in the wheel) and a custom domain given by path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI, Reply, tool_reply

REPO = Path(__file__).resolve().parents[1]
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # only the venv's own
ARTICLE = "一年来，全国共破获电信网络诈骗案件39.4万起，抓获犯罪嫌疑人63.4万名。\n"
CUSTOM_SCHEMA = """
from llm_extract.domains.base import StatisticItem


class Item(StatisticItem):
    metric: str
    product: str | None = None
"""
CUSTOM_PROMPT = """
name = "sales"
version = 1
[free]
system = "Extract every figure."
user = "{text}"
[guided]
system = "Label the marked numbers."
user = "{marked} {candidates}"
"""


def _answer(request: dict) -> Reply:
    return tool_reply({"stats": [{"value_text": "39.4万起", "metric": "破获电信网络诈骗案件"}]})


def _python(venv: Path, cwd: Path, code: str) -> str:
    """What `code` prints in the venv's own Python (no PYTHONPATH), run in `cwd`."""
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        cwd=cwd,
        env=CLEAN_ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel built from this checkout (dependencies borrowed from the
    test venv through a .pth line, which does not activate its editable install)."""
    root = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(root)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = root.glob("llm_extract-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps"]
    subprocess.run([*pip, str(wheel)], check=True, timeout=300, env=CLEAN_ENV, cwd=root)
    site = _python(venv, root, "import sysconfig; print(sysconfig.get_path('purelib'))")
    Path(site, "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def _run(venv: Path, cwd: Path, server: FakeOpenAI, *extra: str) -> dict:
    article = cwd / "a1.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = cwd / "out.jsonl"
    env = {**CLEAN_ENV, "OPENAI_API_KEY": "test", "XDG_CACHE_HOME": str(cwd / "cache")}
    done = subprocess.run(
        [str(venv / "bin" / "llm-extract"), "run", "a1.txt", "-o", str(out)]
        + ["--model", "fake-model", "--base-url", server.base_url, "--strategy", "free", "-q"]
        + list(extra),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return record


def test_the_wheel_is_what_runs(installed: Path, tmp_path: Path) -> None:
    where = _python(installed, tmp_path, "import llm_extract; print(llm_extract.__file__)")
    assert str(installed) in where and str(REPO) not in where


def test_the_default_domain_ships_in_the_wheel(
    installed: Path, tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.responder = _answer
    record = _run(installed, tmp_path, fake_openai)
    assert record["status"] == "ok", record["error"]
    assert record["run"]["schema_name"] == "statistics"
    assert [s["value"] for s in record["stats"]] == [394000]
    assert fake_openai.calls == 1


def test_a_custom_schema_by_path_finds_its_prompt_beside_it(
    installed: Path, tmp_path: Path, fake_openai: FakeOpenAI
) -> None:
    fake_openai.responder = _answer
    domain = tmp_path / "mine"
    domain.mkdir()
    (domain / "sales.py").write_text(textwrap.dedent(CUSTOM_SCHEMA), encoding="utf-8")
    (domain / "sales.toml").write_text(CUSTOM_PROMPT, encoding="utf-8")
    record = _run(installed, tmp_path, fake_openai, "--schema", str(domain / "sales.py"))
    assert record["status"] == "ok", record["error"]
    assert record["run"]["schema_name"] == "sales" and record["run"]["prompt"] == "sales@v1"
    system = fake_openai.requests[-1].body["messages"][0]["content"]
    assert system.startswith("Extract every figure.")
