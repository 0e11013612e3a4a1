"""Cleaning of news pages into article text, with a map back to the original offsets.

The extractor reads `CleanText.text`; every offset written out must point into
`CleanText.original`, the decoded file. Each cleaning step looks at the current text and
returns either a same-length string (a 1:1 character mapping, e.g. full-width digits) or a
sorted list of edits `(start, end, replacement)`. Applying edits yields the next text and a
`_Layer`: the pieces of the new text, each either a run copied from the old text or a
replacement standing for an old span. `CleanText.to_original` walks the layers back with
`bisect`, so a clean span maps to the smallest original span covering exactly its characters.

Steps, in order: line separators, YAML front matter (its `title:` value is kept as the first
line), a leading " date YYYY-MM-DD " prefix, script/style/nav... blocks and comments, tags
(block tags become line breaks), entities, Markdown images/links (and for `md` headings and
bold), inline pinyin after Hanzi, full-width and space characters, financial numerals
(壹萬貳仟 -> 一萬二千), invisible characters,
spaces between digits and Hanzi, and finally the line pass: page chrome lines, photo
credits and captions, repeated captions/banners, trailing sidebars and footers, per-line
stripping and blank-line collapsing.

Modules: `offsets` (edits, `_Layer`, `CleanText`), `head` (front matter, date prefix),
`markup` (HTML and Markdown), `pinyin`, `chars` (separators, full-width, invisible, spaces),
`chrome` (page chrome and sidebar lines) and `lines` (the line pass).
"""

from __future__ import annotations

from .chars import (
    _digit_han_spaces,
    _dot_decimals,
    _financial_numerals,
    _invisible,
    _line_separators,
    _normalize_chars,
)
from .head import _date_prefix, _front_matter
from .lines import _is_body as _is_body
from .lines import _lines, dateline_before
from .markup import (
    _drop_blocks,
    _entities,
    _html_tags,
    _known_tags,
    _markdown_bold,
    _markdown_headings,
    _markdown_links,
)
from .offsets import CleanText, Edit, Step, _apply, _Layer
from .pinyin import _pinyin

__all__ = ["CleanText", "Edit", "Step", "clean", "wire_items"]


def clean(text: str, fmt: str) -> CleanText:
    """Clean `text` (format 'txt', 'md' or 'html') for extraction, keeping the offset map."""
    current = text
    layers: list[_Layer] = []
    for step in _pipeline(fmt):
        result = step(current)
        if isinstance(result, str):
            if len(result) != len(current):
                raise AssertionError(f"{step.__name__} changed the length")
            current = result
            continue
        current, layer = _apply(current, result)
        if layer is not None:
            layers.append(layer)
    return CleanText(current, text, layers)


def wire_items(cleaned: CleanText) -> frozenset[int]:
    """Clean offsets where a wire item opens after the first (its dateline was cut): a period
    does not carry into it."""
    return frozenset(sorted(cleaned.paragraphs_after(dateline_before))[1:])


def _pipeline(fmt: str) -> list[Step]:
    markup: list[Step] = [_drop_blocks, _html_tags if fmt == "html" else _known_tags]
    markdown: list[Step] = [_markdown_headings, _markdown_bold] if fmt == "md" else []
    return [
        _line_separators,
        _front_matter,
        _date_prefix,
        *markup,
        _entities,
        _markdown_links,
        *markdown,
        _pinyin,
        _normalize_chars,
        _dot_decimals,
        _financial_numerals,
        _invisible,
        _digit_han_spaces,
        _lines,
    ]
