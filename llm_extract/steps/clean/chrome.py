"""Page chrome and sidebars: whole lines of menus, share prompts, bylines, breadcrumbs, ads,
sidebar headings and footers (the word lists are `lang/zh/chrome.toml`)."""

from __future__ import annotations

import re

from ...lang import load_language
from .offsets import _words

_LANG = load_language("zh")
_CHROME = _LANG.chrome
HAN = _LANG.han

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
    f"|{_CHROME['font_size']}"
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
_NOTE = re.compile(r"[（(][^（()）]{0,20}[)）]\s*$")  # a heading's bracketed note
_NAV_ITEM = re.compile(f"[{HAN}]{{2,6}}")
_NAV_LATIN = re.compile(r"[A-Za-z]{2,12}")  # `English`, `App`
_NAV_SPLIT = re.compile(r"[\s|｜/／]+")
_NAV_MIN_ITEMS = 4
_MENU_MIN_ITEMS = 2  # menu words among a line's items that make it a menu
_NO_WORD = re.compile(r"^[\W_]+$")
_COUNT = re.compile(r"\d[\d,.]*[万萬wW+]?")


def _is_chrome(line: str) -> bool:
    """A whole line of page chrome (menus, share prompts, bylines, breadcrumbs...); footers
    are checked apart (`_is_footer`)."""
    if _NO_WORD.match(line) or _is_nav(line):
        return True
    if len(line) <= _MENU_SHORT and _MENU_JUNK.sub("", line).lower() in _MENU_WORDS:
        return True
    if len(line) <= _CHROME_SHORT and _menu_items(line) >= _MENU_MIN_ITEMS:
        return True
    if len(line) <= _CHROME_SHORT and _is_counter_bar(line):
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


def _menu_items(line: str) -> int:
    """How many of a line's items are menu words (`登入 ｜ 訂閱` after a date and the weather)."""
    items = (_MENU_JUNK.sub("", item).lower() for item in _NAV_SPLIT.split(line))
    return sum(item in _MENU_WORDS for item in items if item)


def _is_nav(line: str) -> bool:
    """Site navigation: '本网概况 通知公告 投稿专区 ...', '首页 | 财经 | 港航 | English'."""
    items = [item for item in _NAV_SPLIT.split(line) if item]
    han = sum(_NAV_ITEM.fullmatch(item) is not None for item in items)
    latin = sum(_NAV_LATIN.fullmatch(item) is not None for item in items)
    return len(items) >= _NAV_MIN_ITEMS and han + latin == len(items) and han > latin


def _is_counter_bar(line: str) -> bool:
    """A bar of menu words and their counts: '阅读 2.3万 分享 点赞 412 在看 156'."""
    words = _COUNT.sub(" ", line).lower().split()
    return len(words) >= 2 and all(word in _MENU_WORDS for word in words)


def _is_sidebar_heading(line: str) -> bool:
    """`相关阅读`, `更多相關新聞（點擊標題閱讀全文）`: short, but for a bracketed note."""
    heading = _NOTE.sub("", line)
    return len(heading) <= _HEADING_MAX and _SIDEBAR_HEADING.match(heading) is not None


def _is_footer(line: str) -> bool:
    """Copyright, reprint and licence notices (版权所有, ICP备, 许可证...)."""
    if _FOOTER.search(line):
        return True
    reprint = any(word in line for word in _REPRINT)
    return reprint and _NO_REPRINT.search(line) is not None
