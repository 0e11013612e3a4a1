"""Tests for the language pack: loaded once, Traditional forms generated, data shipped."""

from __future__ import annotations

import re

from llm_extract.lang import Lexicon, _traditional_table, load_language, trie


def test_loaded_once_per_process():
    assert load_language() is load_language("zh")


def test_traditional_forms_generated():
    zh = load_language("zh")
    assert zh.traditional("国家统计局") == "國家統計局"
    # 漲 環 擴 別 were once kept Simplified: Traditional text missed 環比分別上漲
    assert zh.traditional("环比分别上涨扩大") == "環比分別上漲擴大"
    assert set(zh.both("公安机关")) == {"公安机关", "公安機關"}


def test_script_exceptions_kept_as_written():
    tables = {"script": {"opencc": "s2tw", "keep": "涨"}, "words": {"w": "上涨 扩大"}}
    table = _traditional_table(tables, re.compile("[\u4e00-\u9fff]"))
    assert "上涨 扩大".translate(table) == "上涨 擴大"


def test_tables_and_trie():
    zh = load_language("zh")
    assert zh.units["currency"]["港币"] == "港元"
    assert "全国" in zh.places["scopes"].split()
    assert zh.sentence_end.match("。") and zh.han_char.match("國")
    assert trie(["全国", "全省", "全"]) == "全(?:(?:国|省))?"


def test_a_lexicon_finds_the_longest_word_at_the_first_place_one_stands() -> None:
    lexicon = Lexicon(["焦作", "焦作市", "武陟县", "河南"])
    text = "在河南焦作市武陟县"
    assert lexicon.next_word(text, 0) == (1, 3)
    assert lexicon.end_at(text, 3) == 6  # 焦作市, not 焦作
    assert lexicon.next_word(text, 6) == (6, 9)
    assert lexicon.next_word(text, 9) is None
    assert lexicon.end_at(text, 0) == -1
