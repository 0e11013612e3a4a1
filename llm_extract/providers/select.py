"""Pick the chat backend for a run: the embedded llama.cpp server, or any OpenAI-compatible URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from ..config import RunOptions
from .cache import ResponseCache, default_cache_dir
from .llama_server import server_for
from .openai_compat import OpenAICompatible


@contextmanager
def open_model(options: RunOptions) -> Iterator[OpenAICompatible]:
    """A ready `ChatModel`. The embedded server starts only before the first uncached call
    and is stopped when the block ends, whatever happens inside it."""
    cache = ResponseCache(options.cache_dir) if options.cache else None
    common = {
        "mode": options.mode,
        "cache": cache,
        "memo_dir": options.cache_dir or default_cache_dir(),  # the mode memo outlives --no-cache
        "timeout": options.timeout,
        "max_retries": options.max_retries,
        "max_reasks": options.max_reasks,
    }
    if not options.uses_embedded:
        yield OpenAICompatible(
            options.model, base_url=options.base_url, api_key=options.api_key, **common
        )
        return
    server = server_for(options)  # resolves (and once assembles) the model file; not started
    assert server is not None and server.model_path is not None
    with ExitStack() as stack:

        def connect() -> str:
            stack.enter_context(server)
            return server.base_url

        yield OpenAICompatible(
            options.model, identity=f"embedded:{server.model_path.name}", connect=connect, **common
        )
