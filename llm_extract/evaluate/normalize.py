"""Text normalisation used by the scorer: script, units, periods, metric similarity, precision."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from llm_extract.lang import load_language
from llm_extract.lang.textnorm import phrase_key, similar_phrase


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def simplify(text: str) -> str:
    """NFKC + Traditional→Simplified, whitespace removed."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", _converter().convert(text))


_MAGNITUDE_PREFIX = re.compile(r"^[万亿千百十]+")
UNIT_ALIASES = {
    "成": "%",
    "百分点": "个百分点",
    "百分比": "%",
    "港币": "港元",
    "港幣": "港元",
    "元人民币": "元",
    "人民币": "元",
    "人民币元": "元",
    "块": "元",
}


def norm_unit(unit: str | None) -> str:
    """Canonical unit: t2s, magnitude prefix dropped (万人次→人次), aliases (成→%)."""
    unit = simplify(unit or "")
    if unit not in ("个百分点", "百分点"):
        unit = _MAGNITUDE_PREFIX.sub("", unit) or unit
    return UNIT_ALIASES.get(unit, unit)


def units_compatible(a: str | None, b: str | None) -> bool:
    """Equal after normalisation, or empty on one side."""
    na, nb = norm_unit(a), norm_unit(b)
    return not na or not nb or na == nb


_PUNCT = re.compile(r"[\W_]+")
_RANGE = re.compile(r"[-–—~〜至到]+")


def norm_period(period: str | None) -> str | None:
    """Canonical period: t2s, no punctuation, ranges as `1至8月` (from 1-8月, 1月至8月份), a
    year's 全年 and a bracket of days dropped."""
    if period is None:
        return None
    text = _RANGE.sub("至", simplify(period)).replace("月份", "月")
    text = re.sub(r"^(今年|本年|年内)(?=\d)", "", text)
    text = re.sub(r"(?<=年)全年度?$", "", text)  # 2023年全年 is 2023年
    text = re.sub(r"(?<=.)[（(][^（）()]*日[)）]$", "", text)  # 中秋假期（9月15日至17日）
    text = re.sub(r"^[自从](?=.+以来$)", "", text)  # 从今年以来 is 今年以来
    text = re.sub(r"(\d+)月至(\d+)月", r"\1至\2月", text)
    text = _PUNCT.sub("", text)
    return text or None


_SCOPE_PLACE = {
    phrase_key(k): phrase_key(v) for k, v in load_language("zh").places["scope_place"].items()
}


def norm_name(text: str | None) -> str | None:
    """Canonical region/agency name for containment comparison (`本港` is `香港`)."""
    if text is None:
        return None
    key = phrase_key(text)
    return _SCOPE_PLACE.get(key, key) or None


def names_match(a: str | None, b: str | None) -> bool:
    """null == null; otherwise equal, one contains the other, or one abbreviates the other
    after normalisation."""
    na, nb = norm_name(a), norm_name(b)
    if na is None or nb is None:
        return na is nb
    return na in nb or nb in na or _abbreviates(*sorted((na, nb), key=len))


def _abbreviates(short: str, full: str) -> bool:
    """`港務公司` for `臺灣港務股份有限公司`, `旅發局` for `香港旅遊發展局`: the short name's
    characters in order in the full one, ending alike (a body's word: 局, 公司)."""
    if len(short) < 3 or short[-1] != full[-1]:
        return False
    rest = iter(full)
    return all(char in rest for char in short)


def metric_similar(a: str, b: str, threshold: float = 0.5) -> bool:
    """Dice ≥ threshold, or one metric contains the other."""
    return similar_phrase(a, b, threshold)


def values_equal(pred: float, gold: float, step: float | None) -> bool:
    """Equal within 1e-9 relative tolerance, or equal when rounded to the gold's written step."""
    if abs(pred - gold) <= 1e-9 * max(abs(gold), abs(pred), 1e-12):
        return True
    if not step or (pred < 0) != (gold < 0):
        return False
    return abs(round(pred / step) * step - gold) <= 1e-9 * max(abs(gold), step)
