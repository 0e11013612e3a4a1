"""Dependencies point one way (import-linter contracts in pyproject.toml), and only the command
front ends print."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")
# The processes' own front ends: the CLI (every command, eval and compare included) and
# the engine child's main (a program of its own, whose stdout its supervisor reads).
MAY_PRINT = {"cli", "providers/embedded/engine.py"}


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "6 kept" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "reported"),
    [
        ("providers/cache.py", "from ..pipeline import run_documents", "pipeline"),
        ("steps/merge.py", "from ..strategies import RegexStrategy", "strategies"),
        ("core/secrets.py", "from ..steps.numbers import find_numbers", "steps"),
        ("lang/textnorm.py", "from ..steps.chunk import Chunk", "steps"),
        ("facts/group.py", "from ..providers.cache import ResponseCache", "providers"),
    ],
)  # fmt: skip
def test_an_import_against_the_layers_breaks_the_contracts(
    tmp_path: Path, module: str, planted: str, reported: str
) -> None:
    shutil.copytree(REPO / "llm_extract", tmp_path / "llm_extract")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "llm_extract" / module
    path.write_text(path.read_text() + f"\n{planted}\n")
    result = _lint(tmp_path)
    assert result.returncode == 1
    importer = "llm_extract." + module.removesuffix(".py").replace("/", ".")
    assert f"{importer} -> llm_extract.{reported}" in result.stdout


def _printers(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]  # fmt: skip


def test_only_the_command_front_ends_print() -> None:
    package = REPO / "llm_extract"
    found = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel.split("/")[0] in MAY_PRINT or rel in MAY_PRINT:
            continue
        if lines := _printers(path):
            found[rel] = lines
    assert found == {}
    assert _printers(package / "cli" / "__init__.py")  # the check sees prints where they are
