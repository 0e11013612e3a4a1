"""Why the engine failed: the error type, the tail of its log and the explanation of a crash."""

from __future__ import annotations

import signal
from pathlib import Path

from ...core.protocols import BackendUnavailable
from .engine import INSTALL_HINT


class LlamaServerError(BackendUnavailable):
    """The local model server could not be started or died."""


def tail_of(log_path: Path, offset: int = 0, lines: int = 25) -> str:
    """The last ``lines`` lines of ``log_path`` written after byte ``offset``."""
    try:
        with open(log_path, "rb") as fh:
            fh.seek(offset)
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def failure_message(code: int | None, when: str, problem: str, tail: str, log_path: Path) -> str:
    """Why the engine could not start (`when`: while loading, on its first chat request), the
    likely cause and the fix."""
    if code is not None and code < 0:
        died = f"the engine died with signal {signal.Signals(-code).name}"
    elif code is not None:
        died = f"the engine exited with code {code}"
    else:
        died = f"the engine did not answer ({problem})"
    cause = (
        "Likely cause: a llama.cpp build that uses CPU instructions this machine cannot run "
        "(e.g. a native build using AMX or AVX-512), or a corrupt model file. Fix: reinstall "
        f"the prebuilt engine ({INSTALL_HINT}, which uses xllamacpp's portable AVX2 build), or "
        "point --model-path at another GGUF file."
    )
    return f"embedded engine failed: {died} {when}.\n{cause}\nLast lines of {log_path}:\n{tail}"
