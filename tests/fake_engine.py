"""A stand-in for the embedded engine process: an OpenAI-compatible chat server on loopback
that labels every marked candidate a statistic, and dies on cue.

    python fake_engine.py HOST PORT MODE STATE_FILE

MODE: `ok`; `die-once` (the process exits abruptly, without answering, on the 2nd chunk
request of the whole run); `die-always` (like die-once, and every restarted process dies on
its first chunk request). STATE_FILE counts chunk requests across restarts.
"""

import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

host, port, mode, state = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
served = 0  # chunk requests this process answered
counting = threading.Lock()  # requests run on threads: the count is read and written whole


def count() -> int:
    with counting:
        path = Path(state)
        n = int(path.read_text() or 0) + 1 if path.exists() else 1
        path.write_text(str(n))
        return n


class Handler(BaseHTTPRequestHandler):
    def _send(self, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._send({"object": "list", "data": [{"id": "fake"}]})

    def do_POST(self):
        global served
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        text = request["messages"][-1]["content"]
        usage = {"prompt_tokens": 10, "completion_tokens": 3, "total_tokens": 13}
        if text.startswith("Count from 1 to 5"):  # the supervisor's self-test
            self._send({"choices": [{"message": {"content": "3, 4, 5"}}], "usage": usage})
            return
        n = count()
        if (mode == "die-once" and n == 2) or (
            mode == "die-always" and (n == 2 or (n > 2 and served == 0))
        ):
            os._exit(1)
        served += 1
        ids = sorted({int(i) for i in re.findall(r"\[(\d+)\]", text.split("Candidates:")[0])})
        answer = {"labels": [{"id": i, "is_stat": True} for i in ids], "extra": []}
        message = {"role": "assistant", "content": json.dumps(answer)}
        self._send(
            {
                "id": "fake",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": usage,
            }
        )

    def log_message(self, *args):
        pass


ThreadingHTTPServer((host, port), Handler).serve_forever()
