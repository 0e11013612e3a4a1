"""What a report needs to be reproduced: config, prompt/schema versions, libraries, commit."""

from __future__ import annotations

import platform
import re
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

LIBRARIES = (
    "llm-extract",
    "openai",
    "instructor",
    "pydantic",
    "scipy",
    "numpy",
    "matplotlib",
    "opencc",
    "llama-cpp-python",
)


def library_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def git_commit(root: Path) -> dict[str, Any] | None:
    """HEAD commit and whether the work tree has changes; None outside a git checkout."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=20
        ).stdout.strip()

    try:
        return {
            "commit": git("rev-parse", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        }
    except (OSError, subprocess.SubprocessError):
        return None


SECRET = re.compile(r"key|token|secret|password", re.I)


def redact(value: Any) -> Any:
    """The config with anything that looks like a credential replaced by '***'."""
    if isinstance(value, dict):
        return {k: "***" if SECRET.search(k) else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def provenance(config: dict[str, Any], root: Path, views: list[Any]) -> dict[str, Any]:
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": redact(config),
        "runs": {v.name: {"options": v.options, "run_info": v.run_info} for v in views},
        "libraries": library_versions(),
        "python": platform.python_version(),
        "git": git_commit(root),
    }
