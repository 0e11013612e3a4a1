"""Tests for the language pack: loaded once, Traditional forms generated, data shipped."""

from __future__ import annotations

from llm_extract.lang import load_language, trie


def test_loaded_once_per_process():
    assert load_language() is load_language("zh")


def test_traditional_forms_generated_with_exceptions_kept():
    zh = load_language("zh")
    assert zh.traditional("国家统计局") == "國家統計局"
    assert zh.traditional("扩大") == "扩大"  # an exception of script.toml: kept as written
    assert set(zh.both("公安机关")) == {"公安机关", "公安機關"}


def test_tables_and_trie():
    zh = load_language("zh")
    assert zh.units["currency"]["港币"] == "港元"
    assert "全国" in zh.places["scopes"].split()
    assert zh.sentence_end.match("。") and zh.han_char.match("國")
    assert trie(["全国", "全省", "全"]) == "全(?:(?:国|省))?"
