"""`--shard I/N`: a deterministic partition of the input documents by doc_id.

A document belongs to shard `sha256(doc_id) mod N + 1`, the same on every machine, process and
Python version (never `hash()`, which is salted per process). Unreadable inputs
(`IngestFailure`) carry a doc_id too and are partitioned the same way, so the N shards of a
job together report every input document exactly once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..steps.ingest import Document, IngestFailure


def shard_of(doc_id: str, count: int) -> int:
    """The shard (1..count) that `doc_id` belongs to."""
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(
    items: Iterable[Document | IngestFailure], shard: tuple[int, int] | None
) -> Iterator[Document | IngestFailure]:
    """The items of shard `(I, N)`, in input order; every item for `None`."""
    if shard is None:
        yield from items
        return
    index, count = shard
    yield from (item for item in items if shard_of(item.doc_id, count) == index)
