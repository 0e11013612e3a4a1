"""Small text normalisations shared by grounding, merging and scoring."""

from __future__ import annotations

import re

from . import load_language
from .zh.script import simplify_char, to_simplified

_FULLWIDTH = {ord(wide): ord(narrow) for wide, narrow in load_language("zh").fullwidth.items()}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20})


def fold(text: str) -> str:
    """Comparison form: full-width → ASCII, Simplified script, no white space, lower case."""
    return "".join(to_simplified(text.translate(_FULLWIDTH)).split()).lower()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`fold` that also returns, for each output character, its index in `text`."""
    chars: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text.translate(_FULLWIDTH)):
        if char.isspace():
            continue
        chars.append(simplify_char(char).lower())
        index.append(i)
    return "".join(chars), index


_PUNCT = re.compile(r"[\W_]+")


def phrase_key(text: str | None) -> str:
    """Comparison form of a phrase (metric, region, agency): `fold` without punctuation."""
    return _PUNCT.sub("", fold(text or ""))


def _bigrams(key: str) -> set[str]:
    if len(key) < 2:
        return {key} if key else set()
    return {key[i : i + 2] for i in range(len(key) - 1)}


def dice(a: str | None, b: str | None) -> float:
    """Character-bigram Dice similarity of two phrases after `phrase_key` (0..1)."""
    x, y = _bigrams(phrase_key(a)), _bigrams(phrase_key(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def similar_phrase(a: str | None, b: str | None, threshold: float = 0.5) -> bool:
    """Same phrase for our purposes: one contains the other, or Dice >= threshold."""
    ka, kb = phrase_key(a), phrase_key(b)
    if not ka or not kb:
        return False
    return ka in kb or kb in ka or dice(a, b) >= threshold
