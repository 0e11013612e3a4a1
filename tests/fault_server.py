"""A loopback OpenAI-compatible server that answers like a careful model and fails a share of
calls on purpose, for the fault-injection suite and `benchmarks/bench_faults.py`.

The right answer is computed from the request: in `free`, one statistic per number the regex
reader finds in the chunk (value_text and metric); in `guided`, every marked candidate labelled a
statistic. Whether an attempt fails, and how, is drawn from a `random.Random` seeded with the
run's seed, the request's text and the attempt number, so a run is repeatable and a retried call
can succeed. FAULTS lists the kinds; `rate` is the share of attempts that fail.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from llm_extract.steps.numbers import find_numbers

FAULTS = (
    "429",  # rate limited, with Retry-After
    "500",
    "503",
    "reset",  # the connection is reset without an answer
    "delay",  # answered after the client's timeout
    "truncated",  # the body is cut inside a UTF-8 character
    "wrong_schema",  # valid JSON with the wrong top-level key
    "invented",  # the right answer plus a number that is not in the text
)


def right_answer(request: dict[str, Any]) -> dict[str, Any]:
    """What a careful model answers for this chunk request."""
    # the chunk is the first user message (a re-ask appends the answer and the error after it)
    text = next(m["content"] for m in request["messages"] if m["role"] == "user")
    if "Candidates:" in text:
        marked = text.split("\n\nCandidates:")[0]
        ids = sorted({int(i) for i in re.findall(r"\[(\d+)\]", marked)})
        return {"labels": [{"id": i, "is_stat": True} for i in ids], "extra": []}
    stats = [{"value_text": m.surface, "metric": "指标"} for m in find_numbers(text)]
    return {"stats": stats}


class FaultServer:
    """`with FaultServer(rate=0.3, seed=7) as server:` … `server.base_url`, `server.counts`."""

    def __init__(self, rate: float = 0.3, seed: int = 7, delay: float = 3.0):
        self.rate, self.seed, self.delay = rate, seed, delay
        self.counts: Counter[str] = Counter()
        self._attempts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Quiet(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fault_for(self, request: dict[str, Any]) -> str | None:
        text = json.dumps(request["messages"], ensure_ascii=False)
        with self._lock:
            attempt = self._attempts[text]
            self._attempts[text] += 1
        digest = hashlib.sha256(f"{self.seed}|{attempt}|{text}".encode()).digest()
        rng = random.Random(digest)
        fault = rng.choice(FAULTS) if rng.random() < self.rate else None
        with self._lock:
            self.counts[fault or "ok"] += 1
        return fault


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that timed out and left: expected here


def _completion(request: dict[str, Any], arguments: str) -> dict[str, Any]:
    name = request["tool_choice"]["function"]["name"] if "tool_choice" in request else None
    if name:
        call = {"id": "c1", "type": "function", "function": {"name": name, "arguments": arguments}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
        finish = "tool_calls"
    else:
        message, finish = {"role": "assistant", "content": arguments}, "stop"
    return {
        "id": "fault-1",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", "m"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def _handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._send(200, json.dumps({"object": "list", "data": [{"id": "m"}]}).encode())

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fault = server.fault_for(request)
            answer = right_answer(request)
            if fault in ("429", "500", "503"):
                error = {"error": {"message": f"injected {fault}", "type": "server_error"}}
                headers = {"Retry-After": "0"} if fault == "429" else {}
                self._send(int(fault), json.dumps(error).encode(), headers)
                return
            if fault == "reset":
                linger = struct.pack("ii", 1, 0)  # RST on close, no answer
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.connection.close()
                return
            if fault == "delay":
                time.sleep(server.delay)
            if fault == "wrong_schema":
                answer = {"items": next(iter(answer.values()))}
            if fault == "invented":
                key = "extra" if "labels" in answer else "stats"
                answer[key] = [*answer[key], {"value_text": "999亿起", "metric": "虚构"}]
            body = json.dumps(
                _completion(request, json.dumps(answer, ensure_ascii=False)), ensure_ascii=False
            ).encode()
            if fault == "truncated":
                cut = body.index("指".encode()) + 1 if "指".encode() in body else len(body) // 2
                body = body[:cut]
            self._send(200, body)

    return Handler
