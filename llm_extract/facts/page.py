"""facts.html: a row per fact, conflicts first, each source's sentence with the number marked;
and a page per article with its statements marked, linked both ways."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from ..evaluate.docview import slug
from ..evaluate.templates import page
from ..records import Fact, FactSource, FactStatus, tidy_number

DOCS = "facts_docs"  # the article pages' folder, beside the facts page

CSS = """
.st { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; }
.st-conflict { background: #ffd1d1; } .st-rounded { background: #fff0b3; }
.st-agree { background: #c9ecb4; } .st-single { background: #e8ebef; }
table.facts td, table.facts th { text-align: left; }
table.facts ul { margin: 0; padding-left: 16px; }
mark.f-conflict { background: #ffb3b3; } mark.f-rounded { background: #ffe58a; }
mark.f-agree { background: #b7e4a8; } mark.f-single { background: #e2e6ea; }
"""


FILTER_JS = """
document.getElementById('status-select').addEventListener('change', function (e) {
  var want = e.target.value;
  document.querySelectorAll('tr.fact').forEach(function (row) {
    var several = !row.classList.contains('single');
    row.hidden = want === 'several' ? !several : want !== '' && !row.classList.contains(want);
  });
});
"""


def _number(value: float) -> str:
    return f"{tidy_number(value):,}"


def _value(value: float, value_max: float | None, unit: str) -> str:
    upper = f"–{_number(value_max)}" if value_max is not None else ""
    return f"{_number(value)}{upper} {unit}"


def _sentence(source: FactSource, css: str) -> str:
    """The evidence, escaped, with the surface marked (its first occurrence)."""
    at = source.evidence.find(source.surface)
    if at < 0:
        return escape(source.evidence)
    head, tail = source.evidence[:at], source.evidence[at + len(source.surface) :]
    return f'{escape(head)}<mark class="{css}">{escape(source.surface)}</mark>{escape(tail)}'


def _source_item(fact: Fact, source: FactSource, linked: bool) -> str:
    name = escape(source.doc_id)
    if linked:
        name = f'<a href="{DOCS}/{slug(source.doc_id)}.html#s{source.start}">{name}</a>'
    when = f" · {escape(source.published)}" if source.published else ""
    said = escape(f"{source.metric} · {source.period or '—'} · {source.region or '—'}")
    return (
        f"<li><b>{name}</b>{when}: {_sentence(source, 'f-' + fact.status.value)}"
        f"<br><small>{said} → {escape(_value(source.value, source.value_max, fact.unit))}"
        f"</small></li>"
    )


def facts_page(facts: Sequence[Fact], linked: set[str]) -> str:
    """The review page; sources of documents in `linked` link to their article page."""
    counts = Counter(fact.status for fact in facts)
    summary = " · ".join(f"{counts[s]} {s.value}" for s in FactStatus)
    rows = []
    for fact in facts:
        dates = (
            f"<small>{escape(fact.period_start or '…')} – {escape(fact.period_end)}</small>"
            if fact.period_end
            else ""
        )
        sources = "".join(_source_item(fact, s, s.doc_id in linked) for s in fact.sources)
        rows.append(
            f'<tr id="{fact.fact_id}" class="fact {fact.status.value}">'
            f'<td><span class="st st-{fact.status.value}">{fact.status.value}</span></td>'
            f"<td>{escape(fact.metric)}</td>"
            f"<td>{escape(_value(fact.value, fact.value_max, fact.unit))}</td>"
            f"<td>{escape(fact.period or '—')}{dates}</td>"
            f"<td>{escape(fact.region or '—')}</td><td>{fact.n_sources}</td>"
            f"<td><ul>{sources}</ul></td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("status", "metric", "value", "period", "region", "sources", "statements")
    )
    body = (
        f"<style>{CSS}</style><h1>Facts</h1>"
        f'<p class="sub">{len(facts)} facts from '
        f"{len({s.doc_id for f in facts for s in f.sources})} documents: {summary}. "
        "Conflicts first: their values are incompatible at the precision written.</p>"
        '<p><label>Show: <select id="status-select"><option value="">all facts</option>'
        '<option value="several">several sources</option>'
        + "".join(f'<option value="{s.value}">{s.value}</option>' for s in FactStatus)
        + "</select></label></p>"
        f'<table class="facts" id="facts-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return page("llm-extract facts", body, FILTER_JS)


def article_page(
    doc_id: str, text: str, marks: Sequence[tuple[FactSource, Fact]], back: str
) -> str:
    """The article, escaped, each statement marked by its fact's status and linked to it."""
    spans = sorted(
        ((s.start, s.end, f) for s, f in marks if 0 <= s.start < s.end <= len(text)),
        key=lambda span: span[0],
    )
    pieces, at = [], 0
    for start, end, fact in spans:
        if start < at:
            continue  # overlapping statements: the first is marked
        title = escape(
            f"{fact.status.value}: {fact.metric} = {_value(fact.value, fact.value_max, fact.unit)}"
        )
        pieces.append(escape(text[at:start]))
        pieces.append(
            f'<a href="../{back}#{fact.fact_id}"><mark id="s{start}" '
            f'class="f-{fact.status.value}" title="{title}">{escape(text[start:end])}</mark></a>'
        )
        at = end
    pieces.append(escape(text[at:]))
    body = (
        f'<style>{CSS}</style><p><a href="../{back}">← facts</a></p>'
        f'<h1>{escape(doc_id)}</h1><pre class="article">{"".join(pieces)}</pre>'
    )
    return page(doc_id, body)


def write_pages(facts: Sequence[Fact], texts: Mapping[str, str], path: Path) -> None:
    """`path` (facts.html) and facts_docs/<doc_id>.html beside it for each document with a text."""
    by_doc: dict[str, list[tuple[FactSource, Fact]]] = defaultdict(list)
    for fact in facts:
        for source in fact.sources:
            by_doc[source.doc_id].append((source, fact))
    folder = path.parent / DOCS
    linked = {doc for doc in by_doc if doc in texts}
    if linked:
        folder.mkdir(parents=True, exist_ok=True)
    for doc in sorted(linked):
        page_html = article_page(doc, texts[doc], by_doc[doc], path.name)
        (folder / f"{slug(doc)}.html").write_text(page_html, encoding="utf-8")
    path.write_text(facts_page(facts, linked), encoding="utf-8")
