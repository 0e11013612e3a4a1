"""Command line: `llm-extract run | eval | compare | facts | bench | serve`.

Exit codes: 0 all documents ok; 1 the run finished but some documents failed (their records
say why); 2 bad usage or configuration (nothing was extracted); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..config import load_options, parse_shard
from ..core.protocols import BackendUnavailable
from ..steps.tabular import FORMATS
from ..steps.write import OutputBusy
from ..strategies import STRATEGIES

if TYPE_CHECKING:
    from ..progress import ChunkProgress
    from ..records import DocumentRecord


def shard_argument(text: str) -> tuple[int, int]:
    """`parse_shard` for argparse: a bad value is a usage error (exit 2) with its reason."""
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _run_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="extract statistics from articles into JSONL")
    p.add_argument("inputs", nargs="+", help="files, directories or globs (.txt .md .html .jsonl)")
    p.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="jsonl: a record per document; csv, parquet: a row per statistic "
        "(default: by the suffix of -o, .csv or .parquet, else jsonl)",
    )
    _model_flags(p)
    p.add_argument("--strategy", choices=STRATEGIES, help="LLM strategy (default guided)")
    p.add_argument("--schema", dest="schema_name", help="domain: a name under schemas/ or a path")
    p.add_argument("--chunk-chars", type=int, help="chunk size in characters (default 900)")
    p.add_argument(
        "--no-cache",
        dest="cache",
        action="store_const",
        const=False,
        help="bypass the response cache",
    )
    p.add_argument("--cache-dir", type=Path, help="response cache folder")
    p.add_argument(
        "--concurrency",
        type=int,
        help="chunks in flight (default: 2 on the embedded engine's slots, 4 for a server)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        help="seconds for one model call, end to end (default: 600 embedded, 180 a server)",
    )
    p.add_argument(
        "--doc-timeout", type=float, help="seconds for one document, end to end (default 900)"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the ok records of an earlier run of the same manifest; do the rest",
    )
    p.add_argument("--rpm", type=float, help="at most this many model requests per minute")
    p.add_argument("--tpm", type=float, help="at most this many tokens per minute (estimated)")
    p.add_argument(
        "--price",
        type=_price,
        help="USD per 1M tokens PROMPT,COMPLETION, for the running cost (default: list prices)",
    )
    p.add_argument(
        "--batch-api",
        action="store_true",
        help="send the chunks through the OpenAI Batch API (half the price; up to 24 h)",
    )
    p.add_argument("--batch-poll", type=float, help="seconds between batch polls (default 30)")
    p.add_argument(
        "--shard",
        type=shard_argument,
        metavar="I/N",
        help="only shard I of N: the documents whose sha256(doc_id) mod N is I-1",
    )
    p.add_argument(
        "--published",
        metavar="YYYY-MM-DD",
        help="publication date for documents whose JSONL line gives none; periods (今年, 上月) "
        "resolve against it (default: the date found in each text)",
    )
    p.add_argument(
        "--published-from",
        type=Path,
        metavar="FILE.csv",
        help="publication dates by document id, a CSV with the header id,published (an id is "
        "a file's stem or a JSONL line's id); before --published and the date in the text",
    )
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        help="local (default), or ray: Ray Data tasks (RAY_ADDRESS's cluster, else local)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _price(text: str) -> tuple[float, float]:
    try:
        prompt, completion = (float(part) for part in text.split(","))
    except ValueError:
        message = f"{text!r}: give PROMPT,COMPLETION in USD per 1M tokens, e.g. 0.15,0.60"
        raise argparse.ArgumentTypeError(message) from None
    return prompt, completion


def _model_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="TOML file with a [run] table of these settings")
    p.add_argument("--model", help="regex, embedded (default), embedded-0.5b, or a served model")
    p.add_argument("--base-url", help="OpenAI-compatible endpoint (or OPENAI_BASE_URL)")
    p.add_argument("--mode", choices=("auto", "tools", "json"), help="structured-output mode")
    p.add_argument("--model-path", type=Path, help="any GGUF file to serve instead of the pack")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llm-extract", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    e = sub.add_parser("eval", help="score predictions against the gold set")
    e.add_argument("predictions", type=Path)
    e.add_argument("--gold", type=Path, default=Path("evals/gold"))
    e.add_argument("--json", action="store_true", help="machine-readable output")
    c = sub.add_parser("compare", help="run model x strategy grid over the eval set, report")
    c.add_argument("--config", type=Path, default=Path("evals/compare.toml"))
    c.add_argument("--out", type=Path, help="report folder (default from the config)")
    f = sub.add_parser("facts", help="group the statistics of runs into facts across articles")
    f.add_argument(
        "inputs", nargs="+", type=Path, help="run files (.jsonl .csv .parquet), gold folders"
    )
    f.add_argument("-o", "--output", type=Path, help="facts table: .jsonl, .csv or .parquet")
    f.add_argument("--format", choices=FORMATS, help="table format (default: by the suffix of -o)")
    f.add_argument("--html", type=Path, help="review page (facts.html; article pages beside it)")
    f.add_argument("--gold-facts", type=Path, help="score the grouping against a facts gold")
    b = sub.add_parser("bench", help="print throughput figures")
    b.add_argument("target", choices=("regex",))
    b.add_argument("--mb", type=float, default=10.0, help="MB of article text to process")
    s = sub.add_parser("serve", help="serve the embedded model (OpenAI API on loopback)")
    _model_flags(s)
    s.add_argument("--port", type=int)
    return parser


def _options(args: argparse.Namespace):
    names = (
        "model",
        "strategy",
        "base_url",
        "mode",
        "schema_name",
        "chunk_chars",
        "cache",
        "cache_dir",
        "model_path",
        "concurrency",
        "timeout",
        "doc_timeout",
        "rpm",
        "tpm",
        "price",
        "batch_api",
        "batch_poll",
        "shard",
        "published",
        "published_from",
        "engine",
        "quiet",
    )
    overrides = {name: getattr(args, name, None) for name in names}
    return load_options(args.config, **overrides)


def _run(args: argparse.Namespace) -> int:
    from ..domains import load_domain
    from ..pipeline import run_documents
    from ..progress import ChunkProgress
    from ..providers.prices import price_per_million
    from ..resume import check_manifest, completed, manifest, write_manifest
    from ..steps.ingest import count_documents, published_dates
    from ..steps.tabular import output_format
    from ..steps.write import locked, write_records

    options = _options(args)
    if options.published_from is not None:
        published_dates(options.published_from)  # a bad file: exit 2 before any output
    if options.engine == "ray":
        from ..scale.ray_engine import check_ray

        check_ray(options)  # Ray missing or the embedded engine: exit 2 before any output
    domain = load_domain(options.schema_name) if options.uses_llm else None
    done = None
    out = args.output if args.output is not None and str(args.output) != "-" else None
    if out is None and args.resume:
        raise ValueError("--resume needs -o OUT (the output to resume)")
    fmt = output_format(out, args.format)
    progress = nullcontext(None)
    if not options.quiet:
        # a shard's size is known only as it runs: no document total (the ETA is per chunk)
        total = count_documents(args.inputs) if options.shard is None else None
        progress = ChunkProgress(total, price_per_million(options))
    # a second writer is refused before anything is touched; the lock is held to the end
    described: dict = {}
    with locked(out) if out is not None else nullcontext(), progress as bar:
        if out is not None:
            described = manifest(args.inputs, options, domain)
            if args.resume:
                earlier = check_manifest(out, described)
                done = completed(out, fmt)
                if "batch_ids" in earlier:  # batches an interrupted --batch-api run created
                    described["batch_ids"] = earlier["batch_ids"]
            write_manifest(out, described)
        batch = _batch_job(out, described, options) if options.batch_api else None
        found = run_documents(args.inputs, options, progress=bar, done=done, batch=batch)
        records = write_records(_tallied(found, bar), args.output, lock=False, fmt=fmt)
    not_ok = [r for r in records if r.status != "ok"]
    partial = sum(r.status == "partial" for r in records)
    stats = sum(len(r.stats) for r in records)
    calls = sum(r.usage.calls for r in records)
    cached = sum(r.usage.cached_calls for r in records)
    print(
        f"{len(records)} documents, {stats} statistics, {len(not_ok) - partial} failed, "
        f"{partial} partial (chunks lost); model calls {calls} (+{cached} cached)",
        file=sys.stderr,
    )
    for record in not_ok:
        print(f"{record.status}: {record.source}: {record.error}", file=sys.stderr)
    return 1 if not_ok else 0


def _batch_job(out: Path | None, described: dict, options):
    """Where a --batch-api run keeps its batches: ids in the manifest, inputs in OUT.batch/."""
    from ..resume import write_manifest
    from ..scale.batch import BatchJob

    def record(ids: list[str]) -> None:
        described["batch_ids"] = ids
        write_manifest(out, described)

    def notify(message: str) -> None:
        if not options.quiet:
            print(message, file=sys.stderr)

    if out is None:
        return BatchJob(notify=notify)
    folder = out.with_name(out.name + ".batch")
    return BatchJob(folder, list(described.get("batch_ids", [])), record, notify)


def _tallied(
    records: Iterable[DocumentRecord], bar: ChunkProgress | None
) -> Iterator[DocumentRecord]:
    """The records, each counted on the progress line as it is written."""
    for record in records:
        if bar is not None:
            bar.document_done(record)
        yield record


def _logging(quiet: bool) -> None:
    """The package's notices (e.g. the model being assembled) on stderr unless -q; instructor's
    retry logs off (a failure is reported in the document's record)."""
    log = logging.getLogger("llm_extract")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _logging(bool(getattr(args, "quiet", False)))
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "eval":
            from .evaluate import eval_command

            return eval_command(args.predictions, args.gold, args.json)
        if args.command == "compare":
            from .evaluate import compare_command

            return compare_command(args.config, args.out)
        if args.command == "facts":
            from .facts import facts_command

            return facts_command(args.inputs, args.output, args.format, args.html, args.gold_facts)
        if args.command == "bench":
            from ..bench import bench_regex

            for line in bench_regex(args.mb):
                print(line, flush=True)
            return 0
        if args.command == "serve":
            from .serve import serve_command

            return serve_command(_options(args), args.port)
    except (ValidationError, ValueError, FileNotFoundError) as exc:
        print(f"llm-extract: error: {exc}", file=sys.stderr)
        return 2
    except (BackendUnavailable, OutputBusy) as exc:  # e.g. the engine failed its self-test
        print(f"llm-extract: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `llm-extract eval ... | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:  # records written so far are complete lines; the server is stopped
        print("llm-extract: interrupted", file=sys.stderr)
        return 130
    return 2
