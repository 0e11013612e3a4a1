"""The document head: YAML front matter and a stored-page date prefix."""

from __future__ import annotations

import re

from .offsets import Edit, _sub_edits

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FM_TITLE = re.compile(r"^title:[ \t]*(['\"]?)(.*?)\1[ \t]*\r?$", re.MULTILINE)
_FRONT_MATTER_SCAN = 20_000


def _front_matter(text: str) -> list[Edit]:
    """Remove YAML front matter at the start, keeping its title value as the first line."""
    m = _FRONT_MATTER.match(text[:_FRONT_MATTER_SCAN])
    if not m:
        return []
    title = _FM_TITLE.search(text, m.start(1), m.end(1)) if m.group(1) else None
    if not title or not title.group(2).strip():
        return [(0, m.end(), "\n")]
    return [(0, title.start(2), ""), (title.end(2), m.end(), "\n")]


_DATE_PREFIX = re.compile(r"\A\s*date \d{4}-\d{1,2}-\d{1,2}[ \t]*")


def _date_prefix(text: str) -> list[Edit]:
    """A stored-page prefix like ' date 2025-11-25 '."""
    return _sub_edits(_DATE_PREFIX, text)
