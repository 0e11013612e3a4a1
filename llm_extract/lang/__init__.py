"""Language packs: knowledge about a language as data, loaded and compiled once per process.

`load_language("zh")` returns a frozen `Language`: the character classes, numeral values and
period grammar of `lang/zh/chars.py`, `numerals.py` and `periods.py`, the TOML word lists of
`lang/zh/*.toml`, a few shared compiled regexes, and `both()` giving a word list with its
Traditional forms (generated with opencc, character by character, so offsets and lengths keep).
"""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import opencc

__all__ = ["Language", "Lexicon", "load_language", "trie"]

_TABLES = ("units", "places", "gazetteer", "words", "chrome", "script")


@dataclass(frozen=True)
class Language:
    """One language's data tables and shared compiled regexes."""

    code: str
    han: str  # regex class body of Han characters
    fullwidth: Mapping[str, str]  # full-width ASCII -> ASCII
    fullwidth_digits: Mapping[str, str]
    wide_spaces: str
    sentence_ends: str  # regex class body; a line break is added where lines end sentences
    clause_marks: str
    clause_opens: str  # what a clause-opening word follows, besides whitespace
    digits: Mapping[str, int]  # numeral character -> value
    tens: Mapping[str, int]
    small_magnitudes: Mapping[str, int]
    magnitudes: Mapping[str, int]
    decimal_points: str
    financial: Mapping[str, str]  # financial numeral (壹, 贰 ...) -> common numeral
    units: Mapping[str, Any]  # units.toml
    places: Mapping[str, Any]  # places.toml
    gazetteer: Mapping[str, str]  # gazetteer.toml: countries, cities and counties (generated)
    words: Mapping[str, Any]  # words.toml
    chrome: Mapping[str, Any]  # chrome.toml
    han_char: re.Pattern[str]
    sentence_end: re.Pattern[str]  # one sentence end or line break
    period: re.Pattern[str]  # periods.py: a reporting period as worded, group `p`
    not_period_after: re.Pattern[str]  # what after a period wording makes it none (同期, 电)
    comparison_before: re.Pattern[str]  # before a period: it is a comparison's base (比, 與…)
    year_before: re.Pattern[str]  # a year right before 同月/同季 makes it a base too
    base_of_figure: re.Pattern[str]  # 比上年119.6万件: the base's own figure, group p
    from_figure: re.Pattern[str]  # 由380.3萬人減少至…: the figure before a change, unworded
    base_clause: re.Pattern[str]  # 去年同期立案数为…: a clause stating the base, group p
    up_to_close: tuple[str, ...]  # words that may close a period opened by 截至 (止, 收盘)
    since_close: tuple[str, ...]  # …and by 自/从 (起, 开始): from then on
    since_end: tuple[str, ...]  # the endings of a period running from a start (以来, 起)
    period_key: Callable[[str], str]  # periods.py: one form for wordings of one period
    year_range: re.Pattern[str]  # `2019年至2021年`, groups: first and last year
    quarter_range: re.Pattern[str]  # `去年第一至第三季`, groups y, a, b, u
    one_day: re.Pattern[str]  # one day as worded (`9月15日`, `10月1日当天`)
    day_alone: re.Pattern[str]  # a day of the month without its month (`2日`)
    near_day: re.Pattern[str]  # the reference day or the one before (`今天上午`, `昨天`)
    each_year: re.Pattern[str]  # a rate's period (`每年`), where the sentence states no other
    year_alone: re.Pattern[str]  # a year and nothing more (`2023年`): a later 全年 means it
    whole_year: tuple[str, ...]  # 全年: the whole of the year stated or pointed to
    states_figure: re.Pattern[str]  # a statistic-like figure somewhere in a paragraph
    event_since: re.Pattern[str]  # 行动开展以来: a period since an event, worded to its end
    event_during: re.Pattern[str]  # 会议期间: a period during an event, worded from its clause
    during_lead: re.Pattern[str]  # 预计运输期间: a lead word before such an event
    event_from: re.Pattern[str]  # 自/从 opening such a period inside its clause
    resolve_period: Callable[..., tuple[str | None, str | None]]  # calendar.py
    steps_back: Callable[[str | None], bool]
    pointing_kind: Callable[[str | None], str | None]  # `same` (同期), `recent` (近年)…
    is_quarter: Callable[[str | None, str | None], bool]  # ISO dates spanning one quarter
    revises: Callable[[str], bool]  # the words before a figure revise an earlier release
    compared_with: Callable[..., tuple[str | None, str | None]]
    find_published: Callable[[str], Any]  # dateline.py: date | None
    find_stated: Callable[[str, Any], Any]
    find_datelines: Callable[[str, Any], list[tuple[int, Any]]]  # each wire item's day
    _traditional: Mapping[int, str] = field(repr=False)

    @property
    def cn_digits(self) -> str:
        """The numeral digit characters, as a regex class body."""
        return "".join(self.digits)

    def traditional(self, word: str) -> str:
        """`word` in Traditional script, character by character (same length)."""
        return word.translate(self._traditional)

    def both(self, words: str | Iterable[str]) -> list[str]:
        """Space-separated words (or a list) plus their Traditional forms, longest first."""
        out = set()
        for word in words.split() if isinstance(words, str) else words:
            out.add(word)
            out.add(self.traditional(word))
        return sorted(out, key=len, reverse=True)

    def alt(self, words: str) -> str:
        """A regex matching any of the space-separated `words` or their Traditional forms."""
        return trie(self.both(words))


def trie(words: Iterable[str]) -> str:
    """A regex matching any of `words`, longest first, as a prefix tree (fast to scan)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: dict) -> str:
        alts = [re.escape(c) + walk(child) for c, child in node.items() if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(tree)


class Lexicon:
    """A long word list (thousands of place names) matched fast: one small trie regex per first
    character, tried only where the text holds one (a regex of the whole list would try every
    alternative at every character)."""

    def __init__(self, words: Iterable[str]):
        by_first: dict[str, list[str]] = {}
        for word in words:
            by_first.setdefault(word[0], []).append(word)
        self._tries = {c: re.compile(trie(ws)) for c, ws in by_first.items()}
        self._first = re.compile("[" + "".join(re.escape(c) for c in self._tries) + "]")

    def end_at(self, text: str, i: int) -> int:
        """End of the longest word starting at `i`, or -1."""
        pattern = self._tries.get(text[i : i + 1])
        m = pattern.match(text, i) if pattern else None
        return m.end() if m else -1

    def next_word(self, text: str, pos: int) -> tuple[int, int] | None:
        """(start, end) of the first word at or after `pos` (longest there), or None."""
        while m := self._first.search(text, pos):
            if (end := self.end_at(text, m.start())) > 0:
                return m.start(), end
            pos = m.start() + 1
        return None


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _traditional_table(tables: dict[str, Any], han: re.Pattern[str]) -> dict[int, str]:
    """Simplified -> Traditional for every Han character of the pack's data, by opencc."""
    script = tables["script"]
    converter = opencc.OpenCC(script["opencc"])
    chars = {c for text in _strings(tables) for c in text if han.match(c)}
    table: dict[int, str] = {}
    for char in sorted(chars - set(script["keep"])):
        out = converter.convert(char)
        if len(out) == 1 and out != char:
            table[ord(char)] = out
    return table


def load_language(code: str = "zh") -> Language:
    """The language pack `code`, loaded, converted and compiled once per process."""
    return _load(code)


@cache
def _load(code: str) -> Language:
    package = f"{__name__}.{code}"
    chars = importlib.import_module(f"{package}.chars")
    numerals = importlib.import_module(f"{package}.numerals")
    periods = importlib.import_module(f"{package}.periods")
    calendar = importlib.import_module(f"{package}.calendar")
    dateline = importlib.import_module(f"{package}.dateline")
    root = resources.files(package)
    tables = {name: tomllib.loads((root / f"{name}.toml").read_text("utf-8")) for name in _TABLES}
    han_char = re.compile(f"[{chars.HAN}]")
    return Language(
        code=code,
        han=chars.HAN,
        fullwidth=chars.FULLWIDTH,
        fullwidth_digits=chars.FULLWIDTH_DIGITS,
        wide_spaces=chars.WIDE_SPACES,
        sentence_ends=chars.SENTENCE_ENDS,
        clause_marks=chars.CLAUSE_MARKS,
        clause_opens=chars.CLAUSE_OPENS,
        digits=numerals.DIGITS,
        tens=numerals.TENS,
        small_magnitudes=numerals.SMALL_MAGNITUDES,
        magnitudes=numerals.MAGNITUDES,
        decimal_points=numerals.DECIMAL_POINTS,
        financial=numerals.FINANCIAL,
        units=tables["units"],
        places=tables["places"],
        gazetteer=tables["gazetteer"],
        words=tables["words"],
        chrome=tables["chrome"],
        han_char=han_char,
        sentence_end=re.compile(f"[{chars.SENTENCE_ENDS}\n]"),
        period=periods.PERIOD,
        not_period_after=periods.NOT_PERIOD_AFTER,
        comparison_before=periods.COMPARISON_BEFORE,
        year_before=periods.YEAR_BEFORE,
        base_of_figure=periods.BASE_OF_FIGURE,
        from_figure=periods.FROM_FIGURE,
        base_clause=periods.BASE_CLAUSE,
        up_to_close=periods.UP_TO_CLOSE,
        since_close=periods.SINCE_CLOSE,
        since_end=periods.SINCE_END,
        period_key=periods.period_key,
        year_range=periods.YEAR_RANGE,
        quarter_range=periods.QUARTER_RANGE,
        one_day=periods.ONE_DAY,
        day_alone=periods.DAY_ALONE,
        near_day=periods.NEAR_DAY,
        each_year=periods.EACH_YEAR,
        year_alone=periods.YEAR_ALONE,
        whole_year=periods.WHOLE_YEAR,
        states_figure=periods.STATES_FIGURE,
        event_since=periods.EVENT_SINCE,
        event_during=periods.EVENT_DURING,
        during_lead=periods.DURING_LEAD,
        event_from=periods.EVENT_FROM,
        resolve_period=calendar.resolve_period,
        steps_back=calendar.steps_back,
        pointing_kind=calendar.pointing_kind,
        is_quarter=calendar.is_quarter,
        revises=calendar.revises,
        compared_with=calendar.compared_with,
        find_published=dateline.find_published,
        find_stated=dateline.find_stated,
        find_datelines=dateline.find_datelines,
        _traditional=_traditional_table(tables, han_char),
    )
