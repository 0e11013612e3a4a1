"""Find statistic-like number mentions in Chinese article text (Simplified or Traditional).

`find_numbers` scans the text with one precompiled regex and does a little context work per
match: approximation markers, change verbs before the number, and the rules that reject dates,
ordinals, names and codes. `parse_number` turns a numeral string into its exact value.

Modules: `values` (numeral values, `same_value`), `pattern` (the scanner regex), `rules`
(units, kinds, approximation, change verbs, rejections) and `finder` (`NumberMention`,
`find_numbers`, `parse_number`).
"""

from __future__ import annotations

from .finder import NumberMention, find_numbers, parse_number, unit_reading
from .pattern import UNITS
from .values import same_value

__all__ = ["UNITS", "NumberMention", "find_numbers", "parse_number", "same_value", "unit_reading"]
