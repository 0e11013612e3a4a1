"""Group statements into facts: blocking, metric similarity, and one document per fact.

Two statements of different documents are linked when their unit, kind and sign agree, their
values are within a factor of 10 (the block), their periods and regions match (a period or
region one article leaves out is unknown, not different), and their metrics are alike:
character-bigram Dice of the folded phrases (Traditional → Simplified, no punctuation), 1 when
one contains the other. Values compatible at the precision written need
`SIMILAR`; incompatible ones need `SAME` — a conflict is claimed only for a metric worded
(nearly) alike, both periods worded. Links are taken best first; two groups are joined only
if they share no document (a document's own restatements are merged by `steps/merge.py`) and
every pair across them fits in period and region (a left-out period does not chain two).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations

from ..lang.textnorm import dice, fold, phrase_key
from ..records import Fact, FactStatus
from .precision import compatible
from .statements import Statement

SIMILAR = 0.5
SAME = 0.8
OVERLAP = 0.9  # share of the shorter span two resolutions of one wording must have in common
ORDER = {FactStatus.conflict: 0, FactStatus.rounded: 1, FactStatus.agree: 2, FactStatus.single: 3}


def metric_similarity(a: str, b: str) -> float:
    ka, kb = phrase_key(a), phrase_key(b)
    if not ka or not kb:
        return 0.0
    return 1.0 if ka in kb or kb in ka else dice(a, b)


def same_period(a: Statement, b: Statement, stated: bool = False) -> bool:
    """Fully resolved dates equal where both are; else the wording. A period one article
    leaves out is unknown, not different — unless `stated` (a conflict needs both worded)."""
    x, y = a.stat, b.stat
    if not x.period or not y.period:
        return not stated
    worded = phrase_key(x.period) == phrase_key(y.period)
    if a.span and b.span:
        if a.span == b.span:
            return True
        # the same relative wording (一年来) resolved against two publication days
        (a0, a1), (b0, b1) = a.span, b.span
        shared = (min(a1, b1) - max(a0, b0)).days + 1
        return worded and shared >= OVERLAP * (min(a1 - a0, b1 - b0).days + 1)
    return worded


def same_region(a: Statement, b: Statement) -> bool:
    """Equal when both articles name one (folded); a region left out is unknown."""
    x, y = phrase_key(a.stat.region), phrase_key(b.stat.region)
    return not x or not y or x == y


def _block(s: Statement) -> tuple[str, str, bool]:
    return (fold(s.stat.unit), s.stat.kind.value, s.stat.value < 0)


def _magnitude(s: Statement) -> float:
    return math.log10(abs(s.stat.value)) if s.stat.value else -math.inf


def links(items: Sequence[Statement]) -> list[tuple[float, int, int]]:
    """(similarity, i, j) for every linked pair of `items`, best first."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, s in enumerate(items):
        blocks[_block(s)].append(i)
    found = []
    for members in blocks.values():
        members.sort(key=lambda i: _magnitude(items[i]))
        for n, i in enumerate(members):
            a = items[i]
            for j in members[n + 1 :]:
                b = items[j]
                if _magnitude(b) - _magnitude(a) >= 1:
                    break
                if a.doc_id == b.doc_id or not same_region(a, b):
                    continue
                fits = compatible(a.reading, b.reading)
                if not same_period(a, b, stated=not fits):
                    continue
                score = metric_similarity(a.stat.metric, b.stat.metric)
                if score >= (SIMILAR if fits else SAME):
                    found.append((score, i, j))
    found.sort(key=lambda link: (-link[0], link[1], link[2]))
    return found


def _joinable(left: Sequence[Statement], right: Sequence[Statement]) -> bool:
    """No document twice, and every period and region fit across the two groups: a statement
    that leaves its period out must not chain two different periods into one fact."""
    if {s.doc_id for s in left} & {s.doc_id for s in right}:
        return False
    return all(same_period(a, b) and same_region(a, b) for a in left for b in right)


def clusters(items: Sequence[Statement]) -> list[list[int]]:
    """Union of the links, best first, never putting two statements of a document together."""
    root = list(range(len(items)))
    members = [[i] for i in range(len(items))]

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for _, i, j in links(items):
        ri, rj = find(i), find(j)
        if ri != rj and _joinable([items[k] for k in members[ri]], [items[k] for k in members[rj]]):
            root[rj] = ri
            members[ri] += members[rj]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[find(i)].append(i)
    return list(groups.values())


def status(group: Sequence[Statement]) -> FactStatus:
    if len(group) == 1:
        return FactStatus.single
    if len({(s.stat.value, s.stat.value_max) for s in group}) == 1:
        return FactStatus.agree
    if all(compatible(a.reading, b.reading) for a, b in combinations(group, 2)):
        return FactStatus.rounded
    return FactStatus.conflict


def _shared(values: Sequence[str | None], fallback: str | None) -> str | None:
    """The wording most sources share (compared folded); ties: `fallback`'s, if it is one."""
    counts = Counter(phrase_key(v) for v in values if v)
    if not counts:
        return None
    best = max(counts.values())
    if fallback and counts.get(phrase_key(fallback)) == best:
        return fallback
    top = next(k for k, c in counts.items() if c == best)
    return next(v for v in values if v and phrase_key(v) == top)


def make_fact(group: Sequence[Statement]) -> Fact:
    ordered = sorted(group, key=lambda s: (s.published or "", s.doc_id, s.stat.start))
    best = min(ordered, key=lambda s: s.tol / max(abs(s.stat.value), 1e-12))  # most precise
    s = best.stat
    dated = Counter((x.stat.period_start, x.stat.period_end) for x in ordered if x.stat.period_end)
    period_start, period_end = (
        max(dated, key=lambda k: (dated[k], k == (s.period_start, s.period_end)))
        if dated
        else (None, None)
    )
    keys = "|".join(f"{x.doc_id}:{x.stat.start}" for x in sorted(ordered, key=lambda x: x.key))
    return Fact(
        fact_id="f" + hashlib.sha1(keys.encode()).hexdigest()[:10],
        metric=_shared([x.stat.metric for x in ordered], s.metric) or s.metric,
        value=s.value,
        value_max=s.value_max,
        unit=s.unit,
        kind=s.kind,
        period=_shared([x.stat.period for x in ordered], s.period),
        period_start=period_start,
        period_end=period_end,
        region=_shared([x.stat.region for x in ordered], s.region),
        agency=_shared([x.stat.agency for x in ordered], s.agency),
        status=status(ordered),
        n_sources=len(ordered),
        sources=[x.as_source() for x in ordered],
    )


def build_facts(items: Sequence[Statement]) -> list[Fact]:
    """The facts of `items`: conflicts first, then rounded, agreeing and single ones; within
    a status, most sources first."""
    facts = [make_fact([items[i] for i in group]) for group in clusters(items)]
    facts.sort(key=lambda f: (ORDER[f.status], -f.n_sources, f.metric, f.value))
    return facts
