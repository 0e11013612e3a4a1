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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai

from ..core.protocols import BackendUnavailable
from .errors import Deferred, NoAnswer, describe, transient
from .openai_compat import OpenAICompatible

ENDPOINT = "/v1/chat/completions"
MAX_LINES = 50_000  # OpenAI's limit of requests per batch
DONE = {"completed", "failed", "expired", "cancelled"}
POLL_RETRIES = 20  # transient failures in a row while polling before the run gives up


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
    client: openai.OpenAI,
    lines: list[dict[str, Any]],
    folder: Path,
    metadata: dict[str, str],
    on_created: Callable[[str], None],
) -> None:
    """Upload `lines` (at most MAX_LINES per batch) and create the batches. Each batch's input
    is kept as `folder/BATCH_ID.jsonl` and `on_created(id)` is told at once (to record it
    before the next one is made, so an interrupted run never pays for a batch twice)."""
    for at in range(0, len(lines), MAX_LINES):
        path = folder / "batch-input.jsonl.partial"
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
        path.rename(folder / f"{batch.id}.jsonl")
        on_created(batch.id)


def batch_keys(client: openai.OpenAI, batch: Any, folder: Path | None) -> set[str]:
    """The request keys a batch was given (from its kept input file, else downloaded)."""
    kept = folder / f"{batch.id}.jsonl" if folder else None
    if kept is not None and kept.exists():
        lines = _parse(kept.read_text(encoding="utf-8"), str(kept))
    else:
        lines = _lines(client, batch.input_file_id)
    return {line["custom_id"] for line in lines}


def _retrieve(client: openai.OpenAI, batch_id: str, poll: float) -> Any:
    """The batch's state; a transient failure (network, 429, 5xx) is retried, not fatal."""
    for attempt in range(POLL_RETRIES + 1):
        try:
            return client.batches.retrieve(batch_id)
        except openai.APIError as exc:
            if not transient(exc) or attempt == POLL_RETRIES:
                raise
            time.sleep(poll)
    raise AssertionError("unreachable")


def settled(
    client: openai.OpenAI, ids: Iterable[str], folder: Path | None, poll: float
) -> set[str]:
    """Keys earlier batches of this job cover: all of a live or completed batch's, and the
    answered ones of a batch that ended failed, expired or cancelled (the rest go again)."""
    keys: set[str] = set()
    for batch_id in ids:
        batch = _retrieve(client, batch_id, poll)
        if batch.status in DONE - {"completed"}:
            keys |= set(collect(client, [batch]).bodies)
        else:
            keys |= batch_keys(client, batch, folder)
    return keys


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
            batch = _retrieve(client, batch_id, poll)
            counts = batch.request_counts
            if notify and counts is not None:
                notify(f"batch {batch_id}: {batch.status}, {counts.completed}/{counts.total} "
                       f"done, {counts.failed} failed")  # fmt: skip
            if batch.status in DONE:
                finished.append(batch)
                break
            time.sleep(poll)
    return finished


@contextmanager
def batch_errors(identity: str) -> Iterator[None]:
    """An API error of the files or batches endpoints stops the run with one clear message."""
    try:
        yield
    except openai.APIError as exc:
        raise BackendUnavailable(f"batch API at {identity}: {describe(exc, 1)}") from None


def _lines(client: openai.OpenAI, file_id: str | None) -> list[dict[str, Any]]:
    if not file_id:
        return []
    return _parse(client.files.content(file_id).text, f"batch file {file_id}")


def _parse(text: str, where: str) -> list[dict[str, Any]]:
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                lines.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{where}: line {number} is not JSON ({exc})") from None
    return lines


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
