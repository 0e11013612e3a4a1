"""Pick the chat backend for a run: the embedded engine, or any OpenAI-compatible URL.

The run settings meet the embedded package here: which model pack or GGUF file a run names,
and the supervised server that serves it (`embedded/`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import EMBEDDED_MODELS, RunOptions
from ..paths import responses_dir
from .cache import ResponseCache
from .embedded.llama_server import DEFAULT_N_CTX, LlamaServer
from .embedded.model_pack import PACKS, ModelPack, ModelPackError, model_file
from .embedded.supervisor import EngineSupervisor
from .openai_compat import OpenAICompatible
from .ratelimit import RateLimiter


def pack_for(options: RunOptions) -> ModelPack | None:
    """The model pack ``options.model`` names ('embedded', 'embedded-0.5b'), else None."""
    name = EMBEDDED_MODELS.get(options.model)
    return PACKS[name] if name is not None else None


def resolve_model(options: RunOptions, notify: Callable[[str], None] | None = None) -> Path:
    """The GGUF file to serve: ``options.model_path`` if given, else the embedded pack's file.

    The assembled pack always lives in the user cache dir (not ``options.cache_dir``, which is
    for responses and may be a throw-away directory): 1.1 GB should be built once per machine.
    """
    pack = pack_for(options)
    if options.model_path is None and pack is None:
        known = ", ".join(repr(k) for k in EMBEDDED_MODELS)
        raise ModelPackError(
            f"model {options.model!r} is not an embedded model ({known}); "
            f"pass --model-path FILE.gguf or a --base-url for a served model"
        )
    if notify is None and options.quiet:
        notify = _silent  # else the model pack's log, which the CLI shows on stderr
    return model_file(options.model_path, pack, notify=notify)


def _silent(_message: str) -> None:
    pass


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
