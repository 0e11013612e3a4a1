"""Regions: places and scope words, region mentions and the region of a number."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ...lang import Lexicon
from .index import _SHARE_OF, LANG, Position, Spans, _both, _trie

_PL = LANG.places
_COUNTRIES = frozenset(_both(LANG.gazetteer["countries"]))
_PLACES = _both(" ".join([_PL["places"], *LANG.gazetteer.values()]))
_SCOPES = _both(_PL["scopes"])
_NAMES = Lexicon(_SCOPES + _PLACES)
_PLACE_NAMES = Lexicon(_PLACES)
_SUFFIX = re.compile(_PL["place_suffix"])  # 省, 市, 自治区… (may be empty)
_CHAINED = 2  # places after the first (`河南焦作市武陟县`)
# The same as one regex, for patterns anchored where a place may stand (a list of places, a
# table line opening with one); too slow to scan a text with (`_mentions` does that).
# Countries are left out: a country in a list is a partner or a market (`歐洲、東協及日本`).
_HOME = [p for p in _PLACES if p not in _COUNTRIES]
_REGION = re.compile(
    rf"{_trie(_SCOPES + _HOME)}{_PL['place_suffix']}"
    rf"(?:{_trie(_HOME)}{_PL['place_suffix']}){{0,{_CHAINED}}}"
)
_SCOPE_SET = frozenset(_SCOPES)
_NOT_PLACE_AFTER = re.compile(  # datelines, media names, enumerations of places
    r"[ \u3000]?(?:" + "|".join(_PL["not_place_after"]) + ")"
)
_RANKING_FIELD = re.compile(_PL["ranking_field"])
_PARTNER_BEFORE = re.compile(_PL["partner_before"])
_LEDE_REGION_LINES = 3
_PLACE_BOUND = re.compile(_PL["place_bound"])


def _mentions(text: str) -> Iterator[tuple[int, int]]:
    """Place or scope words with their suffixes and up to two places after (`河南焦作市`)."""
    pos = 0
    while found := _NAMES.next_word(text, pos):
        start, end = found
        end = _SUFFIX.match(text, end).end()  # type: ignore[union-attr]
        for _ in range(_CHAINED):
            if (after := _PLACE_NAMES.end_at(text, end)) < 0:
                break
            end = _SUFFIX.match(text, after).end()  # type: ignore[union-attr]
        yield start, end
        pos = end


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
    _lede: Callable[[int], int]  # TextIndex: the end of the first lines

    def _find_regions(self) -> Spans:
        spans, text = Spans(), self.text
        for start, end in _mentions(text):
            word = text[start:end]
            if _RANKING_FIELD.match(text, end):
                continue  # 在全国沿海主要港口中位居前列: what it ranks among, not where
            if _SHARE_OF.search(text, max(0, start - 3), start):
                continue  # 占全国的5.9%: the whole a share is of, not where
            if _PARTNER_BEFORE.search(text, max(0, start - 1), start):
                continue  # 对美国出口: a partner or a destination, not where
            if word[:2] in _SCOPE_SET:
                if text[start + 2 : start + 3] not in ("第", "首"):  # 全国第一 is a rank
                    spans.add(start, start + 2, word[:2])
                continue
            self._places[end] = start
            if not _NOT_PLACE_AFTER.match(text, end):
                spans.add(start, end, word)
        return self._home_or_abroad(spans)

    def _home_or_abroad(self, spans: Spans) -> Spans:
        """Countries are regions only in a text whose lede names no other place or scope (news
        from abroad: `日本去年有９６４０人…`); at home they qualify a metric (`美國旅客`)."""
        lede_end = self._lede(_LEDE_REGION_LINES)
        found = zip(spans.starts, spans.ends, spans.texts, strict=True)
        if any(s < lede_end and t not in _COUNTRIES for s, _, t in found):
            kept = Spans()
            for s, e, t in zip(spans.starts, spans.ends, spans.texts, strict=True):
                if t not in _COUNTRIES:
                    kept.add(s, e, t)
            for e, s in list(self._places.items()):
                if self.text[s:e] in _COUNTRIES:
                    del self._places[e]
            return kept
        return spans

    def _region(self, pos: Position) -> str | None:
        """The nearest region before the number in its paragraph, else the lede's first scope
        word (`全市`), else its first place."""
        start, ps = pos.start, pos.paragraph_start
        r = self.regions
        i = r.last(start, ps)
        if i >= 0:
            return r.texts[i]
        lede = [t for s, t in zip(r.starts, r.texts, strict=True) if s < self._lede_region_end]
        scope = next((t for t in lede if t in _SCOPE_SET), None)  # 全市 after a headline's 洛阳
        return scope or (lede[0] if lede else None)
