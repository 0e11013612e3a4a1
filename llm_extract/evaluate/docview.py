"""Per-document pages: the article with every gold and predicted statistic highlighted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from llm_extract.evaluate.samples import Sample
from llm_extract.evaluate.score import DocScore
from llm_extract.evaluate.templates import LABELS, SELECT_JS, legend, page
from llm_extract.records import Statistic

PRIORITY = list(LABELS)  # earlier wins the colour where spans overlap


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "_"


def describe(stat: Statistic) -> str:
    value = f"{stat.value}" + (f"–{stat.value_max}" if stat.value_max is not None else "")
    return (
        f"{stat.metric} = {value} {stat.unit} [{stat.kind}] «{stat.surface}»\n"
        f"  period: {stat.period or '—'} · region: {stat.region or '—'} · "
        f"agency: {stat.agency or '—'} · approx: {'yes' if stat.approx else 'no'}"
    )


def tooltip(sample: Sample) -> str:
    lines = [LABELS[sample.css]]
    if sample.gold:
        lines.append("gold: " + describe(sample.gold))
    if sample.pred:
        lines.append("pred: " + describe(sample.pred))
    return "\n".join(lines)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str


def spans(text: str, samples: Sequence[Sample]) -> list[Span]:
    out = []
    for sample in samples:
        for stat in {(s.start, s.end): s for s in (sample.gold, sample.pred) if s}.values():
            if 0 <= stat.start < stat.end <= len(text):
                out.append(Span(stat.start, stat.end, sample.css, tooltip(sample)))
    return out


def annotate(text: str, samples: Sequence[Sample]) -> str:
    """HTML-escaped text with <mark> around each span (colour by class, details in title)."""
    marks = spans(text, samples)
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    pieces = []
    for a, b in pairwise(bounds):
        chunk = escape(text[a:b])
        cover = [m for m in marks if m.start <= a and b <= m.end]
        if not cover:
            pieces.append(chunk)
            continue
        best = min(cover, key=lambda m: PRIORITY.index(m.css))
        title = "\n\n".join(dict.fromkeys(m.title for m in cover))
        pieces.append(f'<mark class="{best.css}" title="{escape(title)}">{chunk}</mark>')
    return "".join(pieces)


def sample_table(samples: Sequence[Sample]) -> str:
    rows = []
    for s in samples:
        cells = [f'<span class="swatch {s.css}"></span>{escape(LABELS[s.css])}']
        for stat in (s.gold, s.pred):
            cells.append(
                escape(f"{stat.surface} → {stat.value} {stat.unit} · {stat.metric}")
                if stat
                else "—"
            )
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "<tr><th>class</th><th>gold</th><th>prediction</th></tr>"
    return f'<table class="samples"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def doc_page(
    doc_id: str, text: str | None, runs: Sequence[tuple[str, DocScore, list[Sample]]]
) -> str:
    """One HTML page for a document, a section per run, selectable from a drop-down."""
    options = "".join(f'<option value="run-{slug(n)}">{escape(n)}</option>' for n, _, _ in runs)
    nav = " ".join(f'<a href="#run-{slug(n)}">{escape(n)}</a>' for n, _, _ in runs)
    body = [
        f'<p><a href="../report.html">← report</a></p><h1>{escape(doc_id)}</h1>',
        '<p class="sub">Hover a highlighted number for its gold and predicted attributes.</p>',
        legend(),
        f'<p><label>Run: <select id="run-select"><option value="">all runs</option>{options}'
        f'</select></label> <nav class="runs">{nav}</nav></p>',
    ]
    for name, doc, samples in runs:
        core = doc.prf("core")
        body.append(
            f'<section class="run" id="run-{slug(name)}"><h2>{escape(name)}</h2>'
            f'<p class="sub">core F1 {100 * core.f1:.1f} · gold {core.n_gold} · '
            f"predicted {core.n_pred} · matched {core.tp} · ungrounded {doc.ungrounded}</p>"
        )
        if text is None:
            body.append('<p class="note">Article text not found; statistics only.</p>')
        else:
            body.append(f'<pre class="article">{annotate(text, samples)}</pre>')
        body.append(sample_table(samples) + "</section>")
    return page(f"{doc_id} — llm-extract", "".join(body), SELECT_JS)
