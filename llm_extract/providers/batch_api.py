"""The OpenAI Batch API: the same chat requests as the online path, sent as one file, answered
within 24 hours at half the price.

`plan` collects the exact requests the online path would send (it runs the online path with an
answer source that only records them); `submit` uploads them as batch JSONL and creates the
batches; `wait` polls them; `collect` downloads their output and error files. The answers then
go back through the online path as its answer source (`OpenAICompatible.offline`), so they are
parsed, validated, grounded, cross-checked and cached exactly like online answers; a request
the batch did not answer fails its chunk with the batch's reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai

from .openai_compat import Deferred, NoAnswer, OpenAICompatible

ENDPOINT = "/v1/chat/completions"
MAX_LINES = 50_000  # OpenAI's limit of requests per batch
DONE = {"completed", "failed", "expired", "cancelled"}


@dataclass
class Answers:
    """A finished batch's answers and failures, by request key (the line's custom_id)."""

    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    default: str = "not answered by the batch"

    def __call__(self, key: str, request: dict[str, Any]) -> dict[str, Any]:
        if key in self.bodies:
            return self.bodies[key]
        if key in self.errors:
            raise NoAnswer(f"batch: {self.errors[key]}")
        raise NoAnswer(f"batch: {self.default} (--batch-api makes no online calls or re-asks)")


def _record(key: str, request: dict[str, Any]) -> dict[str, Any]:
    raise Deferred(key, request)


def plan(model: OpenAICompatible, ask: Callable[[], object]) -> tuple[str, dict] | None:
    """The request `ask()` would send first, as (key, body); None if the cache answers it."""
    model.offline = _record
    try:
        ask()
    except Deferred as deferred:
        return deferred.key, deferred.request
    finally:
        model.offline = None
    return None


def batch_line(key: str, request: dict[str, Any]) -> dict[str, Any]:
    return {"custom_id": key, "method": "POST", "url": ENDPOINT, "body": request}


def submit(
    client: openai.OpenAI, lines: list[dict[str, Any]], folder: Path, metadata: dict[str, str]
) -> list[str]:
    """Upload `lines` (at most MAX_LINES per batch) and create the batches; their ids."""
    ids = []
    for at in range(0, len(lines), MAX_LINES):
        path = folder / f"batch-input-{at // MAX_LINES + 1}.jsonl"
        part = lines[at : at + MAX_LINES]
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in part)
        path.write_text(text, encoding="utf-8")
        with path.open("rb") as handle:
            uploaded = client.files.create(file=handle, purpose="batch")
        batch = client.batches.create(
            input_file_id=uploaded.id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata=metadata,
        )
        ids.append(batch.id)
    return ids


def wait(
    client: openai.OpenAI,
    ids: Iterable[str],
    poll: float,
    notify: Callable[[str], None] | None = None,
) -> list[Any]:
    """Poll each batch until it is done (completed, failed, expired or cancelled)."""
    finished = []
    for batch_id in ids:
        while True:
            batch = client.batches.retrieve(batch_id)
            counts = batch.request_counts
            if notify and counts is not None:
                notify(f"batch {batch_id}: {batch.status}, {counts.completed}/{counts.total} "
                       f"done, {counts.failed} failed")  # fmt: skip
            if batch.status in DONE:
                finished.append(batch)
                break
            time.sleep(poll)
    return finished


def _lines(client: openai.OpenAI, file_id: str | None) -> list[dict[str, Any]]:
    if not file_id:
        return []
    text = client.files.content(file_id).text
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _failure(line: dict[str, Any]) -> str:
    error = line.get("error") or {}
    if error:
        return f"{error.get('code') or 'error'}: {error.get('message') or error}"
    response = line.get("response") or {}
    body = response.get("body") or {}
    message = (body.get("error") or {}).get("message") or json.dumps(body)[:300]
    return f"server answered {response.get('status_code')}: {message}"


def collect(client: openai.OpenAI, batches: Iterable[Any]) -> Answers:
    """Download the output and error files of finished batches."""
    answers = Answers()
    reasons = []
    for batch in batches:
        if batch.status != "completed":
            reasons.append(f"batch {batch.id} ended {batch.status}")
        for line in _lines(client, batch.output_file_id):
            response = line.get("response") or {}
            if response.get("status_code") == 200 and not line.get("error"):
                answers.bodies[line["custom_id"]] = response["body"]
            else:
                answers.errors[line["custom_id"]] = _failure(line)
        for line in _lines(client, batch.error_file_id):
            answers.errors[line["custom_id"]] = _failure(line)
    if reasons:
        answers.default = f"not answered ({'; '.join(reasons)})"
    return answers
