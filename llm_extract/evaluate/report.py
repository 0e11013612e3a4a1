"""Render the comparison report as Markdown and as a self-contained HTML page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from typing import Any

from llm_extract.evaluate.docview import slug
from llm_extract.evaluate.plots import strip_prolog
from llm_extract.evaluate.score import ATTRIBUTES, ERRORS, LEVELS
from llm_extract.evaluate.templates import page

ERROR_HEADS = {"percent_points": "% vs pt"}
SPLIT_NOTE = (
    " The two tables below split the documents by a fixed rule (evaluate/split.py): `tune` holds"
    " the 20 documents the rules and prompts were tuned on and part of the rest; `validation`"
    " holds documents never looked at while tuning. Judge a run by its validation figures."
    " Further gold sets of the config (`[[sets]]`, e.g. the probe sets) have a table each."
)


@dataclass
class RunView:
    name: str
    options: dict[str, Any]
    quality: dict[str, Any]
    usage: dict[str, Any]
    run_info: list[dict[str, Any]]


@dataclass
class Report:
    runs: list[RunView]
    baseline: str | None
    gold_docs: int
    gold_stats: int
    plots: dict[str, str]  # file stem → SVG document
    provenance: dict[str, Any]
    failures: dict[str, str] = field(default_factory=dict)


@dataclass
class Cell:
    text: str
    sub: str = ""
    css: str = ""
    link: str | None = None


@dataclass
class Table:
    key: str
    title: str
    head: list[str]
    rows: list[list[Cell]]
    note: str = ""


def pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f}"


def num(x: float | None, fmt: str = ",.0f") -> str:
    return "—" if x is None else format(x, fmt)


def ci(bounds: list[float | None]) -> str:
    return f"[{pct(bounds[0])}, {pct(bounds[1])}]"


def pvalue(p: float) -> str:
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def mark_best(rows: list[list[Cell]], column: int, values: list[float | None]) -> None:
    known = [v for v in values if v is not None]
    if len(known) > 1 and max(known) > min(known):
        for row, v in zip(rows, values, strict=True):
            if v == max(known):
                row[column].css += " best"


def quality_table(report: Report, split: str | None = None) -> Table:
    """The quality matrix over every gold document, or over one split's."""
    rows, f1s = [], {lvl: [] for lvl in LEVELS}
    for run in report.runs:
        u = run.usage
        q = run.quality if split is None else run.quality["splits"][split]
        model = run.options.get("model")
        about = "baseline" if model == "regex" else f"{model} · {run.options.get('strategy')}"
        if u["failed"]:
            about += f" · {u['failed']} failed"
        name = Cell(run.name, about, "name")
        cells = [name]
        for lvl in LEVELS:
            s = q["levels"][lvl]
            f1s[lvl].append(s["f1"])
            cells.append(Cell(pct(s["f1"]), ci(s["ci"])))
        d = q.get("delta_core")
        if d is None or d["p"] is None:
            cells.append(Cell("baseline" if run.name == report.baseline else "—"))
        else:
            css = "pos" if d["ci"][0] > 0 else "neg" if d["ci"][1] < 0 else ""
            cells.append(Cell(f"{100 * d['delta']:+.1f}", f"{ci(d['ci'])} {pvalue(d['p'])}", css))
        cells += [
            Cell(pct(u["ungrounded_rate"])),
            Cell(pct(u["first_try_valid_rate"])),
            Cell(num(u["reasks"])),
        ]
        rows.append(cells)
    for i, lvl in enumerate(LEVELS, start=1):
        mark_best(rows, i, f1s[lvl])
    base = report.baseline or "regex"
    docs = _documents(report, split) if split else 0
    return Table(
        "matrix" if split is None else f"matrix-{split}",
        "Quality matrix" if split is None else f"Quality matrix — {split} split ({docs} documents)",
        [
            "run",
            "value F1",
            "core F1",
            "strict F1",
            f"ΔF1 core vs {base}",
            "ungrounded %",
            "first-try valid %",
            "re-asks",
        ],
        rows,
        "Micro F1 in %, 95% bootstrap CI over documents (2000 resamples). ΔF1: paired bootstrap "
        "on the same resampled documents, one-sided p for “better than the baseline”. "
        "value = value+unit+sign; core = + metric and period; strict = + region, agency, kind, "
        "approx. Ungrounded = numbers the model gave that are not in the text / all it gave."
        + (SPLIT_NOTE if split is None else ""),
    )


def attribute_table(report: Report) -> Table:
    rows = [
        [Cell(r.name, css="name"), *(Cell(pct(r.quality["attributes"][a])) for a in ATTRIBUTES)]
        for r in report.runs
    ]
    for i, a in enumerate(ATTRIBUTES, start=1):
        mark_best(rows, i, [r.quality["attributes"][a] for r in report.runs])
    return Table(
        "attributes", "Attribute accuracy among value-matched pairs (%)", ["run", *ATTRIBUTES], rows
    )


def taxonomy_table(report: Report) -> Table:
    rows = [
        [Cell(r.name, css="name"), *(Cell(str(r.quality["taxonomy"][e])) for e in ERRORS)]
        for r in report.runs
    ]
    return Table(
        "taxonomy",
        "Error taxonomy (counts)",
        ["run", *(ERROR_HEADS.get(e, e) for e in ERRORS)],
        rows,
        "magnitude: prediction = gold×10^k; % vs pt: % confused with 个百分点; sign: flipped sign "
        "(each a gold/prediction pair); missed: gold not found; spurious: prediction with no gold; "
        "chrome: spurious and outside every gold evidence clause; ungrounded: dropped by the "
        "pipeline because the number is not in the text.",
    )


def cost_table(report: Report) -> Table:
    rows = []
    for r in report.runs:
        u = r.usage
        per_k = None if u["cost_per_doc"] is None else 1000 * u["cost_per_doc"]
        rows.append(
            [
                Cell(r.name, css="name"),
                Cell(num(u["calls"])),
                Cell(num(u["cached_calls"])),
                Cell(num(u["prompt_tokens"])),
                Cell(num(u["completion_tokens"])),
                Cell(num(u["cost_usd"], ".4f")),
                Cell(num(per_k, ".3f")),
                Cell(num(u["seconds_per_doc"], ".2f")),
                Cell(num(u["call_p50"], ".2f")),
                Cell(num(u["call_p95"], ".2f")),
            ]
        )
    return Table(
        "cost",
        "Cost and speed",
        [
            "run",
            "calls",
            "cache hits",
            "prompt tok",
            "completion tok",
            "cost USD",
            "USD / 1k articles",
            "s / article",
            "p50 s / call",
            "p95 s / call",
        ],
        rows,
        "Calls are model requests actually sent; cache hits were answered from the on-disk cache. "
        "A re-run with a warm cache makes 0 calls and gives the same scores.",
    )


def docs_table(report: Report) -> Table:
    runs = report.runs
    ids = [d["doc_id"] for d in runs[0].quality["docs"]] if runs else []
    rows = []
    for k, doc_id in enumerate(ids):
        n_gold = runs[0].quality["docs"][k]["n_gold"]
        cells = [Cell(doc_id, css="name", link=f"docs/{slug(doc_id)}.html"), Cell(str(n_gold))]
        for r in runs:
            d = r.quality["docs"][k]
            cells.append(Cell(pct(d["f1"]["core"]), f"{d['n_pred']} predicted"))
        rows.append(cells)
    return Table(
        "docs",
        "Per-document core F1 (%)",
        ["document", "gold", *(r.name for r in runs)],
        rows,
        "Open a document to see its text with every statistic highlighted.",
    )


def _splits(report: Report) -> list[str]:
    return list(report.runs[0].quality["splits"]) if report.runs else []


def _documents(report: Report, split: str) -> int:
    return report.runs[0].quality["splits"][split]["documents"] if report.runs else 0


def tables(report: Report) -> list[Table]:
    """The report's tables; a split with no documents among the inputs has none."""
    return [
        quality_table(report),
        *(quality_table(report, split) for split in _splits(report) if _documents(report, split)),
        attribute_table(report),
        taxonomy_table(report),
        cost_table(report),
        docs_table(report),
    ]


def html_table(table: Table) -> str:
    head = "".join(
        f'<th class="{"name" if i == 0 else ""}">{escape(h)}</th>' for i, h in enumerate(table.head)
    )
    body = []
    for row in table.rows:
        tds = []
        for c in row:
            text = escape(c.text)
            if c.link:
                text = f'<a href="{escape(c.link)}">{text}</a>'
            sub = f'<span class="ci">{escape(c.sub)}</span>' if c.sub else ""
            tds.append(f'<td class="{c.css.strip()}">{text}{sub}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (
        f'<h2 id="{table.key}">{escape(table.title)}</h2><table id="{table.key}-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"
    )


_MD_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]|#"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
)


def md_escape(text: str) -> str:
    """Text (article words, doc ids, errors) that Markdown shows as written, never as markup."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def md_table(table: Table) -> str:
    def cell(c: Cell) -> str:
        text = f"[{md_escape(c.text)}]({c.link})" if c.link else md_escape(c.text)
        text = f"**{text}**" if "best" in c.css else text
        return f"{text} {md_escape(c.sub)}" if c.sub else text

    lines = [
        f"## {table.title}",
        "",
        "| " + " | ".join(table.head) + " |",
        "|" + "|".join(":--" if i == 0 else "--:" for i in range(len(table.head))) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines + ([""] + [table.note] if table.note else []) + [""])


PLOT_TITLES = {"f1_vs_cost": "Core F1 against cost", "f1_vs_seconds": "Core F1 against time"}


def header(report: Report) -> str:
    names = ", ".join(r.name for r in report.runs)
    return (
        f"{report.gold_docs} gold documents, {report.gold_stats} gold statistics; "
        f"runs: {names}; baseline: {report.baseline or '—'}."
    )


def provenance_md(report: Report) -> str:
    return "\n".join(
        [
            "## Repeatability",
            "",
            "```json",
            json.dumps(report.provenance, ensure_ascii=False, indent=2),
            "```",
            "",
        ]
    )


def render_markdown(report: Report) -> str:
    parts = ["# llm-extract comparison", "", header(report), ""]
    parts += [f"- **{md_escape(n)}** failed: {md_escape(e)}" for n, e in report.failures.items()]
    first, *rest = tables(report)
    parts.append(md_table(first))
    parts += [f"![{PLOT_TITLES.get(k, k)}](plots/{k}.svg)\n" for k in report.plots]
    parts += [md_table(t) for t in rest]
    parts.append(provenance_md(report))
    return "\n".join(parts)


def render_html(report: Report) -> str:
    first, *rest = tables(report)
    failures = "".join(
        f'<p class="note">Run <b>{escape(n)}</b> failed: {escape(e)}</p>'
        for n, e in report.failures.items()
    )
    plots = "".join(
        f'<figure class="plot" id="plot-{k}">{strip_prolog(svg)}</figure>'
        for k, svg in report.plots.items()
    )
    body = (
        f'<h1>llm-extract comparison</h1><p class="sub">{escape(header(report))}</p>'
        f'{failures}{html_table(first)}<h2 id="plots">Quality against cost and time</h2>'
        f'<div class="plots">{plots}</div>'
        + "".join(html_table(t) for t in rest)
        + '<h2 id="repeatability">Repeatability</h2><pre>'
        + escape(json.dumps(report.provenance, ensure_ascii=False, indent=2), quote=False)
        + "</pre>"
    )
    return page("llm-extract comparison", body)
