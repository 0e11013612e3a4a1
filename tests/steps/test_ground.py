"""Grounding: exact, normalised, fuzzy; never a number that is not in the text."""

from __future__ import annotations

from llm_extract.steps.chunk import Chunk
from llm_extract.steps.ground import Grounder
from llm_extract.steps.numbers import find_numbers

TEXT = "去年破获案件20万起。今年全国破获電信詐騙案件39.4萬起，同比上升28.5%，另有20万起待查。"


def _grounder(text: str = TEXT) -> tuple[Grounder, Chunk]:
    return Grounder(text, find_numbers(text)), Chunk(0, len(text), text)


def test_exact():
    g, chunk = _grounder()
    found = g.locate("28.5%", chunk)
    assert found.grounding == "exact" and TEXT[found.mention.start : found.mention.end] == "28.5%"
    assert found.mention.value == 28.5 and found.mention.kind == "change"


def test_normalized_traditional_and_fullwidth():
    g, chunk = _grounder()
    found = g.locate("３９．４万起", chunk)
    assert found.grounding == "normalized"
    assert TEXT[found.mention.start : found.mention.end] == "39.4萬起"
    assert found.mention.value == 394000


def test_fuzzy_by_value():
    g, chunk = _grounder()
    found = g.locate("394000起", chunk)
    assert found.grounding == "fuzzy" and found.mention.surface == "39.4萬起"


def test_absent_number_is_not_grounded():
    g, chunk = _grounder()
    assert g.locate("999亿起", chunk) is None
    assert g.locate("", chunk) is None


def test_fragment_of_another_number_is_not_grounded():
    g, chunk = _grounder()
    assert g.locate("4", chunk) is None  # the 4 inside 39.4萬起 is not a statistic "4"


def test_evidence_and_taken_choose_among_repeats():
    g, chunk = _grounder()
    second = TEXT.rindex("20万起")
    found = g.locate("20万起", chunk, evidence="另有20万起待查")
    assert found.mention.start == second
    first = g.locate("20万起", chunk, taken={(second, second + 4)})
    assert first.mention.start == TEXT.index("20万起")


def test_span_is_widened_to_the_regex_mention():
    g, chunk = _grounder()
    found = g.locate("39.4萬", chunk)  # the model dropped the unit
    assert found.mention.surface == "39.4萬起" and found.mention.unit == "起"
