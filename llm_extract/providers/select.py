"""Pick the chat backend for a run: the embedded engine, or any OpenAI-compatible URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import RunOptions
from ..paths import responses_dir
from .cache import ResponseCache
from .llama_server import DEFAULT_N_CTX, LlamaServer, LlamaServerError
from .model_pack import pack_for, resolve_model
from .openai_compat import EngineDown, OpenAICompatible
from .ratelimit import RateLimiter

MAX_RESTARTS = 1
REAP_GRACE = 0.5  # seconds for a server that dropped a connection to show itself dead


class EngineSupervisor:
    """Starts the embedded server on first use, and after a connection error tells a dead
    server from a busy one: a dead one is restarted once; after a second death every call
    fails at once with the reason (no retries against a dead port)."""

    def __init__(self, server: LlamaServer, max_restarts: int = MAX_RESTARTS):
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


def model_alias(options: RunOptions) -> str:
    pack = pack_for(options)
    if options.model_path is not None:
        return Path(options.model_path).stem
    return pack.name if pack is not None else options.model


def server_for(options: RunOptions, n_ctx: int = DEFAULT_N_CTX) -> LlamaServer | None:
    """A server for the embedded model (started on ``with`` enter), or None for other models.

    The model file is resolved (and assembled on first use) here, so errors about missing
    packages surface before anything is started.
    """
    if not options.uses_embedded:
        return None
    return LlamaServer(
        resolve_model(options),
        model_alias=model_alias(options),
        n_ctx=n_ctx,
        parallel=options.in_flight,
    )


def _common(options: RunOptions) -> dict:
    return {
        "cache": ResponseCache(options.cache_dir) if options.cache else None,
        "memo_dir": options.cache_dir or responses_dir(),  # the mode memo outlives --no-cache
        "timeout": options.call_deadline,
        "max_retries": options.max_retries,
        "max_reasks": options.max_reasks,
        "limiter": RateLimiter(options.rpm, options.tpm),
    }


@contextmanager
def open_model(options: RunOptions) -> Iterator[OpenAICompatible]:
    """A ready `ChatModel`. The embedded server starts only before the first uncached call
    and is stopped when the block ends, whatever happens inside it."""
    if not options.uses_embedded:
        yield OpenAICompatible(
            options.model,
            base_url=options.base_url,
            api_key=options.api_key,
            mode=options.mode,
            **_common(options),
        )
        return
    server = server_for(options)  # resolves (and once assembles) the model file; not started
    assert server is not None
    with embedded_model(server, options) as model:
        yield model


@contextmanager
def embedded_model(server: LlamaServer, options: RunOptions) -> Iterator[OpenAICompatible]:
    """The `ChatModel` of a supervised local server (started on the first uncached call)."""
    supervisor = EngineSupervisor(server)
    name = server.model_path.name if server.model_path else server.model_alias
    try:
        yield OpenAICompatible(
            options.model,
            identity=f"embedded:{name}",
            connect=supervisor.connect,
            revive=supervisor.revive,
            # llama.cpp's server: JSON mode with the schema as a grammar (its tool calls do
            # not honour a forced tool_choice)
            mode="json" if options.mode == "auto" else options.mode,
            schema_grammar=True,
            **_common(options),
        )
    finally:
        supervisor.stop()
