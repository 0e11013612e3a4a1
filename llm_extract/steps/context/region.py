"""Regions: places and scope words, region mentions and the region of a number."""

from __future__ import annotations

import re

from .index import _SHARE_OF, LANG, Position, Spans, _both, _trie

_PL = LANG.places
_PLACES = _both(_PL["places"])
_PLACE = _trie(_PLACES)
_PLACE_SUFFIX = _PL["place_suffix"]
_SCOPES = _both(_PL["scopes"])
# One literal alternation first, so that the regex engine can skip by first character.
_REGION = re.compile(
    rf"{_trie(_SCOPES + _PLACES)}{_PLACE_SUFFIX}"
    rf"(?:{_PLACE}{_PLACE_SUFFIX}){{0,2}}"
)
_SCOPE_SET = frozenset(_SCOPES)
_NOT_PLACE_AFTER = re.compile(  # datelines, media names, enumerations of places
    r"[ \u3000]?(?:" + "|".join(_PL["not_place_after"]) + ")"
)
_RANKING_FIELD = re.compile(_PL["ranking_field"])
_LEDE_REGION_LINES = 3
_PLACE_BOUND = re.compile(_PL["place_bound"])


def bound_end(text: str, start: int, end: int) -> int:
    """The end of a place mention with the body of it that follows (`青岛港`, `浦东机场`)."""
    if text[start:end] in _SCOPE_SET:
        return end
    bound = _PLACE_BOUND.match(text, end)
    return bound.end() if bound else end


class RegionRules:
    """Region mentions (and every place name, for local agencies) and a number's region."""

    text: str
    regions: Spans
    _places: dict[int, int]  # end -> start of every place name
    _lede_region_end: int

    def _find_regions(self) -> Spans:
        spans, text = Spans(), self.text
        for m in _REGION.finditer(text):
            start, end, word = m.start(), m.end(), m.group()
            if _RANKING_FIELD.match(text, end):
                continue  # 在全国沿海主要港口中位居前列: what it ranks among, not where
            if _SHARE_OF.search(text, max(0, start - 3), start):
                continue  # 占全国的5.9%: the whole a share is of, not where
            if word[:2] in _SCOPE_SET:
                if text[start + 2 : start + 3] not in ("第", "首"):  # 全国第一 is a rank
                    spans.add(start, start + 2, word[:2])
                continue
            self._places[end] = start
            if not _NOT_PLACE_AFTER.match(text, end):
                spans.add(start, end, word)
        return spans

    def _region(self, pos: Position) -> str | None:
        """The nearest region before the number in its paragraph, else the lede's first."""
        start, ps = pos.start, pos.paragraph_start
        r = self.regions
        i = r.last(start, ps)
        if i >= 0:
            return r.texts[i]
        return r.texts[0] if r.starts and r.starts[0] < self._lede_region_end else None
