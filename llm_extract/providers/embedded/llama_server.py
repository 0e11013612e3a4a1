"""Run the embedded engine (`providers.embedded.engine`: llama.cpp's native server) on loopback
as a supervised child process.

``LlamaServer`` starts the engine in its own process group (its own session, so a terminal's
Ctrl-C reaches only us), waits until ``GET /v1/models`` answers, then declares it ready only after
one real multi-token chat request has come back (a build that crashes in its first batch, as a
native llama.cpp does on some AMX CPUs, fails here with its log, not later as connection
errors). It stops the whole group again - on leaving the ``with`` block, on an exception, at
interpreter exit and on SIGTERM/SIGINT - so no server outlives the run. On Linux the child also
gets a parent-death signal, which covers a parent killed with SIGKILL.

The parts: `process` (ports, launch, process group, the stop-all registry), `readiness` (the
start-up checks) and `failure` (log tail, the error and its explanation).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ...paths import logs_dir
from . import readiness
from .engine import INSTALL_HINT, engine_installed
from .failure import LlamaServerError, failure_message, tail_of
from .process import (
    HOST,
    cpu_threads,
    free_port,
    launch,
    port_free,
    register,
    stop_group,
    unregister,
)

__all__ = [
    "DEFAULT_N_BATCH",
    "DEFAULT_N_CTX",
    "HOST",
    "CommandFactory",
    "LlamaServer",
    "LlamaServerError",
    "failure_message",
    "free_port",
    "port_free",
    "server_installed",
]

DEFAULT_N_CTX = 4096
DEFAULT_N_BATCH = 512

CommandFactory = Callable[[str, int], Sequence[str]]


def server_installed() -> bool:
    """True when the embedded engine is importable."""
    return engine_installed()


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
            sys.executable, "-m", "llm_extract.providers.embedded.engine",
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
                    # llama_cpp.server: /v1/models must list our alias (not another server's)
                    readiness.wait_ready(self, check_alias=self._command is None)
                    if self._command is None or self.self_test:
                        readiness.self_test(self)
                    return self
                except LlamaServerError as exc:
                    port_taken = "address already in use" in str(exc).lower()
                    if not port_taken or attempt == attempts - 1:
                        raise
        return self  # pragma: no cover

    def _spawn(self, port: int) -> None:
        cmd = self.command(port)
        env = self.environment()
        self.port = port
        self._proc, self._log_offset = launch(cmd, env, self.log_path)
        self._pgid = self._proc.pid
        register(self)

    def log_tail(self, lines: int = 25) -> str:
        """The last lines this server wrote to its log."""
        return tail_of(self.log_path, self._log_offset, lines)

    def stop(self) -> None:
        """Terminate the server's process group: SIGTERM, then SIGKILL after a grace period."""
        with self._lock:
            proc, pgid = self._proc, self._pgid
            if proc is None or pgid is None:
                return
            try:
                stop_group(proc, pgid, self.stop_timeout)
            finally:
                self._proc = None
                self._pgid = None
                unregister(self)

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
