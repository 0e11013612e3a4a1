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


_MULTIPLIERS = {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8, "兆": 1e12}
_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?\s*([十百千万亿兆]*)")


def resolution(surface: str) -> float | None:
    """Smallest step the written number can express: `39.4万` → 1000, `28.5%` → 0.1.

    Arabic digits: the finest digit group counts (`1萬4109` → 1). Chinese numerals: the place of
    the last digit (`九億兩千多萬` → 1e7, `六成四六` → 0.1). None when no number is written.
    """
    text = fold(surface)
    steps = []
    for group in _NUMBER.finditer(text):
        step = 10.0 ** -len(group.group(2) or "")
        for char in group.group(3):
            step *= _MULTIPLIERS[char]
        steps.append(step)
    return min(steps, default=None) if steps else _chinese_step(text)


_CN_DIGITS = set("零〇○一二两三四五六七八九廿卅")


def _chinese_step(text: str) -> float | None:
    if "成" in text:
        tail = text.split("成", 1)[1]
        if tail.startswith("半"):
            return 5.0
        return 10.0 ** (1 - len(tail) + len(tail.lstrip("".join(_CN_DIGITS))))
    digits = [i for i, c in enumerate(text) if c in _CN_DIGITS]
    if not digits and not any(c in _MULTIPLIERS for c in text):
        return None
    last = digits[-1] if digits else -1
    point = text.rfind(".", 0, last)
    step = 10.0 ** -sum(c in _CN_DIGITS for c in text[point : last + 1]) if point >= 0 else 1.0
    for char in text[last + 1 :]:
        if char in _MULTIPLIERS:
            step *= _MULTIPLIERS[char]
        elif char not in "多余":
            break
    return step
