"""`ContextReader`: indexes one text once, then describes the context of each number."""

from __future__ import annotations

from dataclasses import dataclass

from .agency import AgencyRules
from .index import _SPACE, TextIndex, _after, _before
from .listing import line_at, read_lists
from .metric import MetricRules
from .period import PeriodRules
from .region import _LEDE_REGION_LINES, RegionRules, bound_end
from .table import read_tables


@dataclass(frozen=True, slots=True)
class Context:
    """What a number counts, for when and where, by whom, and the sentence (or, in a very long
    sentence, the clause) saying so."""

    metric: str
    period: str | None
    region: str | None
    agency: str | None
    evidence_start: int
    evidence_end: int
    period_stated: bool = False  # the period is worded in the number's own sentence


_EVIDENCE_MAX = 600  # a longer sentence (a table line, unpunctuated text) gives its clause


class ContextReader(TextIndex, PeriodRules, RegionRules, AgencyRules, MetricRules):
    """Precomputed indexes over one clean text; `describe` gives one number's context."""

    def __init__(self, text: str, items: frozenset[int] = frozenset()):
        super().__init__(text)
        self._items = items  # paragraph starts opening a new wire item: no period carries in
        self._places: dict[int, int] = {}  # end -> start of every place name
        self.periods = self._find_periods()
        self.bases = self._find_bases()
        self.rates = self._find_rates()
        self.frames = self._find_frames()
        self.regions = self._find_regions()
        self._region_starts = frozenset(self.regions.starts)
        self._period_starts = frozenset(self.periods.starts)
        self.agencies = self._find_agencies()
        self._edges: dict[int, int] = {}  # mention start -> end, for stripping
        self._tails: dict[int, int] = {}  # mention end -> start
        mentions = (self.periods, self.bases, self.rates, self.frames, self.regions, self.agencies)
        for spans in mentions:
            for s, e in zip(spans.starts, spans.ends, strict=True):
                e = bound_end(text, s, e) if spans is self.regions else e  # 青岛港: the port
                self._edges[s] = max(e, self._edges.get(s, e))
                self._tails[e] = min(s, self._tails.get(e, s))
        cut = (self.periods, self.bases, self.rates, self.frames, self.agencies)
        cuts = sorted(
            (e, s) for spans in cut for s, e in zip(spans.starts, spans.ends, strict=True)
        )
        self._cut_ends = [e for e, _ in cuts]  # period, base, frame and agency phrases, by end
        self._cut_starts = [s for _, s in cuts]
        self._lede_region_end = self._lede(_LEDE_REGION_LINES)
        self._index_lede()
        self._inherited = self._carry_periods()
        self._metrics: dict[int, tuple[int, str]] = {}  # start -> (depth, metric)
        self.cells = {(c.mention.start, c.mention.end): c for c in read_tables(text)}
        self._lists = read_lists(text)
        self._list_starts = [line.start for line in self._lists]

    def describe(self, start: int, end: int) -> Context:
        """Context for the number at text[start:end]."""
        text, pos = self.text, self.position(start, end)
        lo, hi = pos.sentence_start, pos.sentence_end
        if hi - lo > _EVIDENCE_MAX:
            lo, hi = _before(self._wide, start, lo), _after(self._wide, end, hi)
        while lo < start and text[lo] in _SPACE:
            lo += 1
        while hi > end and text[hi - 1] in _SPACE + "\n":
            hi -= 1
        cell = self.cells.get((start, end))
        listed = line_at(self._lists, self._list_starts, start) if not cell else None
        named = cell or listed
        return Context(
            metric=named.metric if named else self._metric(start, end, 0, pos.sentence_start),
            period=(named.period if named else None) or self._period(pos),
            region=(cell.region if cell else None) or self._region(pos),
            agency=self._agency(pos),
            evidence_start=lo,
            evidence_end=hi,
            period_stated=self._period_stated(pos),
        )
