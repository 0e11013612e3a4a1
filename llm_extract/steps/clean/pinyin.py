"""Pinyin noise: tone-marked romanisation in brackets after Hanzi."""

from __future__ import annotations

import re

from ...lang import load_language
from .offsets import Edit, _words

_LANG = load_language("zh")
_HAN_CHAR = _LANG.han_char

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜḿńňǹ"
_PINYIN = re.compile(f"[(（]([a-zü{_TONED}]{{1,7}})[)）]")
_NEUTRAL = _words(_LANG.chrome["pinyin_neutral"])


def _pinyin(text: str) -> list[Edit]:
    """Drop pinyin annotations: '網(wǎng)絡(luò)' -> '網絡' (not '(1)' or '(記者 張子揚)')."""
    edits = []
    for m in _PINYIN.finditer(text):
        syllable = m.group(1)
        after_han = m.start() > 0 and _HAN_CHAR.match(text, m.start() - 1) is not None
        toned = any(c in _TONED for c in syllable)
        if toned or (after_han and syllable in _NEUTRAL):
            edits.append((m.start(), m.end(), ""))
    return edits
