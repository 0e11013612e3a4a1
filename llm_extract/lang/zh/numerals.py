"""Values of Chinese numeral characters (both scripts)."""

from __future__ import annotations

import re

DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "两": 2,
    "兩": 2,
}
TENS = {"廿": 20, "卅": 30}  # one character for a multiple of ten
SMALL_MAGNITUDES = {"十": 10, "百": 100, "千": 1000}
MAGNITUDES = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
# 兆 is a trillion (Taiwan: `2.5兆元`) unless it opens a unit (`兆瓦`, `兆赫`): units.toml
# `mega_units`.
DECIMAL_POINTS = "．点點・·･"  # `三點五億`, `四・五萬`: between Chinese digits

# Financial numerals (大写数字, on cheques and contracts), both scripts, as the common numeral
# they stand for. Folded only inside a numeral (`steps/clean/chars.py`): 陆家嘴 and 伍先生 stay.
FINANCIAL = {
    "壹": "一",
    "贰": "二",
    "貳": "二",
    "叁": "三",
    "參": "三",
    "肆": "四",
    "伍": "五",
    "陆": "六",
    "陸": "六",
    "柒": "七",
    "捌": "八",
    "玖": "九",
    "拾": "十",
    "佰": "百",
    "仟": "千",
}

CN_DIGITS = "".join(DIGITS)  # 〇○零一二三四五六七八九两兩
_CN_RUN = re.compile(f"[{CN_DIGITS}{''.join(TENS)}十]+")


def arabic(text: str) -> str:
    """Numerals below a hundred, and digit-by-digit years, as ASCII digits in `text`:
    `十一月` -> `11月`, `廿五日` -> `25日`, `二〇二四年` -> `2024年` (dates and datelines)."""

    def value(run: str) -> str:
        if not any(c in run for c in "十廿卅"):
            return "".join(str(DIGITS[c]) for c in run)
        tens, _, units = run.replace("廿", "二十").replace("卅", "三十").partition("十")
        return str(DIGITS.get(tens, 1) * 10 + DIGITS.get(units, 0))

    return _CN_RUN.sub(lambda m: value(m.group()), text)
