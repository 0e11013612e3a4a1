"""Compare runs: several configurations over the gold documents, scored and reported."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llm_extract.config import EMBEDDED_MODELS, RunOptions
from llm_extract.evaluate.docview import doc_page, slug
from llm_extract.evaluate.gold import find_texts, load_gold, write_predictions
from llm_extract.evaluate.plots import Point, scatter_svg
from llm_extract.evaluate.provenance import provenance
from llm_extract.evaluate.report import Report, RunView, render_html, render_markdown
from llm_extract.evaluate.samples import doc_samples, sample_row
from llm_extract.evaluate.score import RunScore, score_run
from llm_extract.evaluate.split import split_of
from llm_extract.evaluate.summary import price_of, quality, usage
from llm_extract.records import DocumentRecord

Runner = Callable[[Sequence[str], RunOptions], Iterable[DocumentRecord]]
Notify = Callable[[str], None]
BASELINE = {"name": "regex", "model": "regex"}
MAIN_SET = {
    "name": "gold",
    "gold": "evals/gold",
    "inputs": ["../shared/seeds", "../shared/articles"],
}


@dataclass
class EvalSet:
    """Gold documents and their texts. `split` names the report part all its documents form;
    None splits them into tune and validation by the fixed rule of `split.py`."""

    name: str
    gold: Path
    inputs: list[Path]
    published_from: Path | None = None
    split: str | None = None

    def split_of(self, doc_id: str) -> str:
        return self.split or split_of(doc_id)


@dataclass
class CompareConfig:
    path: Path
    root: Path
    sets: list[EvalSet]
    out: Path
    runs: list[tuple[str, RunOptions]]
    prices: dict[str, Any]
    raw: dict[str, Any]


def find_root(config: Path) -> Path:
    """The repository holding the config (pyproject.toml or .git), else the config's folder."""
    for folder in config.resolve().parents:
        if (folder / "pyproject.toml").exists() or (folder / ".git").exists():
            return folder
    return config.resolve().parent


def parse_run(entry: dict[str, Any]) -> tuple[str, RunOptions]:
    fields = {k: v for k, v in entry.items() if k != "name"}
    unknown = set(fields) - set(RunOptions.model_fields)
    if unknown:
        raise ValueError(f"run {entry.get('name')!r}: unknown option(s) {sorted(unknown)}")
    options = RunOptions.model_validate(fields)
    return str(entry.get("name") or f"{options.model}-{options.strategy}"), options


def load_config(path: Path) -> CompareConfig:
    """Read compare.toml; paths are relative to the repository root; regex is always included."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    section = raw.get("eval", {})
    root = find_root(path)
    entries = raw.get("runs", [])
    if not any(e.get("model") == "regex" for e in entries):
        entries = [BASELINE, *entries]
    runs = [parse_run(e) for e in entries]
    names = [n for n, _ in runs]
    if len(set(names)) != len(names):
        raise ValueError(f"run names must be unique: {names}")
    prices = raw.get("prices", {})
    for model, entry in prices.items():
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k, 0), int | float) for k in ("prompt", "completion")
        ):
            raise ValueError(f"prices.{model}: need {{ prompt = USD, completion = USD }} per 1M")
    main = {**MAIN_SET, **section}
    sets = [eval_set(main, root, split=None)]
    sets += [eval_set(e, root, split=str(e.get("name", ""))) for e in raw.get("sets", [])]
    names = [s.split or s.name for s in sets]
    if "" in names or len(set(names)) != len(names):
        raise ValueError(f"[[sets]] need unique names: {names}")
    return CompareConfig(
        path=path,
        root=root,
        sets=sets,
        out=root / section.get("out", "reports/compare"),
        runs=runs,
        prices=prices,
        raw=raw,
    )


def eval_set(entry: dict[str, Any], root: Path, split: str | None) -> EvalSet:
    """One gold set of the config (`[eval]` or a `[[sets]]` table), paths from the root; its
    `published_from` (the documents' publication dates) is given to every run over it."""
    dates = entry.get("published_from")
    return EvalSet(
        name=str(entry.get("name", "")),
        gold=root / entry["gold"],
        inputs=[root / p for p in entry["inputs"]],
        published_from=root / dates if dates else None,
        split=split,
    )


def default_runner(inputs: Sequence[str], options: RunOptions) -> Iterable[DocumentRecord]:
    from llm_extract.pipeline import run_documents

    return run_documents(inputs, options)


def plot_points(views: list[RunView], x: Callable[[RunView], float | None]) -> list[Point]:
    return [
        Point(v.name, v.quality["levels"]["core"]["f1"], *v.quality["levels"]["core"]["ci"], x(v))
        for v in views
    ]


@dataclass
class RunResult:
    name: str
    options: RunOptions
    records: list[DocumentRecord]
    score: RunScore


def _quiet(message: str) -> None:
    pass


def execute(
    cfg: CompareConfig, out: Path, runner: Runner, gold: dict, notify: Notify = _quiet
) -> tuple[list[RunResult], dict[str, str]]:
    """Run every configuration, save its predictions and score them; failures are collected
    (and each run's start and failure told to `notify`)."""
    results, failures = [], {}
    for name, options in cfg.runs:
        how = options.strategy if options.uses_llm else "no model"
        notify(f"compare: running {name} ({options.model}, {how})")
        try:
            path = out / "runs" / f"{slug(name)}.jsonl"
            records = write_predictions(path, run_sets(cfg.sets, runner, options))
        except Exception as exc:  # one broken run must not sink the comparison
            failures[name] = f"{type(exc).__name__}: {exc}"
            notify(f"compare: {name} failed: {failures[name]}")
            continue
        results.append(RunResult(name, options, records, score_run(gold, records)))
    return results, failures


def run_sets(
    sets: Sequence[EvalSet], runner: Runner, options: RunOptions
) -> Iterator[DocumentRecord]:
    """One run over every set's inputs, each with its own publication dates."""
    for s in sets:
        dates = s.published_from or options.published_from
        yield from runner(
            [str(p) for p in s.inputs], options.model_copy(update={"published_from": dates})
        )


def run_infos(records: Sequence[DocumentRecord]) -> list[dict[str, Any]]:
    """The distinct prompt/schema/mode/version combinations a run used."""
    infos = (r.run.model_dump(mode="json") for r in records)
    return list({json.dumps(i, sort_keys=True): i for i in infos}.values())


def summarize(
    results: list[RunResult], prices: dict[str, Any], splits: dict[str, str]
) -> tuple[list[RunView], str | None]:
    """One RunView per run; ΔF1 against the first regex run, overall and per split (`splits`:
    document id → split)."""
    base = next((r for r in results if r.options.model == "regex"), None)
    views = []
    for r in results:
        o = r.options
        local = not o.uses_llm or o.uses_embedded or o.model in EMBEDDED_MODELS
        baseline = base.score if base is not None and r is not base else None
        views.append(
            RunView(
                r.name,
                o.model_dump(mode="json"),
                quality(r.score, baseline, splits),
                usage(r.records, o.uses_llm, price_of(prices, r.name, o.model, local)),
                run_infos(r.records),
            )
        )
    return views, base.name if base else None


def make_plots(views: list[RunView], out: Path) -> dict[str, str]:
    def per_k(v: RunView) -> float | None:
        cost = v.usage["cost_per_doc"]
        return None if cost is None else 1000 * cost

    def seconds(v: RunView) -> float | None:
        return v.usage["seconds_per_doc"]

    plots = {
        "f1_vs_cost": scatter_svg(
            plot_points(views, per_k), "cost (USD per 1,000 articles)", "Core F1 against cost", "c"
        ),
        "f1_vs_seconds": scatter_svg(
            plot_points(views, seconds), "seconds per article", "Core F1 against time", "s"
        ),
    }
    (out / "plots").mkdir(parents=True, exist_ok=True)
    for key, svg in plots.items():
        (out / "plots" / f"{key}.svg").write_text(svg, encoding="utf-8")
    return plots


def compare(
    config: Path,
    out: Path | None = None,
    runner: Runner | None = None,
    notify: Notify = _quiet,
) -> dict[str, Any]:
    """Run, score and report every configured run; returns the scores written to scores.json."""
    cfg = load_config(config)
    out = out or cfg.out
    texts = find_texts([p for s in cfg.sets for p in s.inputs], [])  # read once: gold, pages
    gold, splits = {}, {}
    for s in cfg.sets:
        part = gold_among_inputs(load_gold(s.gold), set(texts), notify)
        if clash := sorted(set(part) & set(gold)):
            raise ValueError(f"{s.gold}: document ids already in another set: {clash}")
        gold |= part
        splits |= {doc_id: s.split_of(doc_id) for doc_id in part}
    results, failures = execute(cfg, out, runner or default_runner, gold, notify)
    views, base_name = summarize(results, cfg.prices, splits)
    write_samples(out, results)
    write_doc_pages(out, texts, results)
    plots = make_plots(views, out)
    n_stats = sum(map(len, gold.values()))
    meta = provenance(cfg.raw, cfg.root, views)
    report = Report(views, base_name, len(gold), n_stats, plots, meta, failures)
    (out / "report.md").write_text(render_markdown(report), encoding="utf-8")
    (out / "report.html").write_text(render_html(report), encoding="utf-8")
    scores = {
        "baseline": base_name,
        "failures": failures,
        "runs": {v.name: {"quality": v.quality, "usage": v.usage} for v in views},
    }
    text = json.dumps(scores, ensure_ascii=False, indent=2) + "\n"
    (out / "scores.json").write_text(text, encoding="utf-8")
    return scores


def gold_among_inputs(gold: dict, ids: set[str], notify: Notify = _quiet) -> dict:
    """The gold documents among the inputs' `ids`: a comparison over part of the corpus scores
    that part (gold documents not among the inputs would count as all missed)."""
    kept = {doc_id: stats for doc_id, stats in gold.items() if doc_id in ids}
    if len(kept) < len(gold):
        notify(f"compare: {len(kept)} of {len(gold)} gold documents are among the inputs")
    return kept


def write_samples(out: Path, results: Sequence[RunResult]) -> None:
    lines = [
        json.dumps(sample_row(r.name, doc.doc_id, s), ensure_ascii=False)
        for r in results
        for doc in r.score.docs
        for s in doc_samples(doc)
    ]
    (out / "samples.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def write_doc_pages(out: Path, texts: dict[str, str], results: Sequence[RunResult]) -> None:
    """docs/<doc_id>.html for every gold document, a section per run; `texts` are the inputs'
    (a record whose document is not among them is read from its source)."""
    missing = [rec for r in results for rec in r.records if rec.doc_id not in texts]
    texts = {**find_texts([], missing), **texts} if missing else texts
    folder = out / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    doc_ids = [d.doc_id for d in results[0].score.docs] if results else []
    for k, doc_id in enumerate(doc_ids):
        runs = [(r.name, r.score.docs[k], doc_samples(r.score.docs[k])) for r in results]
        page = doc_page(doc_id, texts.get(doc_id), runs)
        (folder / f"{slug(doc_id)}.html").write_text(page, encoding="utf-8")
