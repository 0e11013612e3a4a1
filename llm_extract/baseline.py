"""The deterministic regex baseline: every statistic-like number of the text, as the regex model.

`find_numbers` decides what is statistic-like and `assemble_statistic` turns each mention into a
record with the regex context (metric, period, region, agency, evidence sentence).
"""

from __future__ import annotations

from .assemble import assemble_statistic
from .clean import CleanText
from .context import ContextReader
from .numbers import NumberMention
from .records import Statistic


def baseline_statistics(
    clean: CleanText, reader: ContextReader, mentions: list[NumberMention]
) -> list[Statistic]:
    """Every statistic-like mention of the article body, as the regex model's output."""
    return [assemble_statistic(clean, reader, mention) for mention in mentions]
