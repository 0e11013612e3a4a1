"""A loopback OpenAI server with the files and batches endpoints, for tests of `--batch-api`.

It extends `FakeOpenAI`: each line of an uploaded batch is answered by the same scripted chat
route (the queue, then `responder`), so a batch and an online run see the same answers.

- ``POST /v1/files`` (multipart, purpose=batch) stores the file; ``GET /v1/files/ID/content``
  returns it.
- ``POST /v1/batches`` creates a batch in ``validating``; each ``GET /v1/batches/ID`` moves it on
  (``in_progress``) until ``polls`` GETs have been made, then it is ``completed`` (or
  ``expired`` after answering only ``expire_after`` lines) with an output and an error file.
- ``fail_line(body)`` may return an error message: that line goes to the error file.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import default
from typing import Any

from fake_openai import CHAT_PATH, FakeOpenAI, RecordedRequest, Reply, error_reply

_ids = itertools.count(1)


class FakeBatchServer(FakeOpenAI):
    def __init__(self, model: str = "fake-model", polls: int = 2) -> None:
        super().__init__(model)
        self.polls = polls
        self.expire_after: int | None = None
        self.fail_line: Callable[[dict[str, Any]], str | None] | None = None
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.created: list[str] = []  # batch ids, in creation order

    def _route(self, record: RecordedRequest) -> Reply:
        if not record.path.startswith(("/v1/files", "/v1/batches")):
            return super()._route(record)
        with self._lock:
            self._all.append(record)
        parts = record.path.strip("/").split("/")  # v1, files|batches, [id], [content]
        if parts[1] == "files" and record.method == "POST" and len(parts) == 2:
            return self._upload(record)
        if parts[1] == "files" and len(parts) == 4 and parts[3] == "content":
            if parts[2] not in self.files:
                return error_reply(404, f"no file {parts[2]}")
            return Reply(text=self.files[parts[2]].decode("utf-8"))
        if parts[1] == "batches" and record.method == "POST" and len(parts) == 2:
            return self._create(record.body or {})
        if parts[1] == "batches" and record.method == "GET" and len(parts) == 3:
            return self._poll(parts[2])
        return error_reply(404, f"fake batch server has no route {record.method} {record.path}")

    def _upload(self, record: RecordedRequest) -> Reply:
        head = f"Content-Type: {record.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=default).parsebytes(head + record.raw)
        fields = {
            part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()
        }
        if fields.get("purpose") != b"batch" or "file" not in fields:
            return error_reply(400, "need purpose=batch and a file")
        file_id = self._store(fields["file"])
        return Reply(body={"id": file_id, "object": "file", "bytes": len(fields["file"]),
                           "created_at": int(time.time()), "filename": "batch.jsonl",
                           "purpose": "batch", "status": "processed"})  # fmt: skip

    def _store(self, data: bytes) -> str:
        file_id = f"file-{next(_ids)}"
        self.files[file_id] = data
        return file_id

    def _create(self, body: dict[str, Any]) -> Reply:
        if body.get("input_file_id") not in self.files or body.get("endpoint") != CHAT_PATH:
            return error_reply(400, "unknown input_file_id or endpoint")
        batch_id = f"batch_{next(_ids)}"
        self.batches[batch_id] = {
            "id": batch_id, "object": "batch", "endpoint": body["endpoint"],
            "input_file_id": body["input_file_id"], "completion_window": body.get(
                "completion_window", "24h"), "status": "validating",
            "created_at": int(time.time()), "metadata": body.get("metadata"),
            "request_counts": {"total": 0, "completed": 0, "failed": 0}, "polled": 0,
        }  # fmt: skip
        self.created.append(batch_id)
        return Reply(body=self._public(batch_id))

    def _public(self, batch_id: str) -> dict[str, Any]:
        return {k: v for k, v in self.batches[batch_id].items() if k != "polled"}

    def _poll(self, batch_id: str) -> Reply:
        if batch_id not in self.batches:
            return error_reply(404, f"no batch {batch_id}")
        batch = self.batches[batch_id]
        batch["polled"] += 1
        if batch["status"] in ("validating", "in_progress"):
            batch["status"] = "in_progress"
            if batch["polled"] >= self.polls:
                self._run(batch)
        return Reply(body=self._public(batch_id))

    def _run(self, batch: dict[str, Any]) -> None:
        lines = [json.loads(x) for x in self.files[batch["input_file_id"]].splitlines() if x]
        outputs, errors = [], []
        for number, line in enumerate(lines):
            if self.expire_after is not None and number >= self.expire_after:
                errors.append({"id": f"req-{number}", "custom_id": line["custom_id"],
                               "response": None, "error": {"code": "batch_expired",
                               "message": "This request could not be executed before the "
                               "completion window expired."}})  # fmt: skip
                continue
            failure = self.fail_line(line["body"]) if self.fail_line else None
            if failure:
                errors.append({"id": f"req-{number}", "custom_id": line["custom_id"],
                               "response": {"status_code": 400, "request_id": "r",
                                            "body": {"error": {"message": failure}}},
                               "error": None})  # fmt: skip
                continue
            chat = RecordedRequest("POST", CHAT_PATH, {}, line["body"], b"")
            reply = super()._route(chat)
            body = json.loads(reply.render(line["body"]))
            outputs.append({"id": f"req-{number}", "custom_id": line["custom_id"], "error": None,
                            "response": {"status_code": reply.status, "request_id": "r",
                                         "body": body}})  # fmt: skip
        batch["status"] = "expired" if self.expire_after is not None else "completed"
        batch["output_file_id"] = self._store(_jsonl(outputs)) if outputs else None
        batch["error_file_id"] = self._store(_jsonl(errors)) if errors else None
        batch["request_counts"] = {"total": len(lines), "completed": len(outputs),
                                   "failed": len(errors)}  # fmt: skip


def _jsonl(lines: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
