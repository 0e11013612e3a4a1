"""Unit tests for llm_extract.lang.textnorm: folding used by grounding, merging and scoring."""

from __future__ import annotations

from llm_extract.lang.textnorm import (
    dice,
    fold,
    fold_with_map,
    phrase_key,
    similar_phrase,
    simplify_char,
    to_simplified,
)


def test_simplify_char_converts_traditional_and_keeps_simplified():
    assert simplify_char("數") == "数"
    assert simplify_char("長") == "长"
    assert simplify_char("数") == "数"
    assert simplify_char("A") == "A"


def test_to_simplified_preserves_length():
    text = "統計數據顯示經濟增長"
    out = to_simplified(text)
    assert out == "统计数据显示经济增长"
    assert len(out) == len(text)


def test_fold_full_width_spaces_and_case():
    # full-width letters/digits/percent, ideographic space, Traditional script
    assert fold("ＧＤＰ　增長 ３．５％") == "gdp增长3.5%"
    assert fold("CPI\u00a0上漲\t2%") == "cpi上涨2%"


def test_fold_traditional_equals_simplified():
    assert fold("國內生產總值") == fold("国内生产总值")


def test_fold_with_map_matches_fold_and_maps_indices():
    text = "Ａ 數\u3000b"
    folded, index = fold_with_map(text)
    assert folded == fold(text) == "a数b"
    assert index == [0, 2, 4]
    assert [fold(text[i]) for i in index] == list(folded)


def test_phrase_key_drops_punctuation_and_handles_none():
    assert phrase_key("國內生產總值（GDP）") == "国内生产总值gdp"
    assert phrase_key("社会消费品零售总额、") == "社会消费品零售总额"
    assert phrase_key(None) == ""
    assert phrase_key("，。！") == ""


def test_dice_bounds():
    assert dice("国内生产总值", "國內生產總值") == 1.0
    assert dice("工业增加值", "社会消费品零售总额") == 0.0
    assert dice(None, "工业") == 0.0
    assert dice("", "") == 0.0
    # 工业增加值 vs 工业产值: bigrams {工业,业增,增加,加值} vs {工业,业产,产值} -> 2*1/7
    assert abs(dice("工业增加值", "工业产值") - 2 / 7) < 1e-12


def test_similar_phrase_containment_script_and_threshold():
    assert similar_phrase("国内生产总值", "國內生產總值")
    assert similar_phrase("零售总额", "社会消费品零售总额")  # containment
    assert not similar_phrase("工业增加值", "工业产值")  # dice 2/7 < 0.5
    assert similar_phrase("工业增加值", "工业产值", threshold=0.25)
    assert not similar_phrase(None, "工业")
    assert not similar_phrase("", "")
    assert not similar_phrase("，", "，")  # punctuation-only keys are empty
