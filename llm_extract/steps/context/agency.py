"""Agencies: acting bodies, partners and generic bodies, and the agency of a number."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache

from .index import LANG, Position, Spans, _both, _trie

_AG = LANG.places["agencies"]
_POLICE = _AG["police"].split()
_GENERIC = {  # generic bodies defer to a named body of their family (公安机关 → 公安部)
    word: family for family, words in _AG["generic"].items() for word in _both(words)
}
_FAMILY = [  # named bodies by family; the police family includes every police body
    (word, family)
    for family, words in _AG["family"].items()
    for word in _both((_POLICE if family == "police" else []) + words.split())
]
_AGENCIES = _both(_AG["named"].split() + _POLICE)
_LISTED = frozenset(_AGENCIES)
_TITLED = frozenset(_both(_AG["titled"]))  # 警務處長, 市警局長: a person's title
_LOCAL = tuple(_AG["local"])
_PARTNER = re.compile("(?:" + "|".join(_AG["partner"]) + r"|[与與和及、])[^，,。；;：:]{0,6}$")
_LEDE_LINES = 5  # headline and first paragraphs, for the fallback agency
_FORM = _AG["form"]
_OPENS = _both(_FORM["opens"].split())  # words a body's name does not start with
_BY_FORM = re.compile(  # a body's word right before a reporting word (places.toml [agencies.form])
    rf"(?:{_trie(_both(_FORM['ends'].split()))})(?=(?:{_trie(_both(_FORM['spokesman'].split()))}"
    rf"|{_FORM['between']}){{0,2}}(?:{_trie(_both(_FORM['reports'].split()))}|[:：]))"
    # …or opening a clause and acting (`今年以来，市人社局坚持…`, `芜湖市生态环境局现将…`)
    rf"|(?:^|(?<=[，,。；;：:\n]))(?:(?!{_trie(_OPENS)})[^\W\d_等和及与與的在对對将將])"
    rf"{{1,10}}?(?<!格)(?<!布)(?<!部)(?:{_trie(_both(_FORM['ends'].split()))})"
    rf"(?=(?:{_trie(_both(_FORM['acts'].split()))}))"
)
_BY_SOURCE = re.compile(  # 记者从山东港口青岛港获悉: the source, whatever its name ends in
    rf"(?:{_trie(_both(_FORM['source_opens'].split()))})(?P<name>[{LANG.han}]{{2,14}}?)"
    rf"(?={_trie(_both(_FORM['source_reports'].split()))})"
)
_NOT_LEAD = tuple(_both(_FORM["not_lead"].split()))
_NAME_CHARS = 14  # the longest name found by form
_TOWARD = ("向", "對", "对")  # the body acts before one of these, on the receiver after
_ENDS = tuple(_both(_FORM["ends"].split()))


class Agencies(Spans):
    """Agency mentions, with running indexes so that every lookup is O(1) or a bisect."""

    __slots__ = ("partner", "generic", "family", "kin", "named", "actor", "next_actor", "_kin")

    def __init__(self) -> None:
        super().__init__()
        self.partner: list[bool] = []  # `会同工信部`: a partner, not the actor
        self.generic: list[bool] = []  # `公安机关`, `全国法院`: defers to a named body
        self.family: list[str | None] = []
        self.kin: list[int] = []  # for a generic body: the last named one of its family
        self.named: list[int] = []  # the last named acting agency up to here
        self.actor: list[int] = []  # the last acting (non-partner) agency up to here
        self.next_actor: list[int] = []  # the first acting agency from here on
        self._kin: dict[str | None, int] = {}

    def add_agency(self, start: int, end: int, text: str, partner: bool) -> None:
        index = len(self.starts)
        self.add(start, end, text)
        generic = text in _GENERIC or text.endswith(("公安机关", "公安機關"))
        family = _GENERIC.get(text, "police") if generic else _family(text)
        self.partner.append(partner)
        self.generic.append(generic)
        self.family.append(family)
        self.kin.append(self._kin.get(family, -1) if generic else -1)
        if not generic:
            self._kin[family] = index
        named = self.named[-1] if self.named else -1
        self.named.append(index if not generic and not partner else named)
        actor = self.actor[-1] if self.actor else -1
        self.actor.append(actor if partner else index)

    def finish(self) -> None:
        nxt = len(self.starts)
        for j in range(nxt - 1, -1, -1):
            nxt = nxt if self.partner[j] else j
            self.next_actor.append(nxt)
        self.next_actor.reverse()


class AgencyRules:
    """Agency mentions, the lede's agencies, and a number's agency by ordered rules."""

    text: str
    agencies: Agencies
    _places: dict[int, int]
    _lede_generic: str | None
    _lede_agencies: dict[str | None, str]

    def _find_agencies(self) -> Agencies:
        spans, text = Agencies(), self.text
        for m in _agency_pattern(named_by_form(text)).finditer(text):
            s, e, word = m.start(), m.end(), m.group()
            if word in _TITLED and text[e : e + 1] in ("長", "长"):
                continue
            if word in _LOCAL and s in self._places:  # 广东深圳警方, 江西九江瑞昌市公安机关
                s = self._places[s]
                word = text[s:e]
            spans.add_agency(s, e, word, bool(_PARTNER.search(text, max(0, s - 10), s)))
        spans.finish()
        return spans

    def _index_lede(self) -> None:
        """The lede's first agency of any kind, and its first named one per family."""
        a = self.agencies
        lede = bisect_left(a.starts, self._lede(_LEDE_LINES))
        self._lede_generic = a.texts[0] if lede else None
        self._lede_agencies = {}  # family (None: any) -> first named
        for j in range(lede):
            if not a.generic[j]:
                self._lede_agencies.setdefault(a.family[j], a.texts[j])
                self._lede_agencies.setdefault(None, a.texts[j])

    def _agency(self, pos: Position) -> str | None:
        """The answer of the first agency rule that has one (`AGENCY_RULES`, in order)."""
        for rule in AGENCY_RULES:
            found = rule(self, pos)
            if found is not None:
                return found
        return None

    def _actor_nearby(self, pos: Position) -> str | None:
        """The nearest actor if in the sentence, else the paragraph's first actor."""
        a, ps = self.agencies, pos.paragraph_start
        last = a.last(pos.start, ps)
        if last < 0 or a.actor[last] < 0 or a.starts[a.actor[last]] < ps:
            return None
        i = a.actor[last]
        if a.starts[i] < pos.sentence_start:
            i = a.next_actor[bisect_left(a.starts, ps)]
        return self._named(i, ps)

    def _named_in_lede(self, pos: Position) -> str | None:
        """The first named agency of the lede."""
        return self._lede_agencies.get(None)

    def _later_in_paragraph(self, pos: Position) -> str | None:
        """A body named later in the paragraph."""
        a = self.agencies
        k = bisect_left(a.starts, pos.start)
        return a.texts[k] if k < len(a.starts) and a.starts[k] < pos.paragraph_end else None

    def _named_earlier(self, pos: Position) -> str | None:
        """The nearest named acting agency earlier in the text."""
        a = self.agencies
        j = a.last(pos.start, 0)
        return a.texts[a.named[j]] if j >= 0 and a.named[j] >= 0 else None

    def _any_in_lede(self, pos: Position) -> str | None:
        """The lede's first agency of any kind."""
        return self._lede_generic

    def _named(self, i: int, ps: int) -> str:
        """Agency i, or for a generic body a named one of its family (paragraph, then lede)."""
        a = self.agencies
        if not a.generic[i]:
            return a.texts[i]
        kin = a.kin[i]
        if kin >= 0 and a.starts[kin] >= ps:
            return a.texts[kin]
        return self._lede_agencies.get(a.family[i]) or a.texts[i]


AGENCY_RULES: tuple[Callable[[AgencyRules, Position], str | None], ...] = (
    AgencyRules._actor_nearby,
    AgencyRules._named_in_lede,
    AgencyRules._later_in_paragraph,
    AgencyRules._named_earlier,
    AgencyRules._any_in_lede,
)


def _family(name: str) -> str | None:
    for word, family in _FAMILY:
        if name.endswith(word):
            return family
    return None


def _before_receiver(name: str) -> str:
    """`省长代表省人民政府向大会作政府`: the body before 向/对 (after its last opening word); a
    run with none there (`重新向各商业银行`) names a receiver: ''."""
    at = min((name.find(w) for w in _TOWARD if w in name), default=-1)
    if at < 0:
        return name
    head = name[:at]
    head = head[max((head.rfind(w) + len(w) for w in _OPENS if w in head), default=0) :]
    return head if head.endswith(_ENDS) else ""


def named_by_form(text: str) -> frozenset[str]:
    """Bodies the lists lack, known by their form where they report (`国家卫生健康委12日发布`,
    `根據內政部統計`): the Han run before a body's word, from after its last opening word; a
    run ending in a listed body is that body's (found by the list); and a source the reporter
    learnt from (`记者从山东港口青岛港获悉`), whatever its name ends in."""
    names = set()
    for m in _BY_FORM.finditer(text):
        start = m.start()
        while start > max(0, m.start() - _NAME_CHARS) and LANG.han_char.match(text[start - 1]):
            start -= 1
        run = text[start : m.end()]
        cut = max(
            (run.rfind(w, 0, m.start() - start) + len(w) for w in _OPENS if w in run), default=0
        )
        if not cut and start > 0 and text[start - 1].isdigit() and run[:1] in "年月日":
            cut = 1  # `２１日决定…`: the date's, not the name's
        name = _before_receiver(run[cut:])
        listed = any(name[k:] in _LISTED for k in range(len(name)))  # 中國公安部: 公安部's
        if len(name) >= 3 and not listed and not name.startswith(_NOT_LEAD):
            names.add(name)
    for m in _BY_SOURCE.finditer(text):
        name = m["name"]
        listed = any(name[k:] in _LISTED for k in range(len(name)))
        if len(name) >= 3 and not listed and not name.startswith(_NOT_LEAD):
            names.add(name)
    return frozenset(names)


@lru_cache(maxsize=64)
def _agency_pattern(extra: frozenset[str]) -> re.Pattern[str]:
    """The listed agencies and a document's `extra` ones, longest first."""
    return re.compile(rf"{_trie(sorted({*_AGENCIES, *extra}))}(?![门門])")
