"""Chunking: sentence-aware, number-safe, overlapping, deterministic."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from llm_extract.steps.chunk import chunk_text, split_sentences

NUMBER = re.compile(r"\d+(?:\.\d+)?\s*[万亿%]?[起名条]?")


def _assert_number_safe(text: str, chunks) -> None:
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        for cut in (chunk.start, chunk.end):
            for m in NUMBER.finditer(text):
                assert not (m.start() < cut < m.end()), (cut, m.group())


def test_decimal_point_is_not_a_sentence_end():
    text = "增长5.3%。下降3.5万起。Growth was 5.3 percent. It fell."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "增长5.3%。",
        "下降3.5万起。",
        "Growth was 5.3 percent. ",
        "It fell.",
    ]


def test_sentences_cover_text_without_gaps():
    text = "“他说：好。”她问？是的！\n\n第二段；结束"
    spans = split_sentences(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert text[spans[0][0] : spans[0][1]] == "“他说：好。”"


def test_chunks_respect_size_and_overlap_by_one_sentence():
    sentence = "全国共破获案件39.4万起，同比上升28.5%。"
    text = sentence * 40
    chunks = chunk_text(text, size=100)
    assert all(len(c.text) <= 100 for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.start < a.end  # overlap
        assert text[b.start : a.end] == sentence  # of exactly one sentence
    _assert_number_safe(text, chunks)


def test_long_sentence_is_cut_at_clause_not_inside_number():
    text = "，".join(f"第{i}项数据为12345.67万元" for i in range(30)) + "。"
    chunks = chunk_text(text, size=80)
    assert all(len(c.text) <= 80 for c in chunks)
    _assert_number_safe(text, chunks)


def test_hard_cut_never_splits_a_number():
    text = "数" * 75 + "39.4万起" + "数" * 200
    chunks = chunk_text(text, size=80)
    _assert_number_safe(text, chunks)
    assert any("39.4万起" in c.text for c in chunks)


def test_deterministic():
    text = "一。二。三。" * 100
    assert chunk_text(text, 50) == chunk_text(text, 50)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "案件",
                "39.4万起",
                "5.3%",
                "。",
                "，",
                "\n",
                "增长",
                "1,164名",
                "Sales rose 5.3%. ",
                "；",
            ]
        ),
        max_size=120,
    ),
    st.integers(min_value=20, max_value=200),
)
def test_property_chunks_cover_everything_and_keep_numbers(parts, size):
    text = "".join(parts)
    chunks = chunk_text(text, size)
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
        assert len(c.text) <= size
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    _assert_number_safe(text, chunks)
