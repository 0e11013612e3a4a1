"""What the model strategies share: ask a chunk, salvage a cut-off answer, ground every
proposal in the text, cross-check it with the baseline and assemble the statistics."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from ..core.protocols import ChatModel
from ..domains import Domain
from ..records import BaselineCheck, DocumentRecord, Grounding, RunInfo
from ..steps.assemble import assemble_statistic
from ..steps.check import baseline_verdict
from ..steps.chunk import Chunk, chunk_text
from ..steps.extract import ChunkResult, Proposal
from ..steps.ground import Grounder, Located
from .base import ChunkRequest, DocumentState, Progress


class ModelStrategy:
    """A strategy that asks a chat model about each chunk; subclasses say what to ask and how
    to read the answer (`messages`, `response_model`, `read`, `salvage`, and `hints`)."""

    name: str
    uses_model = True
    per_item_tokens: int

    def __init__(self, domain: Domain, chunk_chars: int):
        self.domain, self.chunk_chars = domain, chunk_chars

    # what a subclass defines
    response_model: type[BaseModel]

    def messages(self, request: ChunkRequest) -> list[dict[str, str]]:
        raise NotImplementedError

    def read(self, value: Any, request: ChunkRequest) -> tuple[list[Proposal], int]:
        """The proposals of a parsed answer, and how many candidates it left unlabelled."""
        raise NotImplementedError

    def salvage(self, raw: str | None) -> BaseModel | None:
        raise NotImplementedError

    def hints(self, state: DocumentState, request: ChunkRequest) -> list[str]:
        return []

    # the shared machinery
    def budget(self, n_candidates: int) -> int:
        """`max_tokens` for a chunk: enough for every candidate and a few extra, never unbounded."""
        return 64 + self.per_item_tokens * (n_candidates + 3)

    def plan(self, state: DocumentState) -> list[ChunkRequest]:
        """One request per chunk, with the regex candidates inside it."""
        starts = [m.start for m in state.mentions]
        requests = []
        for chunk in chunk_text(state.cleaned.text, self.chunk_chars):
            state.deadline.check("building chunk requests")
            lo, hi = bisect_left(starts, chunk.start), bisect_left(starts, chunk.end)
            inside = [m for m in state.mentions[lo:hi] if m.end <= chunk.end]
            request = ChunkRequest(chunk, inside)
            request.hints = self.hints(state, request)
            requests.append(request)
        return requests

    def ask(self, model: ChatModel, request: ChunkRequest) -> ChunkResult:
        budget = self.budget(len(request.candidates))
        reply = model.create(self.messages(request), self.response_model, budget)
        value, salvaged = reply.value, False
        if value is None:
            value = self.salvage(reply.raw)
            salvaged = value is not None
        if value is None:
            return ChunkResult([], reply)
        proposals, unlabelled = self.read(value, request)
        return ChunkResult(proposals, reply, salvaged, unlabelled)

    def finish(
        self,
        state: DocumentState,
        answers: Iterable[ChunkResult],
        model: ChatModel | None,
        progress: Progress | None,
    ) -> None:
        """Ground the chunk answers in chunk order and assemble the statistics."""
        record, cleaned = state.record, state.cleaned
        grounder = Grounder(cleaned.text, state.mentions)
        if progress:
            progress.start_document(record.doc_id, len(state.requests))
        taken: set[tuple[int, int]] = set()
        pairs = zip(state.requests, answers, strict=True)
        for number, (request, result) in enumerate(pairs, 1):
            _account(record, result, number, request.chunk)
            for proposal in result.proposals:
                grounded = _ground(proposal, request.chunk, grounder, taken)
                if grounded is None:
                    record.checks.ungrounded += 1
                    continue
                located, verdict = grounded
                record.checks.value_differs += verdict == BaselineCheck.value_differs
                state.stats.append(
                    assemble_statistic(
                        cleaned,
                        state.reader,
                        located.mention,
                        proposal.fields,
                        located.grounding,
                        verdict,
                    )
                )
            if progress:
                progress.advance()
        _settle(record)
        state.covered = sorted(taken)

    def run_info(self, model: ChatModel | None, version: str) -> RunInfo:
        domain = self.domain
        return RunInfo(
            prompt=domain.prompt.ident,
            schema_name=domain.name,
            schema_hash=domain.schema_hash,
            mode=model.mode if model else None,
            version=version,
        )


def _account(record: DocumentRecord, result: ChunkResult, number: int, chunk: Chunk) -> None:
    """Add one chunk's usage and outcome to the record's usage and checks."""
    reply, checks = result.reply, record.checks
    record.usage.add(reply.usage)
    checks.chunks += 1
    checks.first_try_valid += reply.first_try_valid
    checks.unlabelled += result.unlabelled
    checks.call_seconds += reply.call_seconds
    if reply.error:
        note = "salvaged complete items" if result.salvaged else "chunk lost"
        checks.chunk_errors.append(
            f"chunk {number} [{chunk.start}:{chunk.end}]: {reply.error} ({note})"
        )
        checks.failed_chunks += not result.salvaged


def _settle(record: DocumentRecord) -> None:
    """A document whose every chunk failed is `failed`; one with lost chunks is `partial`."""
    checks = record.checks
    lost = [e for e in checks.chunk_errors if e.endswith("(chunk lost)")]
    if checks.chunks and checks.failed_chunks == checks.chunks:
        record.status = "failed"
        record.error = f"every chunk failed; first: {checks.chunk_errors[0]}"
    elif checks.failed_chunks:
        record.status = "partial"  # the statistics of the lost chunks are missing
        record.error = (
            f"{checks.failed_chunks} of {checks.chunks} chunks lost (their statistics are "
            f"missing); first: {lost[0] if lost else checks.chunk_errors[0]}"
        )


def _ground(
    proposal: Proposal, chunk: Chunk, grounder: Grounder, taken: set[tuple[int, int]]
) -> tuple[Located, BaselineCheck] | None:
    """Where the proposal stands in the text and how it compares with the baseline."""
    fields = proposal.fields
    if proposal.candidate is not None:
        located = Located(proposal.candidate, Grounding.exact)
    else:
        located = grounder.locate(
            str(fields.get("value_text") or ""),
            chunk,
            evidence=fields.get("evidence"),
            value=fields.get("value"),
            taken=taken,
        )
    if located is None:
        return None
    span = (located.mention.start, located.mention.end)
    taken.add(span)
    regex = grounder.mention_at(*span)
    if regex is not None and (regex.start, regex.end) != span:
        regex = None
    return located, baseline_verdict(located.mention, regex, fields.get("value"))
