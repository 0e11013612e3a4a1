"""The engine's process: loopback ports, the launch in its own process group (with a
parent-death signal on Linux), stopping the whole group, and the registry that stops every
server at interpreter exit and on SIGTERM/SIGINT."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, Protocol

HOST = "127.0.0.1"
LOG_ROTATE_BYTES = 10 * 1024 * 1024


class Stoppable(Protocol):
    """What the registry needs of a server: a ``stop()`` that is safe to call repeatedly."""

    def stop(self) -> None: ...


def free_port(host: str = HOST) -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_free(port: int, host: str = HOST) -> bool:
    """True if nothing listens on ``host:port`` (so our server will not be shadowed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def cpu_threads() -> int:
    return max(1, os.cpu_count() or 1)


# --- process registry: atexit + signal handlers ------------------------------------------------

_live: set[Stoppable] = set()
_registry_lock = threading.RLock()
_previous_handlers: dict[int, Any] = {}
_atexit_registered = False
_HANDLED_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def stop_all() -> None:
    """Stop every server this process started (atexit hook; safe to call repeatedly)."""
    with _registry_lock:
        servers = list(_live)
    for server in servers:
        with contextlib.suppress(Exception):
            server.stop()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    stop_all()
    previous = _previous_handlers.get(signum, signal.SIG_DFL)
    _restore_handlers()
    if callable(previous):
        previous(signum, frame)  # e.g. default_int_handler raises KeyboardInterrupt
        return
    if previous == signal.SIG_IGN:
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    # SIGTERM with the default disposition: leave like the default would, but through
    # SystemExit so finally blocks and atexit hooks of the rest of the program still run.
    raise SystemExit(128 + signum)


def _install_handlers() -> None:
    global _atexit_registered
    if not _atexit_registered:
        atexit.register(stop_all)
        _atexit_registered = True
    if threading.current_thread() is not threading.main_thread():
        return  # signal.signal only works in the main thread; atexit still covers us
    for sig in _HANDLED_SIGNALS:
        current = signal.getsignal(sig)
        if current is _on_signal:
            continue
        if current == signal.SIG_IGN:
            continue  # the program chose to ignore it (e.g. nohup): keep that
        _previous_handlers[sig] = current
        signal.signal(sig, _on_signal)


def _restore_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for sig, previous in list(_previous_handlers.items()):
        if signal.getsignal(sig) is _on_signal:  # don't clobber a handler installed after ours
            signal.signal(sig, previous if previous is not None else signal.SIG_DFL)
        _previous_handlers.pop(sig, None)


def register(server: Stoppable) -> None:
    with _registry_lock:
        _live.add(server)
        _install_handlers()


def unregister(server: Stoppable) -> None:
    with _registry_lock:
        _live.discard(server)
        if not _live:
            _restore_handlers()


# --- launching and stopping a process group ----------------------------------------------------


def _parent_death_hook() -> Callable[[], None] | None:
    """A preexec_fn that makes the child get SIGTERM when we die (Linux; main thread only).

    PR_SET_PDEATHSIG fires when the *thread* that forked exits, so it is only used when the
    server is started from the main thread. Everything is resolved before the fork.
    """
    if not sys.platform.startswith("linux"):
        return None
    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    pr_set_pdeathsig = 1
    sigterm = int(signal.SIGTERM)

    def hook() -> None:
        prctl(pr_set_pdeathsig, sigterm, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


def launch(
    cmd: Sequence[str], env: dict[str, str], log_path: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``cmd`` in its own session and process group (pgid == pid), appending its output
    to ``log_path`` (rotated past 10 MB) after a header line. Returns the process and the log
    offset where its output begins."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if log_path.stat().st_size > LOG_ROTATE_BYTES:
            os.replace(log_path, log_path.with_name(log_path.name + ".1"))
    header = f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(cmd)}\n"
    with open(log_path, "ab") as log:
        log.write(header.encode())
        log.flush()
        offset = log.tell()
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # own session + process group: pgid == pid
            preexec_fn=_parent_death_hook(),
            close_fds=True,
        )
    return proc, offset


def stop_group(proc: subprocess.Popen[bytes], pgid: int, timeout: float) -> None:
    """Terminate the process group: SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is None:
        _killpg(pgid, signal.SIGTERM)
        if not _wait_exit(proc, timeout):
            _killpg(pgid, signal.SIGKILL)
            _wait_exit(proc, 10.0)
    # Sweep anything else left in the group (the kernel does not reuse a pid while it is
    # still in use as a process group id, so this cannot hit others).
    _killpg(pgid, signal.SIGKILL)


def _wait_exit(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Poll until ``proc`` has exited (and is reaped); False on timeout."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _killpg(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
