"""Run the embedded engine (`providers.engine`: llama.cpp's native server) on loopback as a
supervised child process.

``LlamaServer`` starts the engine in its own process group (its own session, so a terminal's
Ctrl-C reaches only us), waits until ``GET /v1/models`` answers, then declares it ready only after
one real multi-token chat request has come back (a build that crashes in its first batch, as a
native llama.cpp does on some AMX CPUs, fails here with its log, not later as connection
errors). It stops the whole group again - on leaving the ``with`` block, on an exception, at
interpreter exit and on SIGTERM/SIGINT - so no server outlives the run. On Linux the child also
gets a parent-death signal, which covers a parent killed with SIGKILL.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from llm_extract.core.protocols import BackendUnavailable
from llm_extract.paths import logs_dir
from llm_extract.providers.engine import INSTALL_HINT, engine_installed

DEFAULT_N_CTX = 4096
DEFAULT_N_BATCH = 512
HOST = "127.0.0.1"
LOG_ROTATE_BYTES = 10 * 1024 * 1024

CommandFactory = Callable[[str, int], Sequence[str]]
SELF_TEST_TIMEOUT = 300.0


class LlamaServerError(BackendUnavailable):
    """The local model server could not be started or died."""


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


def server_installed() -> bool:
    """True when the embedded engine is importable."""
    return engine_installed()


# --- process registry: atexit + signal handlers ------------------------------------------------

_live: set[LlamaServer] = set()
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


def _register(server: LlamaServer) -> None:
    with _registry_lock:
        _live.add(server)
        _install_handlers()


def _unregister(server: LlamaServer) -> None:
    with _registry_lock:
        _live.discard(server)
        if not _live:
            _restore_handlers()


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


# --- the server --------------------------------------------------------------------------------


class LlamaServer:
    """llama-cpp-python's OpenAI-compatible server for one GGUF file, as a context manager.

    >>> with LlamaServer(path) as server:
    ...     client = OpenAI(base_url=server.base_url, api_key="local")
    """

    def __init__(
        self,
        model_path: Path | str | None = None,
        *,
        model_alias: str = "embedded",
        n_ctx: int = DEFAULT_N_CTX,
        n_threads: int | None = None,
        n_batch: int = DEFAULT_N_BATCH,
        parallel: int = 1,
        port: int | None = None,
        host: str = HOST,
        log_path: Path | None = None,
        startup_timeout: float = 180.0,
        stop_timeout: float = 5.0,
        extra_args: Sequence[str] = (),
        command: CommandFactory | None = None,
        self_test: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        if model_path is None and command is None:
            raise ValueError("LlamaServer needs a model_path (or a custom command)")
        self.model_path = Path(model_path) if model_path is not None else None
        self.model_alias = model_alias
        self.n_ctx = n_ctx
        self.n_threads = n_threads or cpu_threads()
        self.n_batch = n_batch
        self.parallel = max(1, parallel)
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self.log_path = log_path or logs_dir() / "llama-server.log"
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.extra_args = list(extra_args)
        self._command = command
        self.self_test = self_test  # custom commands: opt in (the real engine always does it)
        self._env = env
        self._proc: subprocess.Popen[bytes] | None = None
        self._pgid: int | None = None
        self._log_offset = 0
        self._lock = threading.RLock()

    # -- command line -------------------------------------------------------------------------

    def command(self, port: int) -> list[str]:
        """The command line that starts the server on ``port``."""
        if self._command is not None:
            return [str(part) for part in self._command(self.host, port)]
        assert self.model_path is not None
        # fmt: off
        return [
            sys.executable, "-m", "llm_extract.providers.engine",
            "--model", str(self.model_path),
            "--alias", self.model_alias,
            "--host", self.host,
            "--port", str(port),
            "--parallel", str(self.parallel),
            "--ctx-per-slot", str(self.n_ctx),
            "--threads", str(self.n_threads),
            "--batch", str(self.n_batch),
            *self.extra_args,
        ]
        # fmt: on

    def environment(self) -> dict[str, str]:
        """The child's environment: ours minus llama.cpp's own LLAMA_ARG_* settings."""
        env = dict(os.environ if self._env is None else self._env)
        if self._command is None:
            env = {k: v for k, v in env.items() if not k.startswith("LLAMA_ARG_")}
            # The engine's OpenMP threads spin while they wait: beside one other busy process
            # on 2 cores, decode fell from 24-26 to 0.3-0.6 tok/s; sleeping waits keep 19-22
            # (and cost 10-30 % alone). Measured: benchmarks/bench_engines.py --contention.
            env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        env.setdefault("PYTHONUNBUFFERED", "1")
        return env

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise LlamaServerError("the server is not started")
        return f"http://{self.host}:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def exits_within(self, seconds: float) -> bool:
        """Whether the server is (or within `seconds` becomes) dead: a process that has just
        dropped its connections may not have been reaped yet."""
        end = time.monotonic() + seconds
        while self.running:
            if time.monotonic() >= end:
                return False
            time.sleep(0.02)
        return True

    @property
    def exit_code(self) -> int | None:
        """The exit code of a server that has died (negative: killed by that signal)."""
        return self._proc.poll() if self._proc is not None else None

    def __enter__(self) -> LlamaServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> LlamaServer:
        """Start the server and wait until it answers; a no-op when it already runs."""
        with self._lock:
            if self.running:
                return self
            if self._proc is not None:  # it died on its own: reap it and sweep its group first
                self.stop()
            if self._command is None:
                if not server_installed():
                    raise LlamaServerError(
                        f"the embedded engine (xllamacpp) is not installed; install the local "
                        f"model support with: {INSTALL_HINT}"
                    )
                assert self.model_path is not None
                if not self.model_path.is_file():
                    raise LlamaServerError(f"model file not found: {self.model_path}")
            if self.requested_port is not None and not port_free(self.requested_port, self.host):
                # Another server there would answer our health check: refuse up front.
                raise LlamaServerError(
                    f"port {self.requested_port} on {self.host} is already in use; "
                    "choose another port or leave it out to pick a free one"
                )
            attempts = 1 if self.requested_port is not None else 3
            for attempt in range(attempts):
                port = self.requested_port or free_port(self.host)
                try:
                    self._spawn(port)
                    self._wait_ready()
                    if self._command is None or self.self_test:
                        self._self_test()
                    return self
                except LlamaServerError as exc:
                    port_taken = "address already in use" in str(exc).lower()
                    if not port_taken or attempt == attempts - 1:
                        raise
        return self  # pragma: no cover

    def _spawn(self, port: int) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            if self.log_path.stat().st_size > LOG_ROTATE_BYTES:
                os.replace(self.log_path, self.log_path.with_name(self.log_path.name + ".1"))
        cmd = self.command(port)
        env = self.environment()
        with open(self.log_path, "ab") as log:
            log.write(
                f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} starting: {' '.join(cmd)}\n".encode()
            )
            log.flush()
            self._log_offset = log.tell()
            self.port = port
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # own session + process group: pgid == pid
                preexec_fn=_parent_death_hook(),
                close_fds=True,
            )
        self._pgid = self._proc.pid
        _register(self)

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        url = f"{self.base_url}/models"
        while True:
            code = self._proc.poll()
            if code is not None:
                tail = self.log_tail()
                self.stop()
                raise LlamaServerError(
                    failure_message(code, "while starting", "", tail, self.log_path)
                )
            try:
                with urllib.request.urlopen(url, timeout=2.0) as response:
                    if response.status == 200 and self._is_ours(response.read()):
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                tail = self.log_tail()
                self.stop()
                raise LlamaServerError(
                    f"the model server did not answer {url} within {self.startup_timeout:.0f} s "
                    f"(log: {self.log_path}):\n{tail}"
                )
            time.sleep(0.2)

    def _self_test(self) -> None:
        """One real multi-token chat request; the server is ready only when it answers."""
        request = json.dumps(
            {
                "model": self.model_alias,
                "messages": [{"role": "user", "content": "Count from 1 to 5: 1, 2,"}],
                "max_tokens": 8,
                "temperature": 0,
            }
        ).encode()
        url = f"{self.base_url}/chat/completions"
        post = urllib.request.Request(url, request, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(post, timeout=SELF_TEST_TIMEOUT) as response:
                body = json.loads(response.read())
            if body["usage"]["completion_tokens"] >= 1:
                return
            problem = "it answered with no tokens"
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
        time.sleep(0.5)  # let a crashing process finish dying, so its exit code is known
        code = self._proc.poll() if self._proc is not None else None
        tail = self.log_tail()
        self.stop()
        raise LlamaServerError(
            failure_message(code, "on its first chat request", problem, tail, self.log_path)
        )

    def _is_ours(self, body: bytes) -> bool:
        """For llama_cpp.server: /v1/models must list our alias (not some other server's)."""
        if self._command is not None:
            return True
        try:
            ids = [m.get("id") for m in json.loads(body).get("data", [])]
        except (ValueError, AttributeError):
            return False
        return self.model_alias in ids

    def log_tail(self, lines: int = 25) -> str:
        """The last lines this server wrote to its log."""
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self._log_offset)
                text = fh.read().decode("utf-8", "replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        """Terminate the server's process group: SIGTERM, then SIGKILL after a grace period."""
        with self._lock:
            proc, pgid = self._proc, self._pgid
            if proc is None or pgid is None:
                return
            try:
                if proc.poll() is None:
                    _killpg(pgid, signal.SIGTERM)
                    if not _wait_exit(proc, self.stop_timeout):
                        _killpg(pgid, signal.SIGKILL)
                        _wait_exit(proc, 10.0)
                # Sweep anything else left in the group (the kernel does not reuse a pid
                # while it is still in use as a process group id, so this cannot hit others).
                _killpg(pgid, signal.SIGKILL)
            finally:
                self._proc = None
                self._pgid = None
                _unregister(self)

    def wait(self) -> int:
        """Block until the server exits (e.g. in ``serve``); returns its exit code.

        Polls instead of ``Popen.wait()``: a signal handler that stops the server while the
        main thread sits in a blocking ``Popen.wait()`` would deadlock on Popen's waitpid lock.
        """
        while True:
            proc = self._proc
            if proc is None:
                return 0
            code = proc.poll()
            if code is not None:
                return code
            time.sleep(0.25)


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
