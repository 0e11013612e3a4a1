"""The engine child stops by itself when its supervisor is gone, however the supervisor went."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

CHILD = (
    "import os, threading; from llm_extract.providers.embedded import engine;"
    "engine.ORPHAN_POLL = 0.1; stop = threading.Event();"
    "threading.Thread(target=engine._orphaned, args=(os.getppid(), stop), daemon=True).start();"
    "print('stopped' if stop.wait(60) else 'still running', flush=True)"
)


def _parent(out: Path) -> subprocess.Popen:
    """A stand-in supervisor that starts the child from a worker thread and then waits."""
    code = (
        "import subprocess, sys, threading, time;"
        f"child = lambda: print(subprocess.Popen([sys.executable, '-c', {CHILD!r}],"
        f" stdout=open({str(out)!r}, 'w')).pid, flush=True);"
        "threading.Thread(target=child).start(); time.sleep(60)"
    )
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def test_a_killed_supervisor_leaves_no_engine_behind(tmp_path: Path) -> None:
    out = tmp_path / "child.out"
    parent = _parent(out)
    assert int(parent.stdout.readline()) > 0  # the child started
    time.sleep(0.5)
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "stopped" not in out.read_text():
        time.sleep(0.1)
    assert out.read_text().strip() == "stopped"
