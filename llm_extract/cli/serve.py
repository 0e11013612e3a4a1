"""`llm-extract serve`: the embedded model as an OpenAI-compatible server until Ctrl-C."""

from __future__ import annotations

import sys

from ..config import RunOptions
from ..providers.embedded.llama_server import DEFAULT_N_CTX, HOST, LlamaServer
from ..providers.select import model_alias, pack_for, resolve_model


def serve_command(options: RunOptions, port: int | None, n_ctx: int = DEFAULT_N_CTX) -> int:
    """``llm-extract serve``: run the embedded model server until Ctrl-C. Returns an exit code."""
    if options.model_path is None and pack_for(options) is None:
        print(
            f"error: 'serve' runs an embedded model or --model-path; {options.model!r} is neither",
            file=sys.stderr,
        )
        return 2
    try:
        server = LlamaServer(
            resolve_model(options, notify=lambda msg: print(msg, file=sys.stderr, flush=True)),
            model_alias=model_alias(options),
            n_ctx=n_ctx,
            port=port,
        )
        print(
            f"Starting {server.model_alias} on {HOST} (log: {server.log_path}) …",
            file=sys.stderr,
            flush=True,
        )
        server.start()
    except Exception as exc:  # noqa: BLE001 - report any start failure as a message
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        print(server.base_url, flush=True)
        print(
            f"Serving model {server.model_alias!r} (OpenAI-compatible). Use it with "
            f"--base-url {server.base_url} --model {server.model_alias}. Ctrl-C to stop.",
            file=sys.stderr,
            flush=True,
        )
        code = server.wait()
        print(f"error: the server exited with code {code}:\n{server.log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 0
    finally:
        server.stop()
