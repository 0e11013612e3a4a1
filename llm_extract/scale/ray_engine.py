"""`--engine ray`: a run's documents as Ray Data tasks, on a local Ray or on a cluster.

The driver reads the inputs with our ingest (so failures, duplicate ids and `--shard` are those
of a plain run) and sends them, `WINDOW` documents at a time, through `ray.data.from_items`.
Each task runs the plain run's own code over its batch (`pipeline._run`: the regex baseline,
or a model behind `--base-url` opened in the task, with its chunks in flight). Records come
back to the driver in input order, so the ordinary writer, manifest and `--resume` apply.

`RAY_ADDRESS` selects a cluster (its workers need llm-extract installed, and a custom schema at
the same path); otherwise a local Ray is started on this machine's cores and stopped after.
The embedded engine is refused: every worker would load its own copy of the model and they
would fight over the same cores (two slots already fill two cores); serve it once instead.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from ..config import RunOptions
from ..core.protocols import BackendUnavailable, ChatModel
from ..records import DocumentRecord
from ..steps.ingest import Document, IngestFailure

WINDOW = 1024  # documents per Ray dataset: bounds the driver's memory, keeps output streaming
REGEX_BATCH = 16  # documents per regex task
INSTALL = "pip install 'llm-extract[ray]'"
EMBEDDED_REFUSED = (
    "--engine ray does not run the embedded engine (each worker would load its own copy of "
    "the model on the same cores): serve it once (`llm-extract serve`, vLLM or llama.cpp's "
    "llama-server) and pass its --base-url, or use --model regex"
)


def _ray() -> Any:
    """The `ray` module with Ray Data, or ValueError (exit 2) saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ValueError(f"--engine ray needs Ray ({exc}); install it: {INSTALL}") from None
    return ray


def check_ray(options: RunOptions) -> None:
    """ValueError unless this run can go to Ray: Ray installed, no embedded engine and no
    per-process limit (rate limits, the Batch API)."""
    if options.uses_embedded:
        raise ValueError(EMBEDDED_REFUSED)
    flags = {"rpm": "--rpm", "tpm": "--tpm", "batch_api": "--batch-api"}
    per_process = [flag for name, flag in flags.items() if getattr(options, name, None)]
    if per_process:
        raise ValueError(
            f"--engine ray does not take {', '.join(per_process)}: it holds one process's "
            "calls, and every Ray task would get all of it; instead run N processes with "
            "--shard I/N, each with its share of the limit"
        )
    _ray()


def _row(index: int, item: Document | IngestFailure) -> dict[str, Any]:
    failed = isinstance(item, IngestFailure)
    return {
        "index": index,
        "failed": failed,
        "doc_id": item.doc_id,
        "source": item.source,
        "text": "" if failed else item.text,
        "fmt": "" if failed else item.fmt,
        "error": item.error if failed else "",
    }


def _batch(batch: dict[str, Any], options: RunOptions) -> dict[str, list]:
    """One Ray task: the plain run over these documents; records as JSON, with their index."""
    from ..pipeline import _run

    items = [
        IngestFailure(str(doc_id), str(source), str(error))
        if failed
        else Document(str(doc_id), str(source), str(text), str(fmt))
        for failed, doc_id, source, text, fmt, error in zip(
            batch["failed"],
            batch["doc_id"],
            batch["source"],
            batch["text"],
            batch["fmt"],
            batch["error"],
            strict=True,
        )
    ]
    local = options.model_copy(update={"engine": "local"})
    index = [int(i) for i in batch["index"]]
    try:
        records = [record.model_dump_json() for record in _run(items, local)]
    except BackendUnavailable as exc:  # Ray drops an exception's cause: send it as a row
        return {"index": index[:1], "record": [""], "unavailable": [str(exc)]}
    return {"index": index, "record": records, "unavailable": [""] * len(index)}


def _connect(ray: Any) -> bool:
    """Join RAY_ADDRESS's cluster, else start a local Ray; True if this call started it."""
    if ray.is_initialized():
        return False
    ray.init(
        address=os.environ.get("RAY_ADDRESS") or None,
        include_dashboard=False,
        log_to_driver=False,  # the workers' output stays in Ray's logs, off our stderr
        logging_level=logging.ERROR,
    )
    return True


def _window(
    ray: Any, items: list[Document | IngestFailure], start: int, options: RunOptions
) -> Iterator[DocumentRecord]:
    """The records of one window of documents, in input order."""
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.execution_options.preserve_order = True
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)  # errors re-raised here
    size = REGEX_BATCH if not options.uses_llm else max(4, 2 * options.in_flight)
    rows = [_row(start + i, item) for i, item in enumerate(items)]
    blocks = max(1, math.ceil(len(rows) / size))
    dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
        _batch, fn_args=(options,), batch_size=size, batch_format="numpy"
    )
    waiting: dict[int, str] = {}
    want = start
    for row in dataset.iter_rows():
        if row["unavailable"]:
            raise BackendUnavailable(str(row["unavailable"]))  # the run stops (exit 2)
        waiting[int(row["index"])] = str(row["record"])
        while want in waiting:  # preserve_order makes this a no-op; it never relies on it
            yield DocumentRecord.model_validate_json(waiting.pop(want))
            want += 1
    if want != start + len(items):
        raise RuntimeError(f"Ray returned {want - start} of {len(items)} records")


def ray_records(
    items: Iterable[Document | IngestFailure],
    options: RunOptions,
    model: ChatModel | None = None,
) -> Iterator[DocumentRecord]:
    """One record per item, in input order, the same records as the plain run's."""
    if model is not None:
        raise ValueError("--engine ray opens the model inside each task; pass no model object")
    check_ray(options)
    ray = _ray()
    started = _connect(ray)
    try:
        items, start = iter(items), 0
        while window := list(islice(items, WINDOW)):
            yield from _window(ray, window, start, options)
            start += len(window)
    finally:
        if started:
            ray.shutdown()
