"""Sentence-aware chunking of clean text, for Chinese and English.

Sentences end at 。！？；!?; (with any closing quotes or brackets), at line breaks, and at an
English full stop followed by white space; a decimal point is never a sentence end. A sentence
longer than the chunk size is cut at a clause mark (，、,：:) and, failing that, at a position that
is not inside a number or between a number and its unit. Chunks overlap by about one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lang import load_language

_LANG = load_language("zh")
_SENTENCE_END = re.compile(rf"(?:[{_LANG.sentence_ends}]+|\.(?=\s))[”’」』）)\"']*\s*|\n+")
_CLAUSE_MARK = re.compile(f"[{_LANG.clause_marks}]")
# A number with its magnitude and unit, loosely: a cut never falls inside one of these.
_NUMBER_RUN = re.compile(
    r"[-0-9０-９.．,%％○〇零一二三四五六七八九十百千万萬亿億两兩廿卅点點成余餘多]+"
    r"\s*(?:个百分点|個百分點|万人次|萬人次|人次|场次|場次|[起名人条條次元张張个個家笔筆件宗份台户倍])?"
)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of the clean text: `text == clean[start:end]`."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans covering `text` with no gaps, one per sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            spans.append((start, match.end()))
            start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _safe_cut(text: str, start: int, limit: int) -> int:
    """A cut position in (start, limit]: after a clause mark if one is late enough, else at the
    last position that does not split a number from its digits or unit."""
    window = text[start:limit]
    marks = [m.end() for m in _CLAUSE_MARK.finditer(window)]
    if marks and marks[-1] > len(window) // 2:
        return start + marks[-1]
    for run in _NUMBER_RUN.finditer(text, max(start, limit - 40), min(len(text), limit + 20)):
        if run.start() < limit < run.end() and run.start() > start:
            return run.start()
    return limit


def _pieces(text: str, size: int) -> list[tuple[int, int]]:
    """Sentences, with any sentence longer than `size` cut into safe pieces."""
    pieces: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        while end - start > size:
            cut = _safe_cut(text, start, start + size)
            pieces.append((start, cut))
            start = cut
        pieces.append((start, end))
    return pieces


def chunk_text(text: str, size: int = 900, overlap: bool = True) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `size` characters.

    With `overlap`, each chunk after the first starts with the last sentence of the one
    before (when that sentence is at most a third of `size`), so a fact that needs its
    neighbour sentence is seen whole at least once. Deterministic.
    """
    if size < 20:
        raise ValueError("chunk size must be at least 20 characters")
    pieces = _pieces(text, size)
    chunks: list[Chunk] = []
    i = 0
    while i < len(pieces):
        start, end = pieces[i]
        j = i + 1
        while j < len(pieces) and pieces[j][1] - start <= size:
            end = pieces[j][1]
            j += 1
        if text[start:end].strip():
            chunks.append(Chunk(start, end, text[start:end]))
        last_start, last_end = pieces[j - 1]
        carry = overlap and j < len(pieces) and j - 1 > i and last_end - last_start <= size // 3
        i = j - 1 if carry else j
    return chunks
