"""Unit tests for llm_extract.steps.check: baseline verdicts, leftover candidates, offsets."""

from __future__ import annotations

import pytest

from llm_extract.records import BaselineCheck, Candidate, Kind, Statistic
from llm_extract.steps.check import (
    baseline_verdict,
    checked_reading,
    unmatched_candidates,
    verify_offsets,
)
from llm_extract.steps.numbers import NumberMention


def mention(start, end, value, value_max=None, surface=None) -> NumberMention:
    return NumberMention(
        surface=surface or "n" * (end - start),
        start=start,
        end=end,
        value=value,
        value_max=value_max,
        unit="",
        kind="count",
        approx=False,
    )


# ------------------------------------------------------------------ baseline_verdict


def test_verdict_llm_only_without_regex():
    assert baseline_verdict(mention(0, 2, 12), None, 12) == BaselineCheck.llm_only


def test_verdict_agree():
    m = mention(0, 2, 12)
    assert baseline_verdict(m, mention(0, 2, 12.0), 12) == BaselineCheck.agree
    assert baseline_verdict(m, mention(0, 2, 12), None) == BaselineCheck.agree


def test_verdict_located_differs_from_regex():
    assert baseline_verdict(mention(0, 2, 12), mention(0, 2, 13), 12) == (
        BaselineCheck.value_differs
    )


def test_verdict_model_value_differs():
    m = mention(0, 2, 12)
    assert baseline_verdict(m, mention(0, 2, 12), 1200) == BaselineCheck.value_differs


def test_verdict_model_value_may_be_range_max():
    m = mention(0, 5, 10, value_max=20)
    assert baseline_verdict(m, mention(0, 5, 10, value_max=20), 20) == BaselineCheck.agree
    assert baseline_verdict(m, mention(0, 5, 10, value_max=20), 15) == (BaselineCheck.value_differs)


def test_verdict_tolerates_float_noise():
    m = mention(0, 3, 0.3)
    assert baseline_verdict(m, mention(0, 3, 0.1 + 0.2), 0.1 + 0.2) == BaselineCheck.agree


# ------------------------------------------------------------------ unmatched_candidates


def shift(start, end):
    return start + 100, end + 100


def test_unmatched_excludes_covered_and_maps_offsets():
    mentions = [
        mention(0, 3, 5, surface="5万吨"),
        mention(10, 13, 7.0, surface="7万元"),
        mention(20, 24, 8.5, surface="8.5%"),
        mention(30, 32, 9, surface="9个"),
    ]
    covered = [(29, 31), (0, 3)]  # unsorted; the first overlaps 30..32 partly
    out = unmatched_candidates(mentions, covered, shift)
    assert out == [
        Candidate(surface="7万元", start=110, end=113, value=7),
        Candidate(surface="8.5%", start=120, end=124, value=8.5),
    ]
    assert isinstance(out[0].value, int)  # 7.0 tidied to 7


def test_unmatched_touching_spans_do_not_overlap():
    mentions = [mention(5, 8, 1), mention(10, 12, 2)]
    out = unmatched_candidates(mentions, [(0, 5), (8, 10), (12, 20)], lambda s, e: (s, e))
    assert [(c.start, c.end) for c in out] == [(5, 8), (10, 12)]


def test_unmatched_covered_span_containing_several_mentions():
    mentions = [mention(2, 4, 1), mention(5, 7, 2), mention(12, 14, 3)]
    out = unmatched_candidates(mentions, [(0, 10)], lambda s, e: (s, e))
    assert [c.start for c in out] == [12]


def test_unmatched_nothing_covered():
    mentions = [mention(0, 1, 1), mention(3, 4, 2)]
    out = unmatched_candidates(mentions, [], shift)
    assert [(c.start, c.value) for c in out] == [(100, 1), (103, 2)]


# ------------------------------------------------------------------ verify_offsets

TEXT = "2023年全国粮食产量达69541万吨。"


def grounded(surface: str, start: int) -> Statistic:
    return Statistic(
        metric="粮食产量",
        value=69541,
        unit="万吨",
        kind=Kind.count,
        surface=surface,
        evidence=TEXT,
        start=start,
        end=start + len(surface),
    )


def test_verify_offsets_accepts_correct_spans():
    start = TEXT.index("69541万吨")
    verify_offsets([grounded("69541万吨", start)], TEXT)  # no exception
    verify_offsets([], TEXT)


def test_verify_offsets_raises_on_wrong_offset():
    start = TEXT.index("69541万吨")
    good = grounded("69541万吨", start)
    bad = grounded("69541万吨", start + 1)
    with pytest.raises(AssertionError, match="offset invariant"):
        verify_offsets([good, bad], TEXT)


def test_verify_offsets_raises_past_end_of_text():
    with pytest.raises(AssertionError):
        verify_offsets([grounded("万吨", len(TEXT))], TEXT)


READING_TEXT = "今年以来，全县共立电信网络诈骗案件133起，同比下降5%。假日期间接待游客3万人。"


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        # the reading a model shifted by one field: the value as metric, the metric as period
        ({"metric": "133起", "period": "立电信网络诈骗案件"}, {"metric": None, "period": None}),
        ({"metric": "同比下降", "period": "今年以来"}, {"metric": None, "period": "今年以来"}),
        ({"metric": "立电信网络诈骗案件", "period": "去年"}, {"period": None}),  # not in the text
        ({"metric": "接待游客", "period": "假日期间"}, {}),  # a span the grammar leaves, kept
        ({"metric": "接待游客", "period": None, "region": "全县"}, {}),
    ],
)
def test_checked_reading(fields: dict, kept: dict) -> None:
    assert checked_reading(fields, READING_TEXT) == fields | kept
