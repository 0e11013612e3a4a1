"""Cleaning of news pages into article text, with a map back to the original offsets.

The extractor reads `CleanText.text`; every offset written out must point into
`CleanText.original`, the decoded file. Each cleaning step looks at the current text and
returns either a same-length string (a 1:1 character mapping, e.g. full-width digits) or a
sorted list of edits `(start, end, replacement)`. Applying edits yields the next text and a
`_Layer`: the pieces of the new text, each either a run copied from the old text or a
replacement standing for an old span. `CleanText.to_original` walks the layers back with
`bisect`, so a clean span maps to the smallest original span covering exactly its characters.

Steps, in order: line separators, YAML front matter (its `title:` value is kept as the first
line), a leading " date YYYY-MM-DD " prefix, script/style/nav... blocks and comments, tags
(block tags become line breaks), entities, Markdown images/links (and for `md` headings and
bold), inline pinyin after Hanzi, full-width and space characters, invisible characters,
spaces between digits and Hanzi, and finally the line pass: page chrome lines, photo
credits and captions, repeated captions/banners, trailing sidebars and footers, per-line
stripping and blank-line collapsing.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from ..lang import load_language

Edit = tuple[int, int, str]
Step = Callable[[str], str | list[Edit]]

_LANG = load_language("zh")
_CHROME = _LANG.chrome
HAN = _LANG.han
_HAN_CHAR = _LANG.han_char


class _Layer:
    """Maps spans of one step's output back to its input."""

    __slots__ = ("starts", "old_starts", "old_ends", "copied", "new_len", "old_len")

    def __init__(self, new_len: int, old_len: int) -> None:
        self.starts: list[int] = []
        self.old_starts: list[int] = []
        self.old_ends: list[int] = []
        self.copied: list[bool] = []
        self.new_len = new_len
        self.old_len = old_len

    def add(self, start: int, old_start: int, old_end: int, copied: bool) -> None:
        self.starts.append(start)
        self.old_starts.append(old_start)
        self.old_ends.append(old_end)
        self.copied.append(copied)

    def _start(self, pos: int) -> int:
        if pos >= self.new_len:
            return self.old_len
        i = bisect_right(self.starts, pos) - 1
        if self.copied[i]:
            return self.old_starts[i] + pos - self.starts[i]
        return self.old_starts[i]

    def _end(self, pos: int) -> int:
        """Old end of the new character at `pos`."""
        i = bisect_right(self.starts, pos) - 1
        if self.copied[i]:
            return self.old_starts[i] + pos - self.starts[i] + 1
        return self.old_ends[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            pos = self._start(start)
            return pos, pos
        return self._start(start), self._end(end - 1)


def _apply(text: str, edits: list[Edit]) -> tuple[str, _Layer | None]:
    """Apply sorted edits; overlapping ones (starting before the previous end) are skipped."""
    if not edits:
        return text, None
    parts: list[str] = []
    pieces: list[tuple[int, int, int, bool]] = []
    pos = new = 0
    for start, end, rep in edits:
        if start < pos:
            continue
        if start > pos:
            parts.append(text[pos:start])
            pieces.append((new, pos, start, True))
            new += start - pos
        if rep:
            parts.append(rep)
            pieces.append((new, start, end, False))
            new += len(rep)
        pos = end
    if pos < len(text):
        parts.append(text[pos:])
        pieces.append((new, pos, len(text), True))
        new += len(text) - pos
    layer = _Layer(new, len(text))
    for piece in pieces:
        layer.add(*piece)
    return "".join(parts), layer


@dataclass
class CleanText:
    """Clean article text plus the original it came from."""

    text: str
    original: str
    _layers: list[_Layer] = field(default_factory=list, repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a clean span [start, end) to the smallest original span covering exactly those
        characters (so for a clean span of a number the original slice is the number as
        written, e.g. '39.4 万起' or '３９．４万')."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside clean text of {len(self.text)}")
        for layer in reversed(self._layers):
            start, end = layer.span(start, end)
        return start, end


def clean(text: str, fmt: str) -> CleanText:
    """Clean `text` (format 'txt', 'md' or 'html') for extraction, keeping the offset map."""
    current = text
    layers: list[_Layer] = []
    for step in _pipeline(fmt):
        result = step(current)
        if isinstance(result, str):
            if len(result) != len(current):
                raise AssertionError(f"{step.__name__} changed the length")
            current = result
            continue
        current, layer = _apply(current, result)
        if layer is not None:
            layers.append(layer)
    return CleanText(current, text, layers)


def _pipeline(fmt: str) -> list[Step]:
    markup: list[Step] = [_drop_blocks, _html_tags if fmt == "html" else _known_tags]
    markdown: list[Step] = [_markdown_headings, _markdown_bold] if fmt == "md" else []
    return [
        _line_separators,
        _front_matter,
        _date_prefix,
        *markup,
        _entities,
        _markdown_links,
        *markdown,
        _pinyin,
        _normalize_chars,
        _invisible,
        _digit_han_spaces,
        _lines,
    ]


def _words(words: str, lower: bool = False) -> frozenset[str]:
    return frozenset(w.lower() if lower else w for w in words.split())


def _sub_edits(pattern: re.Pattern[str], text: str, rep: str = "") -> list[Edit]:
    return [(m.start(), m.end(), rep) for m in pattern.finditer(text)]


# --- characters ------------------------------------------------------------------------

_SEPARATOR = re.compile("\r(?!\n)|[\u2028\u2029\x0b\x0c\x85]")


def _line_separators(text: str) -> str:
    """Lone CR and Unicode line/paragraph separators become LF (same length)."""
    return _SEPARATOR.sub("\n", text)


# Full-width digits, letters and ％．＋－～ (other full-width signs stay).
_FULLWIDTH = {k: v for k, v in _LANG.fullwidth.items() if v.isalnum() or k in "％．＋－～"}
_SPACES = _LANG.wide_spaces
_CHAR_MAP = _FULLWIDTH | {c: " " for c in _SPACES}
_CHAR_RUN = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]+")
_CHAR_TABLE = str.maketrans(_CHAR_MAP)


def _normalize_chars(text: str) -> str:
    """Full-width digits, letters and ％．＋－～ to ASCII; wide and odd spaces to ' '."""
    return _CHAR_RUN.sub(lambda m: m.group().translate(_CHAR_TABLE), text)


_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]+")


def _invisible(text: str) -> list[Edit]:
    return _sub_edits(_INVISIBLE, text)


_SPACES_BEFORE_WORD = re.compile(f" +(?=[0-9{HAN}])")
_MAGNITUDE = "万萬亿億千百"


def _digit_han_spaces(text: str) -> list[Edit]:
    """'2022 年 4 月' -> '2022年4月', '案件 39.4 万起' -> '案件39.4万起'; a space after a
    magnitude stays ('逾9億 6都' must not read as 9億6)."""
    edits = []
    for m in _SPACES_BEFORE_WORD.finditer(text):
        start, end = m.span()
        if start == 0:
            continue
        before, after = text[start - 1], text[end]
        if after.isascii():  # a digit: remove after a Han character, unless '億 6'
            if before in _MAGNITUDE or not _HAN_CHAR.match(before):
                continue
        elif not "0" <= before <= "9":
            continue
        edits.append((start, end, ""))
    return edits


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜḿńňǹ"
_PINYIN = re.compile(f"[(（]([a-zü{_TONED}]{{1,7}})[)）]")
_NEUTRAL = _words(_CHROME["pinyin_neutral"])


def _pinyin(text: str) -> list[Edit]:
    """Drop pinyin annotations: '網(wǎng)絡(luò)' -> '網絡' (not '(1)' or '(記者 張子揚)')."""
    edits = []
    for m in _PINYIN.finditer(text):
        syllable = m.group(1)
        after_han = m.start() > 0 and _HAN_CHAR.match(text, m.start() - 1) is not None
        toned = any(c in _TONED for c in syllable)
        if toned or (after_han and syllable in _NEUTRAL):
            edits.append((m.start(), m.end(), ""))
    return edits


# --- document head -----------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FM_TITLE = re.compile(r"^title:[ \t]*(['\"]?)(.*?)\1[ \t]*\r?$", re.MULTILINE)
_FRONT_MATTER_SCAN = 20_000


def _front_matter(text: str) -> list[Edit]:
    """Remove YAML front matter at the start, keeping its title value as the first line."""
    m = _FRONT_MATTER.match(text[:_FRONT_MATTER_SCAN])
    if not m:
        return []
    title = _FM_TITLE.search(text, m.start(1), m.end(1)) if m.group(1) else None
    if not title or not title.group(2).strip():
        return [(0, m.end(), "\n")]
    return [(0, title.start(2), ""), (title.end(2), m.end(), "\n")]


_DATE_PREFIX = re.compile(r"\A\s*date \d{4}-\d{1,2}-\d{1,2}[ \t]*")


def _date_prefix(text: str) -> list[Edit]:
    """A stored-page prefix like ' date 2025-11-25 '."""
    return _sub_edits(_DATE_PREFIX, text)


# --- markup ---------------------------------------------------------------------------------

_BLOCK_CONTENT = _words("script style noscript template svg iframe object select button")
_BLOCK_SIDEBAR = _words("nav aside footer figcaption")
_DROP_BLOCKS = re.compile(
    rf"<({'|'.join(sorted(_BLOCK_CONTENT | _BLOCK_SIDEBAR))})\b[^>]*>.*?</\1\s*>"
    r"|<!--.*?-->|<!\[CDATA\[.*?\]\]>",
    re.IGNORECASE | re.DOTALL,
)


def _drop_blocks(text: str) -> list[Edit]:
    """Remove script, style, noscript (...) and nav/aside/footer elements with their content."""
    edits = []
    for m in _DROP_BLOCKS.finditer(text):
        sidebar = m.group(1) is not None and m.group(1).lower() in _BLOCK_SIDEBAR
        edits.append((m.start(), m.end(), "\n" if sidebar else ""))
    return edits


_ATTRS = r"(?:\"[^\"]{0,2000}\"|'[^']{0,2000}'|[^'\">])*>"
_TAG = re.compile(rf"</?([A-Za-z][A-Za-z0-9:-]*){_ATTRS}|<![A-Za-z][^>]*>|<\?[^>]*>")
_ANY_TAG = rf"</?[A-Za-z][A-Za-z0-9:-]*{_ATTRS}|<![A-Za-z][^>]*>|<\?[^>]*>"
# A run of tags and HTML whitespace holding at least one tag or a line break.
_MARKUP_RUN = re.compile(
    rf"(?:{_ANY_TAG}|[ \t\r\n\f])*(?:{_ANY_TAG}|[\t\r\n\f])(?:{_ANY_TAG}|[ \t\r\n\f])*"
)
_BLOCK_TAGS = _words(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table tbody thead tfoot section article header main "
    "title blockquote pre dd dt dl hr figure form fieldset address center caption html body head"
)
_CELL_TAGS = _words("td th")
_KNOWN_TAGS = (
    _BLOCK_TAGS
    | _CELL_TAGS
    | _words(
        "a span img strong b i em u font sup sub small big label input meta link s strike ins "
        "del abbr cite q time mark wbr code source video audio picture col colgroup"
    )
)


def _html_tags(text: str) -> list[Edit]:
    """Every tag goes, and source whitespace is not layout: a run of tags and whitespace holding
    a block tag becomes one line break, else a space if it held whitespace or a cell."""
    edits = []
    for m in _MARKUP_RUN.finditer(text):
        run = m.group()
        names = {(t.group(1) or "").lower() for t in _TAG.finditer(run)}
        if names & _BLOCK_TAGS:
            rep = "\n"
        elif names & _CELL_TAGS or _has_space(run):
            rep = " "
        else:
            rep = ""
        if rep != run:
            edits.append((m.start(), m.end(), rep))
    return edits


def _has_space(run: str) -> bool:
    return any(c in run for c in " \t\r\n\f")


def _known_tags(text: str) -> list[Edit]:
    """In plain text only real HTML tag names are tags (a stray `<br />`, pasted HTML); block
    tags become line breaks, table cells a space."""
    edits = []
    for m in _TAG.finditer(text):
        name = (m.group(1) or "").lower()
        if name in _KNOWN_TAGS:
            rep = "\n" if name in _BLOCK_TAGS else " " if name in _CELL_TAGS else ""
            edits.append((m.start(), m.end(), rep))
    return edits


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entities(text: str) -> list[Edit]:
    """Decode character references: &amp; &nbsp; &#8220; ..."""
    edits = []
    for m in _ENTITY.finditer(text):
        decoded = html.unescape(m.group())
        if decoded != m.group():
            edits.append((m.start(), m.end(), decoded))
    return edits


_MD_IMAGE_OR_LINK = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|\[([^\]\n]+)\]\([^)\n]*\)")


def _markdown_links(text: str) -> list[Edit]:
    """`![alt](src)` goes; `[text](url)` is reduced to its text."""
    edits = []
    for m in _MD_IMAGE_OR_LINK.finditer(text):
        if m.group(1) is None:
            edits.append((m.start(), m.end(), ""))
        else:
            edits.append((m.start(), m.start(1), ""))
            edits.append((m.end(1), m.end(), ""))
    return edits


_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MD_BOLD = re.compile(r"(\*\*|__)(?=\S)([^\n]+?)(?<=\S)\1")


def _markdown_headings(text: str) -> list[Edit]:
    return _sub_edits(_MD_HEADING, text)


def _markdown_bold(text: str) -> list[Edit]:
    edits = []
    for m in _MD_BOLD.finditer(text):
        edits.append((m.start(), m.start(2), ""))
        edits.append((m.end(2), m.end(), ""))
    return edits


# --- lines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    index: int  # position among the non-blank lines
    start: int  # content start (after leading space) in the current text
    end: int  # content end (before trailing space)
    blank_before: bool  # a blank line precedes it since the previous non-blank line

    def text(self, source: str) -> str:
        return source[self.start : self.end]


_EDGE = " \t\r|"


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    blank = False
    for raw in text.split("\n"):
        stripped = raw.strip(_EDGE)
        if stripped:
            start = pos + len(raw) - len(raw.lstrip(_EDGE))
            lines.append(_Line(len(lines), start, start + len(stripped), blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return lines


def _lines(text: str) -> list[Edit]:
    """Drop chrome lines and trailing sidebars, strip each line, collapse blank lines."""
    lines = _split_lines(text)
    kept = _filter_lines(lines, text)
    kept = _drop_repeated(kept, text)
    kept = _trim_tail(kept, text)
    return _join_edits(kept, lines, len(text))


def _filter_lines(lines: list[_Line], text: str) -> list[_Line]:
    """Keep non-chrome lines up to the first sidebar heading or footer after the body."""
    kept: list[_Line] = []
    body_seen = False
    for line in lines:
        raw = line.text(text)
        footer = _is_footer(raw)
        if body_seen and (footer or _is_sidebar_heading(raw)):
            break
        trimmed = None if footer else _trim_credit(line, text)
        if trimmed is None or _is_chrome(trimmed.text(text)):
            continue
        kept.append(trimmed)
        body_seen = body_seen or _is_body(trimmed.text(text))
    return kept


def _join_edits(kept: list[_Line], lines: list[_Line], size: int) -> list[Edit]:
    """Edits keeping only the `kept` line contents, one line break between two of them, or
    two if a blank line separated them."""
    if not kept:
        return [(0, size, "")] if size else []
    edits: list[Edit] = [(0, kept[0].start, "")]
    for prev, line in zip(kept, kept[1:], strict=False):
        blank = any(lines[k].blank_before for k in range(prev.index + 1, line.index + 1))
        edits.append((prev.end, line.start, "\n\n" if blank else "\n"))
    edits.append((kept[-1].end, size, ""))
    return [e for e in edits if e[0] < e[1] or e[2]]


# Photo credits: '(記者葉進耀攝)', '攝:李睿哲', '聯合報系資料照'.
_CREDIT = _CHROME["credit"]
_CREDIT_END = re.compile(
    rf"\s*(?:[(（][^()（）\n]{{0,20}}[{_CREDIT['shot']}](?:影)?[)）]"
    rf"|(?:{_CREDIT['labels']})[:：/／][ \t]*[^\s，。,:：]{{1,12}}"
    rf"|[^\s，。,]{{0,12}}(?:{_CREDIT['archive']}))$"
)
_CAPTION_MAX = 100
_CREDIT_SCAN = 40
# Credits are short: only the end of a line is searched.
_CREDIT_HINT = re.compile(f"[{_CREDIT['hint']}]")


def _trim_credit(line: _Line, text: str) -> _Line | None:
    """Strip a photo credit at the end of a line; a short line carrying one is a caption and
    goes (None)."""
    start = max(line.start, line.end - _CREDIT_SCAN)
    if not _CREDIT_HINT.search(text, start, line.end):
        return line
    m = _CREDIT_END.search(text, start, line.end)
    if not m:
        return line
    if m.start() - line.start <= _CAPTION_MAX:
        return None
    return _Line(line.index, line.start, m.start(), line.blank_before)


# Without the ASCII `;`, which ends no sentence in a caption or banner line.
_SENTENCE_END = re.compile(f"[{_LANG.sentence_ends.replace(';', '')}]")
_QUANTITY = re.compile(r"\d[\d,.]*\s*(?:%|[万萬亿億千百元起名人件个個条條次宗家台张張吨噸户戶])")


def _is_body(line: str) -> bool:
    """Looks like article prose: a sentence, or a long line."""
    return len(line) >= 80 or (len(line) >= 15 and _SENTENCE_END.search(line) is not None)


# --- chrome line rules -----------------------------------------------------------------------

_MENU_WORDS = _words(_CHROME["menu_words"], lower=True)
_MENU_JUNK = re.compile(r"[\s\W\d_]+")

# Chrome lines, by where the telltale sits: the start, anywhere, or the end of the line.
_CHROME_START = re.compile(
    "|".join(_CHROME["line_start"])
    # lists of other articles with their own dates: '- 2019-12-20标题…'
    + r"|[-•·*]?\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*[^\s\d。]|$)"
    # markup residue: 'adblk6', 'notice-title img'
    r"|(?=[a-z\s]*[0-9_-])[a-z][a-z0-9_-]*(?:\s+[a-z][a-z0-9_-]*)*$"
)
_CHROME_ANYWHERE = re.compile(
    f"{_CHROME['share_prompts']}|{_CHROME['breadcrumbs']}"
    rf"|(?:{_CHROME['byline_labels']})\s*[:：]"
    f"|{_CHROME['read_more']}"
    rf"|(?:{_CHROME['contact_labels']})\s*[:：]"
)
# '矩形廣告大', not '广告案件3起'
_AD_MARKER = re.compile(rf"[^\d]{{0,4}}(?:{_CHROME['ad']})[^\d]{{0,4}}")
_CHROME_END = re.compile(rf"(?:{_CHROME['line_end']}|\S\s+\d{{4}}-\d{{1,2}}-\d{{1,2}})$")
_CHROME_END_SCAN = 16
_CHROME_SHORT = 100
_MENU_SHORT = 24
_FOOTER = re.compile("|".join(_CHROME["footers"]))
_NO_REPRINT = re.compile(_CHROME["no_reprint"])
_REPRINT = tuple(_CHROME["reprint"])
_SIDEBAR_HEADING = re.compile(
    r"^[【\[]?\s*(?:" + "|".join(_CHROME["sidebar_headings"].split()) + r")\s*[】\]]?\s*[:：]?"
)
_HEADING_MAX = 14
_NAV_ITEM = re.compile(f"[{HAN}]{{2,6}}")
_NAV_MIN_ITEMS = 4
_NO_WORD = re.compile(r"^[\W_]+$")


def _is_chrome(line: str) -> bool:
    """A whole line of page chrome (menus, share prompts, bylines, breadcrumbs...); footers
    are checked apart (`_is_footer`)."""
    if _NO_WORD.match(line) or _is_nav(line):
        return True
    if len(line) <= _MENU_SHORT and _MENU_JUNK.sub("", line).lower() in _MENU_WORDS:
        return True
    if len(line) > _CHROME_SHORT:
        return False
    return (
        _is_sidebar_heading(line)
        or _AD_MARKER.fullmatch(line) is not None
        or _CHROME_START.match(line) is not None
        or _CHROME_ANYWHERE.search(line) is not None
        or _CHROME_END.search(line, max(0, len(line) - _CHROME_END_SCAN)) is not None
    )


def _is_nav(line: str) -> bool:
    """Site navigation: '本网概况 通知公告 投稿专区 人才招聘 ...'."""
    items = line.split()
    return len(items) >= _NAV_MIN_ITEMS and all(_NAV_ITEM.fullmatch(item) for item in items)


def _is_sidebar_heading(line: str) -> bool:
    return len(line) <= _HEADING_MAX and _SIDEBAR_HEADING.match(line) is not None


def _is_footer(line: str) -> bool:
    """Copyright, reprint and licence notices (版权所有, ICP备, 许可证...)."""
    if _FOOTER.search(line):
        return True
    reprint = any(word in line for word in _REPRINT)
    return reprint and _NO_REPRINT.search(line) is not None


_REPEAT_WINDOW = 3
_REPEAT_MAX = 100


def _drop_repeated(kept: list[_Line], text: str) -> list[_Line]:
    """A line repeated within a few lines is an image caption, a banner or a title: captions
    and banners (they end like sentences) go entirely, other repeats keep the first copy."""
    texts = [line.text(text) for line in kept]
    drop: set[int] = set()
    for i, t in enumerate(texts):
        if len(t) > _REPEAT_MAX:
            continue
        for j in range(i + 1, min(i + 1 + _REPEAT_WINDOW, len(texts))):
            if texts[j] == t:
                drop.add(j)
                if _SENTENCE_END.search(t[-1]):
                    drop.add(i)
    return [line for i, line in enumerate(kept) if i not in drop]


def _trim_tail(kept: list[_Line], text: str) -> list[_Line]:
    """After the last prose line, short lines without a quantity are sidebar links or menus."""
    last_body = max((i for i, ln in enumerate(kept) if _is_body(ln.text(text))), default=-1)
    if last_body < 0:
        return kept
    tail = [ln for ln in kept[last_body + 1 :] if _QUANTITY.search(ln.text(text))]
    return kept[: last_body + 1] + tail
