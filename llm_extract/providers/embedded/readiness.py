"""When a started engine counts as ready: ``GET /v1/models`` answers with our model, then one
real multi-token chat request comes back (a build that crashes in its first batch fails here,
with its log, not later as connection errors)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from .failure import LlamaServerError, failure_message

if TYPE_CHECKING:
    from .llama_server import LlamaServer

SELF_TEST_TIMEOUT = 300.0


def lists_alias(body: bytes, alias: str) -> bool:
    """True when a ``/v1/models`` answer lists ``alias`` (so it is not some other server)."""
    try:
        ids = [m.get("id") for m in json.loads(body).get("data", [])]
    except (ValueError, AttributeError):
        return False
    return alias in ids


def wait_ready(server: LlamaServer, *, check_alias: bool) -> None:
    """Poll ``/v1/models`` until it answers (listing our alias if ``check_alias``); stop the
    server and raise if it dies or ``server.startup_timeout`` passes first."""
    deadline = time.monotonic() + server.startup_timeout
    url = f"{server.base_url}/models"
    while True:
        code = server.exit_code
        if code is not None:
            tail = server.log_tail()
            server.stop()
            raise LlamaServerError(
                failure_message(code, "while starting", "", tail, server.log_path)
            )
        try:
            with urllib.request.urlopen(url, timeout=2.0) as response:
                if response.status == 200:
                    body = response.read()
                    if not check_alias or lists_alias(body, server.model_alias):
                        return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            tail = server.log_tail()
            server.stop()
            raise LlamaServerError(
                f"the model server did not answer {url} within {server.startup_timeout:.0f} s "
                f"(log: {server.log_path}):\n{tail}"
            )
        time.sleep(0.2)


def self_test(server: LlamaServer) -> None:
    """One real multi-token chat request; the server is ready only when it answers."""
    request = json.dumps(
        {
            "model": server.model_alias,
            "messages": [{"role": "user", "content": "Count from 1 to 5: 1, 2,"}],
            "max_tokens": 8,
            "temperature": 0,
        }
    ).encode()
    url = f"{server.base_url}/chat/completions"
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
    code = server.exit_code
    tail = server.log_tail()
    server.stop()
    raise LlamaServerError(
        failure_message(code, "on its first chat request", problem, tail, server.log_path)
    )
