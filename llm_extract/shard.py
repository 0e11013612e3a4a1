"""`--shard I/N`: a deterministic partition of the input documents by doc_id.

A document belongs to shard `sha256(doc_id) mod N + 1`, the same on every machine, process and
Python version (never `hash()`, which is salted per process). Unreadable inputs
(`IngestFailure`) carry a doc_id too and are partitioned the same way, so the N shards of a
job together report every input document exactly once.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BeforeValidator

if TYPE_CHECKING:
    from .ingest import Document, IngestFailure


def _checked(shard: tuple[int, int], text: object = None) -> tuple[int, int]:
    if not 1 <= shard[0] <= shard[1]:
        shown = text if text is not None else f"{shard[0]}/{shard[1]}"
        raise ValueError(f"shard {shown!r}: need I/N with 1 <= I <= N, e.g. 1/4 ... 4/4")
    return shard


def parse_shard(text: str) -> tuple[int, int]:
    """`"I/N"` as `(I, N)`, with 1 <= I <= N; ValueError naming the problem otherwise."""
    index, slash, count = str(text).strip().partition("/")
    try:
        if not slash:
            raise ValueError
        shard = int(index), int(count)
    except ValueError:
        raise ValueError(f"shard {text!r}: expected I/N, e.g. 1/4") from None
    return _checked(shard, text)


def shard_argument(text: str) -> tuple[int, int]:
    """`parse_shard` for argparse: a bad value is a usage error (exit 2) with its reason."""
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


Shard = Annotated[
    tuple[int, int],
    BeforeValidator(lambda value: parse_shard(value) if isinstance(value, str) else value),
    AfterValidator(_checked),
]
"""A RunOptions field type: `(I, N)`, or `"I/N"` (as in a TOML config)."""


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
