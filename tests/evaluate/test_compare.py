"""`compare`: runs, scores and the report folder, with an injected fake runner."""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from llm_extract.cli.evaluate import compare_command
from llm_extract.config import RunOptions
from llm_extract.evaluate import compare as compare_mod
from llm_extract.evaluate.compare import compare, load_config
from llm_extract.records import Checks, DocumentRecord, RunInfo, Statistic, Usage

ARTICLES = {
    "a1": "<script>alert('pwn')</script>\n一年来，全国共破获电信网络诈骗案件39.4万起，"
    "抓获犯罪嫌疑人63.4万名，同比分别上升28.5%和76.6%。\n推荐阅读：10个防骗技巧",
    "a2": "截至11月底，上海警方止付涉案资金3291亿元，发案数同比下降17.3%。",
}
GOLD = {
    "a1": [
        ("39.4万起", 394000, "破获电信网络诈骗案件", "起"),
        ("63.4万名", 634000, "抓获犯罪嫌疑人", "名"),
        ("28.5%", 28.5, "破获电信网络诈骗案件", "%"),
        ("76.6%", 76.6, "抓获犯罪嫌疑人", "%"),
    ],
    "a2": [("3291亿元", 329100000000, "止付涉案资金", "元"), ("17.3%", -17.3, "发案数", "%")],
}
CONFIG = """
[eval]
gold = "gold"
inputs = ["articles"]
out = "out"

[[runs]]
name = "fake-llm"
model = "fake-model"
strategy = "free"
chunk_chars = 500

[prices]
fake-model = { prompt = 1.0, completion = 2.0 }
"""


def stat(doc: str, surface: str, value: float, metric: str, unit: str) -> Statistic:
    text = ARTICLES[doc]
    start = text.index(surface)
    evidence = text[text.rfind("\n", 0, start) + 1 : text.index("。", start) + 1]
    return Statistic(
        metric=metric,
        value=value,
        unit=unit,
        surface=surface,
        evidence=evidence,
        start=start,
        end=start + len(surface),
    )


def gold_stats(doc: str) -> list[Statistic]:
    return [stat(doc, *row) for row in GOLD[doc]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    for doc, text in ARTICLES.items():
        (tmp_path / "articles" / f"{doc}.txt").write_text(text, encoding="utf-8")
        lines = [s.model_dump_json(exclude={"grounding", "baseline"}) for s in gold_stats(doc)]
        (tmp_path / "gold" / f"{doc}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "compare.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


class FakeRunner:
    """regex: misses one statistic per document; fake-model: all right plus a chrome number.

    The fake model 'caches' its answers: the second run reports cache hits and no calls.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seen: list[tuple[list[str], str]] = []
        self.cache: set[str] = set()

    def __call__(self, inputs: Sequence[str], options: RunOptions) -> Iterator[DocumentRecord]:
        self.seen.append((list(inputs), options.model))
        for doc in ARTICLES:
            stats = gold_stats(doc)
            llm = options.model != "regex"
            if llm:
                text = ARTICLES[doc]
                extra = "10个" if "10个" in text else "11月"
                at = text.index(extra)
                stats.append(
                    Statistic(
                        metric="技巧",
                        value=10,
                        unit="个",
                        surface=extra,
                        evidence=extra,
                        start=at,
                        end=at + len(extra),
                    )
                )
            else:
                stats = stats[1:]
            warm = llm and doc in self.cache
            if llm:
                self.cache.add(doc)
            yield DocumentRecord(
                doc_id=doc,
                source=str(self.root / "articles" / f"{doc}.txt"),
                model=options.model,
                strategy=options.strategy,
                stats=stats,
                usage=Usage(
                    calls=0 if warm or not llm else 2,
                    cached_calls=2 if warm else 0,
                    prompt_tokens=1000 * llm,
                    completion_tokens=200 * llm,
                    seconds=0.01 if warm else 3.0 * llm,
                ),
                checks=Checks(
                    chunks=2 * llm,
                    first_try_valid=1 * llm,
                    ungrounded=1 * llm,
                    call_seconds=[] if warm or not llm else [1.0, 2.0],
                ),
                run=RunInfo(
                    prompt="statistics-v1",
                    schema_name="statistics",
                    schema_hash="0123abcd",
                    mode="json",
                    version="0.1.0",
                ),
            )


def test_config_adds_regex_baseline_and_resolves_paths(project: Path) -> None:
    cfg = load_config(project)
    assert [(n, o.model) for n, o in cfg.runs] == [("regex", "regex"), ("fake-llm", "fake-model")]
    assert cfg.runs[1][1].chunk_chars == 500
    assert cfg.sets[0].inputs == [project.parent / "articles"] and cfg.out == project.parent / "out"


def test_repo_compare_toml_parses() -> None:
    cfg = load_config(Path(__file__).parents[2] / "evals" / "compare.toml")
    assert cfg.runs[0][0] == "regex" and len({n for n, _ in cfg.runs}) == len(cfg.runs)
    main, *probes = cfg.sets
    assert main.gold.name == "gold" and all(
        p.parent.name == "shared" or p.parent.name == "articles" for p in main.inputs
    )
    assert main.split is None and [s.split for s in probes] == [
        "probe-dev",
        "probe-dev2",
        "probe-dev3",
        "probe-dev4",
        "probe-dev5",
        "probe-dev6",
        "probe-dev7",
        "probe-dev8",
        "probe-dev9",
        "probe-holdout",
        "probe-holdout2",
        "probe-holdout3",
        "probe-holdout4",
        "probe-holdout5",
        "probe-holdout6",
    ]
    for s in cfg.sets:  # every set's runs resolve its periods against its own dates file
        assert s.published_from is not None and s.published_from.is_file(), s.name
        assert all(any(p.parent.glob(p.name)) for p in [s.gold, *s.inputs]), s.name


def test_compare_writes_report_folder(project: Path) -> None:
    runner = FakeRunner(project.parent)
    scores = compare(project, runner=runner)
    out = project.parent / "out"
    assert [m for _, m in runner.seen] == ["regex", "fake-model"]
    assert runner.seen[0][0] == [str(project.parent / "articles")]
    for name in (
        "report.md",
        "report.html",
        "samples.jsonl",
        "scores.json",
        "runs/regex.jsonl",
        "runs/fake-llm.jsonl",
        "docs/a1.html",
        "docs/a2.html",
        "plots/f1_vs_cost.svg",
    ):
        assert (out / name).exists(), name

    regex, llm = scores["runs"]["regex"], scores["runs"]["fake-llm"]
    assert regex["quality"]["levels"]["strict"]["recall"] == pytest.approx(4 / 6)
    assert llm["quality"]["levels"]["value"]["precision"] == pytest.approx(6 / 8)
    assert llm["quality"]["taxonomy"]["chrome"] == 1 and llm["quality"]["taxonomy"]["spurious"] == 1
    assert "delta_core" not in regex["quality"]
    assert llm["quality"]["delta_core"]["delta"] > 0
    for run in (regex, llm):  # the splits partition the documents and their counts
        splits = run["quality"]["splits"]
        assert set(splits) == {"tune", "validation"}
        assert sum(part["documents"] for part in splits.values()) == 2
        for level, whole in run["quality"]["levels"].items():
            assert sum(part["levels"][level]["tp"] for part in splits.values()) == whole["tp"]
        tune = splits["tune"]  # every document is in tune: the same attribute accuracies
        assert tune["attributes"] == run["quality"]["attributes"] and "dates" in tune["attributes"]
    assert all("delta_core" in part for part in llm["quality"]["splits"].values())
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "tune split (2 documents)" in html  # both fixture ids fall in tune by the rule
    assert "validation split" not in html  # a split with no documents has no table
    usage = llm["usage"]
    assert usage["cost_usd"] == pytest.approx((2000 * 1.0 + 400 * 2.0) / 1e6)
    assert usage["ungrounded_rate"] == pytest.approx(2 / (2 + 8))
    assert usage["first_try_valid_rate"] == 0.5 and usage["call_p50"] == 1.5
    assert regex["usage"]["first_try_valid_rate"] is None and regex["usage"]["cost_usd"] == 0

    samples = [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]
    for run in ("regex", "fake-llm"):
        rows = [s for s in samples if s["run"] == run]
        assert sum(s["gold"] is not None for s in rows) == 6  # every gold statistic exactly once
    missed = [s for s in samples if s["error"] == "missed"]
    assert {s["gold"]["surface"] for s in missed} == {"39.4万起", "3291亿元"}
    assert all(s["pred"] is None and s["level"] is None for s in missed)

    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| fake-llm |" in md and "ΔF1 core vs regex" in md and "plots/f1_vs_cost.svg" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="matrix-table"' in html and html.count("<svg") == 2
    assert "0123abcd" in html and '"scipy"' in html and '"chunk_chars": 500' in html


def test_article_text_is_escaped_and_spans_highlighted(project: Path) -> None:
    compare(project, runner=FakeRunner(project.parent))
    page = (project.parent / "out" / "docs" / "a1.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;pwn&#x27;)&lt;/script&gt;" in page
    assert '<mark class="m-strict"' in page and '<mark class="e-missed"' in page
    assert '<mark class="e-chrome"' in page
    assert 'id="run-regex"' in page and 'id="run-fake-llm"' in page
    assert "gold: 破获电信网络诈骗案件 = 394000" in page  # attributes in the tooltip


def test_rerun_with_warm_cache_gives_same_scores(project: Path) -> None:
    runner = FakeRunner(project.parent)
    first = compare(project, runner=runner)
    second = compare(project, runner=runner)
    for name in ("regex", "fake-llm"):
        assert second["runs"][name]["quality"] == first["runs"][name]["quality"]
    assert first["runs"]["fake-llm"]["usage"]["calls"] == 4
    assert second["runs"]["fake-llm"]["usage"]["calls"] == 0
    assert second["runs"]["fake-llm"]["usage"]["cached_calls"] == 4


def test_compare_command_codes(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = FakeRunner(project.parent)
    monkeypatch.setattr(compare_mod, "default_runner", runner)
    other = project.parent / "elsewhere"
    assert compare_command(project, other) == 0
    assert (other / "report.html").exists() and "report:" in capsys.readouterr().out

    def broken(inputs: Sequence[str], options: RunOptions) -> Iterator[DocumentRecord]:
        if options.model != "regex":
            raise RuntimeError("no server")
        yield from runner(inputs, options)

    monkeypatch.setattr(compare_mod, "default_runner", broken)
    assert compare_command(project, other) == 1
    assert "no server" in (other / "report.html").read_text(encoding="utf-8")

    project.write_text(CONFIG + '\n[[runs]]\nname = "x"\nmodle = "typo"\n', encoding="utf-8")
    assert compare_command(project, other) == 2
    assert "modle" in capsys.readouterr().err
    project.write_text(CONFIG.replace("fake-model = {", "fake-model = 3 #"), encoding="utf-8")
    assert compare_command(project, other) == 2
    assert "prices.fake-model" in capsys.readouterr().err


def test_report_never_shows_an_api_key(project: Path) -> None:
    project.write_text(
        CONFIG.replace('strategy = "free"', 'strategy = "free"\napi_key = "sk-X1"'),
        encoding="utf-8",
    )
    compare(project, runner=FakeRunner(project.parent))
    out = project.parent / "out"
    for name in ("report.html", "report.md", "scores.json"):
        assert "sk-X1" not in (out / name).read_text(encoding="utf-8")


def test_regex_pipeline_end_to_end(project: Path) -> None:
    """The real regex baseline through compare: deterministic, no model calls."""
    if importlib.util.find_spec("llm_extract.pipeline") is None:
        pytest.skip("llm_extract.pipeline not written yet")
    pipeline = importlib.import_module("llm_extract.pipeline")
    out = project.parent / "real"
    project.write_text(CONFIG.split("[[runs]]")[0], encoding="utf-8")
    first = compare(project, out, runner=pipeline.run_documents)
    second = compare(project, out, runner=pipeline.run_documents)
    assert first["runs"]["regex"]["quality"] == second["runs"]["regex"]["quality"]
    assert second["runs"]["regex"]["usage"]["calls"] == 0


def test_compare_over_part_of_the_corpus_scores_that_part(project: Path) -> None:
    """Gold documents that are not among the inputs are left out, not counted as all missed."""
    project.write_text(CONFIG.replace('["articles"]', '["articles/a2.txt"]'), encoding="utf-8")

    class OneDoc(FakeRunner):
        def __call__(self, inputs: Sequence[str], options: RunOptions) -> Iterator[DocumentRecord]:
            return (r for r in super().__call__(inputs, options) if r.doc_id == "a2")

    told: list[str] = []
    scores = compare(project, runner=OneDoc(project.parent), notify=told.append)
    regex = scores["runs"]["regex"]["quality"]
    assert regex["levels"]["value"]["recall"] == pytest.approx(1 / 2)  # a2's 2 gold, 1 found
    assert sum(p["documents"] for p in regex["splits"].values()) == 1
    assert "compare: 1 of 2 gold documents are among the inputs" in told
    assert "tune split (1 documents)" in (project.parent / "out" / "report.md").read_text()
    assert not (project.parent / "out" / "docs" / "a1.html").exists()


def test_the_publication_dates_file_covers_every_development_gold_document() -> None:
    root = Path(__file__).parents[2]
    rows = (root / "evals" / "published.csv").read_text("utf-8").splitlines()
    dated = {row.split(",")[0] for row in rows[1:]}
    gold = {p.stem for p in (root / "evals" / "gold").glob("d*.jsonl")}
    assert rows[0] == "id,published" and gold <= dated


SECOND_SET = """
[[sets]]
name = "extra"
gold = "gold2"
inputs = ["articles2"]
published_from = "dates2.csv"
"""


def test_a_further_set_is_run_with_its_dates_and_reported_as_its_own_part(project: Path) -> None:
    """`[[sets]]`: its documents form one split named after it, beside tune and validation."""
    root = project.parent
    for folder in ("articles2", "gold2"):
        (root / folder).mkdir()
    (root / "articles" / "a2.txt").rename(root / "articles2" / "a2.txt")
    (root / "gold" / "a2.jsonl").rename(root / "gold2" / "a2.jsonl")
    (root / "dates2.csv").write_text("id,published\na2,2024-12-05\n", encoding="utf-8")
    project.write_text(CONFIG + SECOND_SET, encoding="utf-8")

    class BySet(FakeRunner):
        dates: list[Path | None] = []

        def __call__(self, inputs: Sequence[str], options: RunOptions) -> Iterator[DocumentRecord]:
            self.dates.append(options.published_from)
            folder = Path(inputs[0]).name
            docs = super().__call__(inputs, options)
            return (r for r in docs if (r.doc_id == "a2") == (folder == "articles2"))

    runner = BySet(root)
    scores = compare(project, runner=runner)
    splits = scores["runs"]["regex"]["quality"]["splits"]
    assert list(splits) == ["tune", "validation", "extra"]
    assert [splits[k]["documents"] for k in splits] == [1, 0, 1]
    assert splits["extra"]["levels"]["value"]["recall"] == pytest.approx(1 / 2)
    assert splits["tune"]["levels"]["value"]["recall"] == pytest.approx(3 / 4)
    assert runner.dates == [None, root / "dates2.csv"] * 2  # per run: the main set, then extra
    assert "extra split (1 documents)" in (root / "out" / "report.md").read_text()


def test_sets_with_the_same_document_are_refused(project: Path) -> None:
    project.write_text(CONFIG + SECOND_SET.replace("gold2", "gold"), encoding="utf-8")
    (project.parent / "articles2").mkdir()
    with pytest.raises(ValueError, match="already in another set"):
        compare(project, runner=FakeRunner(project.parent))


def test_inputs_given_as_a_glob_score_every_gold_document_they_match(project: Path) -> None:
    """The repo's config names the articles by a pattern (`../shared/articles/*.txt`)."""
    project.write_text(CONFIG.replace('["articles"]', '["articles/*.txt"]'), encoding="utf-8")
    told: list[str] = []
    scores = compare(project, runner=FakeRunner(project.parent), notify=told.append)
    assert scores["runs"]["regex"]["quality"]["documents"] == 2
    assert not [t for t in told if "gold documents are among the inputs" in t]
