"""The scanner: one precompiled regex for every candidate number mention.

Groups: `sign`; the lower end of a range `lo` (`lou` its percent sign, `loc` its 成, `lun`/`lcur`
the unit it repeats); then `main`, one of `pc` (百分之…), a fraction (`fd`分之`fn`, `an`/`ad`),
`ch` (…成: `c1`, `c2`, `cf`, `cax`),
`streak` with `su` (连续9个月), or `num` (`magm` a magnitude) with `big`, `ax` (多/余) and `unit`.
"""

from __future__ import annotations

import re

from .values import _CN_DIGITS, _LANG, _MAGNITUDES, _U

_UNIT_WORDS = [u for alts in _U["units"] for u in alts.split("|")]
# A magnitude opening a unit of the pack is the unit's: `300兆瓦` is megawatts, `2.5兆元` 2.5
# trillion.
_MAG = "(?:{})".format(
    "|".join(
        re.escape(m) + "".join(f"(?!{re.escape(u[1:])})" for u in _UNIT_WORDS if u[0] == m)
        for m in _MAGNITUDES
    )
)
_POINTS = _LANG.decimal_points
_STREAK_VERB = f"[{_U['duration']['streak_verbs']}]"  # 連升六個月
_SP = r"[ \u00a0\u3000]?"
_AD = "0-9０-９"
# Thousands grouped by commas (`14,178`) or, as Hong Kong's statistics write them, by spaces
# (`114 200人`); a space-grouped run must run into a word, so table cells (`95 780 -12.4`) stay
# apart, and holds at most four groups, so a long run of them is read in linear time.
_SPACED = (
    rf"[{_AD}]{{1,3}}(?:[ \u00a0][{_AD}]{{3}}(?![{_AD}])){{1,4}}+(?:[.．][{_AD}]++)?+"
    rf"(?=[ \u00a0]?[^\s{_AD}.．,，、；;)）\-−+])"
)
_ANUM = rf"(?:{_SPACED}|[{_AD}]++(?:,[{_AD}]{{3}}(?![{_AD}]))*+(?:[.．][{_AD}]++)?+)"
_SMALL_MAG = r"(?:十|百(?!分)|千(?![瓦克米]))"
_CRUN = rf"(?:[{_CN_DIGITS}廿卅]|{_SMALL_MAG})++(?:[.{_POINTS}][{_CN_DIGITS}]++)?+"
_SECTION = rf"(?:{_ANUM}{_SMALL_MAG}?|{_CRUN})"


def _numeral(tag: str) -> str:
    """Regex of a numeral: sections joined by 万/亿 (`2億2392萬`, `廿三億四千多萬`)."""
    mag = f"(?P<mag{tag}>{_MAG})" if tag else _MAG
    return (
        rf"(?:{_SECTION}|(?<=[上逾超近]){_MAG})"
        rf"(?:(?:{_SP}[多余餘])?{_SP}{mag}{_MAG}?(?:{_SECTION})?)*+"
    )


UNITS = rf"(?:{'|'.join(_U['units'])})(?:[/／](?:{_U['per']}))?"  # a unit after a number
_CHENG = (
    r"(?P<c1>[0-9０-９]{1,2}(?:[.．][0-9０-９])?|[一二三四五六七八九十两兩])(?P<c2>[一二三四五六七八九])?"
    r"成(?![立功员員果本效绩績年都交不摄攝])(?!(?<=一成)[为為])"  # 四成為旅客 (not 统一成为)
    rf"(?P<cf>半|[0-9]{{1,2}}(?![0-9])|[{_CN_DIGITS}]{{1,2}}(?![成{_MAGNITUDES}千百十]))?"
    r"(?P<cax>[多余餘])?"
)
_STARTS = rf"0-9０-９{_CN_DIGITS}十百千廿卅{_MAGNITUDES}\-−－负負"
_SEP = rf"{_SP}[至到~～\-—－]{_SP}"
# A rate's buying and selling sides (`５６００／６０００盾`): a range, where a currency follows
_CURRENCIES = "|".join(sorted(_U["currency"], key=len, reverse=True))
_SLASH = rf"{_SP}[/／]{_SP}(?=[0-9０-９.．]+{_SP}(?:{_CURRENCIES}))"
_LOW = (
    rf"(?P<lo>{_ANUM}(?P<lou>[%％])(?={_SEP}{_ANUM}[%％])"
    # the magnitude and unit repeated: 550亿美元至570亿美元 (not 减少3 500人至380.0万人), or a
    # currency alone: 35元至40元 (not 增加约1 100人至115 300人, by one figure to another)
    rf"|{_ANUM}(?P<lmag>{_MAG}+){_SP}(?P<lun>{UNITS})(?={_SEP}{_ANUM}(?P=lmag){_SP}(?P=lun))"
    rf"|{_ANUM}(?={_SP}[^\s\d]{{0,4}}元)"  # a currency ahead (a cheap test first)
    rf"{_SP}(?P<lcur>{UNITS})(?<=元)(?={_SEP}{_ANUM}{_SP}(?P=lcur)(?![{_MAGNITUDES}]))"
    rf"|{_numeral('')}(?:(?P<loc>成)(?={_SEP}[0-9０-９.．{_CN_DIGITS}十]+(?:成|倍|[%％])))?)"
)
_PATTERN = re.compile(
    rf"(?=[{_STARTS}])"
    rf"(?<![0-9０-９A-Za-z〇○零一二三四五六七八九十百千两兩廿卅{_MAGNITUDES}.．])"
    r"(?:(?<!第)|(?<=[续續]第))"  # an ordinal, but 连续第4个月 is a streak
    r"(?<![0-9０-９][,·:：])"
    r"(?P<sign>(?<![0-9A-Za-z])[-−－]|[负負])?"
    rf"(?:{_LOW}(?:{_SEP}|{_SLASH}))?"
    r"(?P<main>"
    rf"百分之(?P<pc>{_SECTION})"
    # a fraction as a share: 三分之一, １／３ (not a date, a rate per 10万, a range of rates)
    rf"|(?P<fd>{_SECTION})分之(?P<fn>{_SECTION})"
    r"|(?<![/／-])(?P<an>[0-9０-９]{1,2})[/／](?P<ad>[0-9０-９]{1,3})"
    r"(?![0-9０-９.．万萬%％/／日月年号號])"  # not 2023/08/22
    rf"|(?P<ch>{_CHENG})"
    rf"|(?:(?<=[连連续續])|(?<=[连連续續][ \u00a0\u3000])|(?<=[续續]第)|(?<=[连連]{_STREAK_VERB}))"
    rf"(?P<streak>{_ANUM}|{_CRUN})(?P<su>{_SP}(?:[个個]?月|年|天|[个個]?季度?))"
    rf"|(?P<num>{_numeral('m')})(?P<big>(?<=[{_MAGNITUDES}千]))?(?P<ax>{_SP}[多余餘])?"
    rf"(?:{_SP}(?P<unit>{UNITS}))?(?(unit)|(?(big)|(?!)))"
    r")"
)

_R = _U["readings"]
_DURATION_WORDS = "|".join(f"(?:{word})" for word, _ in _R["duration"])
DURATION_PART = re.compile(rf"(?P<n>{_numeral('')})(?P<w>{_DURATION_WORDS})")
DURATION = re.compile(  # two or more parts: `三分二十秒`, `3小时20分钟`
    rf"(?=[0-9０-９{_CN_DIGITS}十百千廿卅])(?<![0-9０-９{_CN_DIGITS}十百千廿卅{_MAGNITUDES}.．])"
    rf"(?:{_numeral('')}(?:{_DURATION_WORDS})){{2,}}"
)
