"""A scripted, OpenAI-compatible HTTP server for tests of the LLM path.

Start it (``with FakeOpenAI() as server:``), point a real ``openai.OpenAI`` client at
``server.base_url``, queue replies with the builders below, then inspect ``server.requests``.

- ``GET /v1/models`` lists the one model the server was created with.
- ``POST /v1/chat/completions`` serves the next queued :class:`Reply` (FIFO); when the queue is
  empty it asks ``server.responder`` (if set), otherwise it answers 500 "no reply queued".
- Any other path answers 404. Handler failures answer 500 with the reason in the error message.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

JSONDict = dict[str, Any]
BodyFactory = Callable[[JSONDict], JSONDict]

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"


@dataclass(frozen=True)
class Reply:
    """One scripted HTTP answer.

    ``body`` is a JSON object, or a factory called with the parsed request body at request time
    (builders use this to echo the model and name the tool). ``text`` is a raw body that wins over
    ``body`` (for malformed responses). ``delay`` seconds are slept before answering.
    """

    status: int = 200
    body: JSONDict | BodyFactory | None = None
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def render(self, request: JSONDict) -> bytes:
        """Return the response bytes for ``request`` (the parsed JSON body)."""
        if self.text is not None:
            return self.text.encode("utf-8")
        body = self.body(request) if callable(self.body) else self.body
        return json.dumps(body if body is not None else {}).encode("utf-8")


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received; ``headers`` keys are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or None for no/invalid JSON
    raw: bytes


Responder = Callable[[JSONDict], Reply]
"""Computes a reply from the parsed request body (e.g. to echo candidates back)."""

_ids = itertools.count(1)


def _completion(
    request: JSONDict, message: JSONDict, finish: str, usage: tuple[int, int]
) -> JSONDict:
    prompt, completion = usage
    return {
        "id": f"chatcmpl-fake-{next(_ids)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "fake-model"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


def requested_tool_name(request: JSONDict) -> str:
    """The function the request forces via ``tool_choice``, else the first one in ``tools``."""
    choice = request.get("tool_choice")
    if isinstance(choice, dict) and choice.get("function", {}).get("name"):
        return str(choice["function"]["name"])
    tools = request.get("tools") or []
    if tools and tools[0].get("function", {}).get("name"):
        return str(tools[0]["function"]["name"])
    raise ValueError("tool_reply(name=None) but the request names no tool (tool_choice/tools)")


def tool_reply(
    arguments: JSONDict | str,
    name: str | None = None,
    prompt_tokens: int = 100,
    completion_tokens: int = 20,
) -> Reply:
    """A completion calling one function; a ``str`` is served verbatim (may be malformed JSON)."""
    args_text = arguments if isinstance(arguments, str) else json.dumps(arguments)

    def build(request: JSONDict) -> JSONDict:
        call = {
            "id": "call_1",
            "type": "function",
            "function": {"name": name or requested_tool_name(request), "arguments": args_text},
        }
        message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [call]}
        return _completion(request, message, "tool_calls", (prompt_tokens, completion_tokens))

    return Reply(body=build)


def json_reply(
    content: JSONDict | list[Any] | str, prompt_tokens: int = 100, completion_tokens: int = 20
) -> Reply:
    """A completion whose message content is JSON text; a ``str`` is served verbatim."""
    text = content if isinstance(content, str) else json.dumps(content)

    def build(request: JSONDict) -> JSONDict:
        message = {"role": "assistant", "content": text, "refusal": None}
        return _completion(request, message, "stop", (prompt_tokens, completion_tokens))

    return Reply(body=build)


_ERROR_KINDS: dict[int, tuple[str, str]] = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    404: ("invalid_request_error", "not_found"),
    429: ("requests", "rate_limit_exceeded"),
    503: ("server_error", "service_unavailable"),
}


def error_reply(
    status: int,
    message: str | None = None,
    retry_after: float | None = None,
    *,
    error_type: str | None = None,
    code: str | None = None,
) -> Reply:
    """An OpenAI-style error body, with a ``Retry-After`` header when ``retry_after`` is given."""
    default_type, default_code = _ERROR_KINDS.get(status, ("server_error", "server_error"))
    error = {
        "message": message or f"Fake {status} {HTTPStatus(status).phrase}",
        "type": error_type or default_type,
        "param": None,
        "code": code or default_code,
    }
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = f"{retry_after:g}"
    return Reply(status=status, body={"error": error}, headers=headers)


def slow_reply(seconds: float, then: Reply) -> Reply:
    """``then``, answered only after sleeping ``seconds`` (to trip client timeouts)."""
    return dataclasses.replace(then, delay=then.delay + seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping must never block shutdown
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hung up first (e.g. after its own timeout)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive threads

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0].rstrip("/")
        record = RecordedRequest(
            method=self.command,
            path=path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw=raw,
        )
        reply = self.server.fake._route(record)
        request = body if isinstance(body, dict) else {}
        try:
            payload = reply.render(request)
        except Exception as exc:  # a builder failed: tell the test, loudly
            reply = error_reply(500, f"fake server could not build the reply: {exc!r}")
            payload = reply.render(request)
        if reply.delay and self.server.fake._stopping.wait(reply.delay):
            return  # server shutting down: drop the connection
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json", **reply.headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeOpenAI:
    """A scripted OpenAI-compatible server on 127.0.0.1 (random port); use as a context manager.

    ``requests``/``calls`` cover chat-completion requests only; ``all_requests`` has every one.
    """

    def __init__(self, model: str = "fake-model") -> None:
        self.model = model
        self.responder: Responder | None = None
        self._lock = threading.Lock()
        self._replies: deque[Reply] = deque()
        self._requests: list[RecordedRequest] = []
        self._all: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> Self:
        """Bind to a free port and serve in a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; sleeping handlers are woken and drop their connections."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # scripting and inspection ----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``, for ``OpenAI(base_url=...)``."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def queue(self, *replies: Reply) -> None:
        """Append replies to the FIFO served to chat-completion requests."""
        with self._lock:
            self._replies.extend(replies)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Chat-completion requests received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def all_requests(self) -> list[RecordedRequest]:
        """Every request received, any path (a copy)."""
        with self._lock:
            return list(self._all)

    @property
    def calls(self) -> int:
        """Number of chat-completion requests received."""
        with self._lock:
            return len(self._requests)

    @property
    def pending(self) -> int:
        """Queued replies not yet served."""
        with self._lock:
            return len(self._replies)

    def reset(self) -> None:
        """Forget queued replies, recorded requests and the responder."""
        with self._lock:
            self._replies.clear()
            self._requests.clear()
            self._all.clear()
            self.responder = None

    # serving ---------------------------------------------------------------------------------
    def _route(self, record: RecordedRequest) -> Reply:
        with self._lock:
            self._all.append(record)
            if record.path == MODELS_PATH and record.method == "GET":
                model = {"id": self.model, "object": "model", "created": 0, "owned_by": "fake"}
                return Reply(body={"object": "list", "data": [model]})
            if record.path != CHAT_PATH or record.method != "POST":
                return error_reply(404, f"fake server has no route {record.method} {record.path}")
            self._requests.append(record)
            if not isinstance(record.body, dict):
                return error_reply(400, "request body is not a JSON object")
            if self._replies:
                return self._replies.popleft()
            responder = self.responder
        if responder is None:
            return error_reply(500, "no reply queued", code="no_reply_queued")
        try:
            return responder(record.body)
        except Exception as exc:
            return error_reply(500, f"fake server responder raised: {exc!r}")
