"""Supervision of the embedded engine during a run: start on first use, tell a dead server
from a busy one after a connection error, restart a dead one once."""

from __future__ import annotations

import threading

from ..openai_compat import EngineDown
from .llama_server import LlamaServer, LlamaServerError

MAX_RESTARTS = 1
REAP_GRACE = 0.5  # seconds for a server that dropped a connection to show itself dead


class EngineSupervisor:
    """Starts the embedded server on first use, and after a connection error tells a dead
    server from a busy one: a dead one is restarted once; after a second death every call
    fails at once with the reason (no retries against a dead port)."""

    def __init__(self, server: LlamaServer, max_restarts: int = MAX_RESTARTS) -> None:
        self.server = server
        self.max_restarts = max_restarts
        self.restarts = 0
        self.down: str | None = None
        self._lock = threading.Lock()

    def connect(self) -> str:
        """Start the server (self-test included); a failure here is fatal for the run."""
        with self._lock:
            if self.down:
                raise EngineDown(self.down)
            self.server.start()
            return self.server.base_url

    def revive(self) -> str:
        """The base URL of a live server after a connection error, or EngineDown."""
        with self._lock:
            if self.down:
                raise EngineDown(self.down)
            if not self.server.exits_within(REAP_GRACE):
                return self.server.base_url  # alive: an ordinary transient error
            code = self.server.exit_code
            tail = self.server.log_tail(8)
            death = f"the embedded engine died (exit code {code}); log {self.server.log_path}"
            if self.restarts >= self.max_restarts:
                self.down = f"{death} again after {self.restarts} restart(s):\n{tail}"
                raise EngineDown(self.down)
            self.restarts += 1
            try:
                self.server.start()
            except LlamaServerError as exc:
                self.down = f"{death}; restarting it failed: {exc}"
                raise EngineDown(self.down) from exc
            return self.server.base_url

    def stop(self) -> None:
        self.server.stop()
