"""HTML and Markdown to text: dropped blocks, tags, entities, links, headings and bold."""

from __future__ import annotations

import html
import re

from .offsets import Edit, _sub_edits, _words

_BLOCK_CONTENT = _words("script style noscript template svg iframe object select button")
_BLOCK_SIDEBAR = _words("nav aside footer figcaption")
_DROP_BLOCKS = re.compile(
    rf"<({'|'.join(sorted(_BLOCK_CONTENT | _BLOCK_SIDEBAR))})\b[^>]*>.*?</\1\s*>"
    r"|<!--.*?-->|<!\[CDATA\[.*?\]\]>",
    re.IGNORECASE | re.DOTALL,
)


def _drop_blocks(text: str) -> list[Edit]:
    """Remove script, style, noscript (...) and nav/aside/footer elements with their content."""
    edits = []
    for m in _DROP_BLOCKS.finditer(text):
        sidebar = m.group(1) is not None and m.group(1).lower() in _BLOCK_SIDEBAR
        edits.append((m.start(), m.end(), "\n" if sidebar else ""))
    return edits


_ATTRS = r"(?:\"[^\"]{0,2000}\"|'[^']{0,2000}'|[^'\">])*>"
_TAG = re.compile(rf"</?([A-Za-z][A-Za-z0-9:-]*){_ATTRS}|<![A-Za-z][^>]*>|<\?[^>]*>")
_ANY_TAG = rf"</?[A-Za-z][A-Za-z0-9:-]*{_ATTRS}|<![A-Za-z][^>]*>|<\?[^>]*>"
# A run of tags and HTML whitespace holding at least one tag or a line break.
_MARKUP_RUN = re.compile(
    rf"(?:{_ANY_TAG}|[ \t\r\n\f])*(?:{_ANY_TAG}|[\t\r\n\f])(?:{_ANY_TAG}|[ \t\r\n\f])*"
)
_BLOCK_TAGS = _words(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table tbody thead tfoot section article header main "
    "title blockquote pre dd dt dl hr figure form fieldset address center caption html body head"
)
_CELL_TAGS = _words("td th")
_KNOWN_TAGS = (
    _BLOCK_TAGS
    | _CELL_TAGS
    | _words(
        "a span img strong b i em u font sup sub small big label input meta link s strike ins "
        "del abbr cite q time mark wbr code source video audio picture col colgroup"
    )
)


def _html_tags(text: str) -> list[Edit]:
    """Every tag goes, and source whitespace is not layout: a run of tags and whitespace holding
    a block tag becomes one line break, else a space if it held whitespace or a cell."""
    edits = []
    for m in _MARKUP_RUN.finditer(text):
        run = m.group()
        names = {(t.group(1) or "").lower() for t in _TAG.finditer(run)}
        if names & _BLOCK_TAGS:
            rep = "\n"
        elif names & _CELL_TAGS or _has_space(run):
            rep = " "
        else:
            rep = ""
        if rep != run:
            edits.append((m.start(), m.end(), rep))
    return edits


def _has_space(run: str) -> bool:
    return any(c in run for c in " \t\r\n\f")


def _known_tags(text: str) -> list[Edit]:
    """In plain text only real HTML tag names are tags (a stray `<br />`, pasted HTML); block
    tags become line breaks, table cells a space."""
    edits = []
    for m in _TAG.finditer(text):
        name = (m.group(1) or "").lower()
        if name in _KNOWN_TAGS:
            rep = "\n" if name in _BLOCK_TAGS else " " if name in _CELL_TAGS else ""
            edits.append((m.start(), m.end(), rep))
    return edits


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entities(text: str) -> list[Edit]:
    """Decode character references: &amp; &nbsp; &#8220; ..."""
    edits = []
    for m in _ENTITY.finditer(text):
        decoded = html.unescape(m.group())
        if decoded != m.group():
            edits.append((m.start(), m.end(), decoded))
    return edits


_MD_IMAGE_OR_LINK = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|\[([^\]\n]+)\]\([^)\n]*\)")


def _markdown_links(text: str) -> list[Edit]:
    """`![alt](src)` goes; `[text](url)` is reduced to its text."""
    edits = []
    for m in _MD_IMAGE_OR_LINK.finditer(text):
        if m.group(1) is None:
            edits.append((m.start(), m.end(), ""))
        else:
            edits.append((m.start(), m.start(1), ""))
            edits.append((m.end(1), m.end(), ""))
    return edits


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)([^\n]+?)(?<=\S)\1")


def _markdown_headings(text: str) -> list[Edit]:
    return _sub_edits(_MD_HEADING, text)


def _markdown_bold(text: str) -> list[Edit]:
    edits = []
    for m in _MD_BOLD.finditer(text):
        edits.append((m.start(), m.start(2), ""))
        edits.append((m.end(2), m.end(), ""))
    return edits
