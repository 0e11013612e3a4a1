"""Cleaning: chrome removal on the shared seeds/articles, and the offset map back."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from llm_extract.paths import shared_dir
from llm_extract.steps.clean import CleanText, _is_body, clean
from llm_extract.steps.clean.lines import _DATELINE

DATA = Path(__file__).parents[1] / "data"
SHARED = shared_dir()
CORPUS = sorted(SHARED.glob("seeds/*.txt")) + sorted(SHARED.glob("articles/d*.txt"))
needs_shared = pytest.mark.skipif(not CORPUS, reason=f"shared corpus not found at {SHARED}")
PINYIN_LEFT = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)")


def _corpus_file(prefix: str) -> Path:
    matches = [p for p in CORPUS if p.name.startswith(prefix)]
    if not matches:
        pytest.skip(f"{prefix}* not in the shared corpus")
    return matches[0]


def _clean_file(path: Path) -> CleanText:
    fmt = "html" if path.suffix in {".html", ".htm"} else "txt"
    return clean(path.read_text(encoding="utf-8"), fmt)


def _original(ct: CleanText, start: int, end: int) -> str:
    a, b = ct.to_original(start, end)
    return ct.original[a:b]


# --- offsets -------------------------------------------------------------------------------


def _random_line_spans(ct: CleanText, rng: random.Random, n: int) -> list[tuple[int, int]]:
    """Spans inside one clean line, starting and ending on a word character."""
    lines = [m.span() for m in re.finditer(r"[^\n]+", ct.text)]
    spans = []
    while lines and len(spans) < n:
        lo, hi = rng.choice(lines)
        start = rng.randrange(lo, hi)
        end = rng.randrange(start + 1, min(hi, start + 80) + 1)
        if re.match(r"\w", ct.text[start]) and re.match(r"\w", ct.text[end - 1]):
            spans.append((start, end))
    return spans


@needs_shared
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem[:3])
def test_random_spans_map_back_to_their_source(path: Path) -> None:
    ct = _clean_file(path)
    rng = random.Random(path.name)
    for start, end in _random_line_spans(ct, rng, 150):
        a, b = ct.to_original(start, end)
        assert 0 <= a < b <= len(ct.original)
        alone = clean(ct.original[a:b], "txt").text
        if alone == "":
            # a fragment that, on a line of its own, is page chrome ('评论', a date, a code):
            # the line filter drops it; in the article it sits inside a body line
            assert not _is_body(ct.text[start:end]), ct.text[start:end]
            continue
        fragment = ct.text[start:end]
        if alone != fragment:  # a fragment opening with a dateline loses it on a line of its own
            cut = _DATELINE.match(fragment)
            assert cut and alone == fragment[cut.end() :], fragment
            continue
        assert alone == fragment


@needs_shared
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem[:3])
def test_every_digit_run_maps_to_the_same_digits(path: Path) -> None:
    ct = _clean_file(path)
    runs = list(re.finditer(r"[0-9]+", ct.text))
    assert runs or path.stem.startswith("d07")  # d07 writes its numbers in Hanzi
    for m in runs:
        written = _original(ct, *m.span())
        assert unicodedata.normalize("NFKC", written) == m.group()


@needs_shared
def test_seed_000_number_maps_to_the_spaced_surface() -> None:
    ct = _clean_file(_corpus_file("000_"))
    start = ct.text.index("39.4万起")
    assert _original(ct, start, start + len("39.4万起")) == "39.4 万起"
    date = ct.text.index("2022年4月14日")
    assert _original(ct, date, date + len("2022年4月14日")) == "2022 年 4 月 14 日"


def test_html_fixture_spans_map_back() -> None:
    ct = _clean_file(DATA / "scripts_page.html")
    start = ct.text.index("39.4万起", ct.text.index("一年来"))
    assert _original(ct, start, start + 6) == "39.4&nbsp;万起"
    wide = ct.text.index("3291亿元")
    assert _original(ct, wide, wide + 6) == "３２９１亿元"
    quote = ct.text.index("“防火墙”")
    assert _original(ct, quote, quote + 5) == "&#8220;防火墙&#8221;"
    for start, end in _random_line_spans(ct, random.Random(1), 100):
        a, b = ct.to_original(start, end)
        assert clean(ct.original[a:b], "html").text == ct.text[start:end]


def test_full_width_number_maps_to_text_as_written() -> None:
    ct = clean("　案件 ３９．４万起，同比上升２８．５％。\n", "txt")
    assert ct.text == "案件39.4万起，同比上升28.5%。"
    assert _original(ct, 2, 8) == "３９．４万起"
    assert _original(ct, ct.text.index("28.5%"), ct.text.index("28.5%") + 5) == "２８．５％"


def test_to_original_edges() -> None:
    ct = clean("<p>甲 12 万</p>\n\n\n<p>乙</p>", "html")
    assert ct.text == "甲12万\n乙"
    assert ct.to_original(0, 0) == (3, 3)
    assert ct.to_original(len(ct.text), len(ct.text)) == (len(ct.original),) * 2
    assert _original(ct, 0, len(ct.text)) == "甲 12 万</p>\n\n\n<p>乙"
    with pytest.raises(ValueError):
        ct.to_original(0, len(ct.text) + 1)
    with pytest.raises(ValueError):
        ct.to_original(3, 2)


def test_unchanged_text_maps_identically() -> None:
    text = "公安部表示，破获案件39.4万起。"
    ct = clean(text, "txt")
    assert ct.text == text
    assert ct.to_original(5, 12) == (5, 12)


# --- chrome ------------------------------------------------------------------------------

CHROME_CASES = {
    "000_": (
        [
            "39.4万起",
            "3291亿元",
            "公安部：国家反诈中心 App 向群众预警2.3亿次",
            "我就先介绍这些情况。",
        ],
        ["headimg", "thumbnail", "data-vmark", "<p", "</div>", "线索投递", "---"],
    ),
    "001_": (
        ["39.4万起", "3291亿元", "各地区各部门合力筑牢反诈“长城”", "(记者 董凡超)"],
        [
            "16546亿千瓦时",
            "140.7万立方米",
            "点击右上角",
            "朋友圈",
            "浏览器分享",
            "正在阅读",
            "首页>",
            "来源:",
            "责编",
            "阅读剩余全文",
            "相关阅读",
            "您此时的心情",
            "开心",
            "视觉焦点",
            "独家策划",
            "推荐阅读",
            "2025-09-18",
            "加载更多",
            "731",
        ],
    ),
    "002_": (
        ["39.1万起", "5.7%", "17.3%", "9330余条", "50亿次", "12381"],
        ["16546", "223亿千瓦时", "55.1%", "2026-03-18", "责编", "相关阅读", "加载更多"],
    ),
    "003_": (["22万起", "29.6万名", "104.4%", "44.3%", "7.8亿次"], []),
    "004_": (
        ["9個月", "多部門發聲對電信網絡詐騙保持嚴打高壓", "網絡", "發聲", "5·10"],
        [
            "首頁",
            "來源:",
            "2022-04-15",
            "010-63074375",
            "18039543",
            "版權",
            "矩形廣告",
            "春耕時節",
            "新華通訊社主管",
        ],
    ),
    "d01": (
        ["甘肃省公安机关止付冻结电信网络诈骗涉案金额20亿元", "48.3%", "1538名", "75.17%"],
        ["原标题", "24天", "2019-12-20", "相关新闻", "兰州新区"],
    ),
    "d02": (
        ["20萬起", "16.3萬人", "373.8億元", "(記者 張子揚)", "(人民幣,下同)", "96110"],
        [
            "05022042",
            "35120170001",
            "3630-217",
            "232號",
            "15:27:27",
            "相關閱讀",
            "責任編輯",
            "打印",
            "許可",
        ],
    ),
    "d03": (["4万人", "超8倍", "85%", "2200余人"], []),
    "d04": (
        ["13个月", "214万个", "2.92亿条", "26家", "10亿余条", "12381"],
        ["您的位置", "18:33:17", "宋娟", "版权", "分享到", "掌中安徽APP下载", "市场星报微博"],
    ),
    "d05": (
        ["54.3萬起", "4529億元", "1161.9萬個", "中央宣傳部、公安部"],
        ["來源:中國日報網", "楊澤坤"],
    ),
    "d06": (
        ["10月詐騙財損逾9億 6都最少", "九億兩千一百五十萬元", "六成四六", "記者葉進耀∕台南報導"],
        ["記者葉進耀攝", "<br", "宣誓打擊詐騙決心"],
    ),
    "d07": (
        ["五三○件", "一億七二四四萬元", "十一.三億元", "「小翼」"],
        ["date", "2025-11-25", "記者方一成攝", "有越來越多趨勢"],
    ),
    "d08": (
        ["最高法:5年来判处电诈犯罪被告人33.8万余人", "33.8万余人", "15.9万余件", "48.4%", "4.5%"],
        [
            "13008251",
            "16518",
            "11010502052014",
            "本网概况",
            "苏亦瑜",
            "2026-02-27",
            "主办",
            "相关阅读",
            "版权所有",
        ],
    ),
    "d09": (["8.13萬億元", "0.1個百分點", "5.1%", "(人民幣‧下同)"], []),
    "d10": (["(1)", "(5)", "8933.6亿元", "89.8%", "(下同)"], []),
    "d11": (["48.91亿", "140.3%", "(人民日报)"], ["3比0", "1比0", "馆校合作", "版权声明"]),
    "d12": (["46203亿元", "27.9%", "9.1%、4.8%、4%"], []),
    "d13": (
        ["35299.9万人次", "8.2%", "(新华社)"],
        ["点击右上角", "Safari", "微信好友", "朋友圈", "QQ", "按钮"],
    ),
    "d14": (
        ["7萬宗", "28,000多宗", "48億元", "2,700多人", "六成人已被檢控。", "1969年"],
        ["adblk6", "adblk7", "攝:李睿哲", "分享:", "04:30:42", "2023-02-15"],
    ),
    "d15": (
        ["9月失業率24年同期最低", "3.43%", "3.34%~3.4%", "1,160.4萬人", "7,000人"],
        [
            "716",
            "會員中心",
            "訂閱管理",
            "常見問題",
            "登出",
            "notice-title",
            "AI 造假",
            "不再顯示",
            "聯合報系資料照",
            "打開 App",
        ],
    ),
}


@needs_shared
@pytest.mark.parametrize("prefix", sorted(CHROME_CASES))
def test_body_kept_and_chrome_removed(prefix: str) -> None:
    kept, gone = CHROME_CASES[prefix]
    text = _clean_file(_corpus_file(prefix)).text
    for figure in kept:
        assert figure in text, f"{prefix}: body text {figure!r} lost"
    for chrome in gone:
        assert chrome not in text, f"{prefix}: chrome {chrome!r} left"


@needs_shared
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem[:3])
def test_clean_text_is_tidy(path: Path) -> None:
    text = _clean_file(path).text
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert all(line == line.strip() for line in text.split("\n"))
    assert not re.search(r"<[a-zA-Z/][^>]*>", text)


@needs_shared
def test_seed_004_has_no_pinyin_left() -> None:
    text = _clean_file(_corpus_file("004_")).text
    assert not PINYIN_LEFT.search(text)
    assert "持續9個月立案數" in text


@needs_shared
def test_sidebars_cut_to_the_end_of_the_document() -> None:
    for prefix in ("001_", "002_"):
        ct = _clean_file(_corpus_file(prefix))
        assert ct.text.endswith("。") or ct.text.endswith(")")
        last = ct.to_original(len(ct.text) - 1, len(ct.text))[1]
        assert "相关阅读" in ct.original[last:]


# --- single rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading", ["相关链接：", "相關連結", "更多相關新聞（點擊標題閱讀全文）", "熱門排行"]
)
def test_a_related_links_heading_ends_the_body(heading: str) -> None:
    body = "1—5月，全省规模以上工业增加值同比增长7.1%。\n"
    text = body + heading + "\n· 4月份全省规模以上工业增加值同比增长6.3%\n2 台股站上2萬3千點\n"
    assert "6.3%" not in clean(text, "txt").text and "7.1%" in clean(text, "txt").text


def test_pinyin_removed_but_ordinary_parentheses_kept() -> None:
    text = "網(wǎng)絡(luò)詐騙9個(gè)月，發(fā)聲(記者 張子揚)（人民幣，下同）"
    text += "(1)(CRAFT)App(ai)他們(men)"
    assert (
        clean(text, "txt").text
        == "網絡詐騙9個月，發聲(記者 張子揚)（人民幣，下同）(1)(CRAFT)App(ai)他們"
    )


def test_digit_han_spaces() -> None:
    assert (
        clean("于 2022 年 4 月 14 日，案件 39.4 万起", "txt").text
        == "于2022年4月14日，案件39.4万起"
    )
    assert clean("逾9億 6都最少", "txt").text == "逾9億 6都最少"
    assert clean("App 向群众 预警", "txt").text == "App 向群众 预警"


def test_the_spaces_of_a_table_and_its_header_stay() -> None:
    table = "发电类型 10月新增（万千瓦） 1—10月同比增长（%）\n火电 620 38.5\n水电 95 -12.4\n"
    text = "新增装机如下：\n" + table + "全年 共 3 起"
    assert clean(text, "txt").text == "新增装机如下：\n" + table + "全年 共3起"
    one_row = "火电 620 38.5\n"  # a single line of figures is no table
    assert clean(one_row, "txt").text == "火电620 38.5"


def test_full_width_and_spaces_but_chinese_punctuation_kept() -> None:
    text = "ＡＢＣ１２３％．＋－～\u3000甲\u00a0乙，。；：？！、（）“”"
    assert clean(text, "txt").text == "ABC123%.+-~ 甲 乙，。；：？！、（）“”"


def test_traditional_stays_traditional() -> None:
    text = "詐騙案增加四成半，達到28,000多宗。"
    assert clean(text, "txt").text == text


def test_html_tags_blocks_and_entities() -> None:
    page = (
        "<html><head><title>标题</title><style>p{x:1}</style></head><body>"
        "<div>第一段&amp;说明<br/>第二行</div><ul><li>甲</li><li>乙</li></ul>"
        "<table><tr><td>案件</td><td>39.4万起</td></tr></table>"
        "<script>var a = '<p>脚本</p>';</script><noscript>无脚本</noscript>"
        "<p>引号&#8220;防火墙&#8221;&nbsp;完</p><!-- 注释 --></body></html>"
    )
    assert (
        clean(page, "html").text
        == "标题\n第一段&说明\n第二行\n甲\n乙\n案件39.4万起\n引号“防火墙” 完"
    )


def test_literal_br_in_plain_text_is_a_line_break() -> None:
    text = "第一行。<br />第二行。<br>第三行 x < y 而 a<b 不是标签"
    assert clean(text, "txt").text == "第一行。\n第二行。\n第三行 x < y 而 a<b 不是标签"


def test_markdown_front_matter_links_images() -> None:
    ct = clean((DATA / "front_matter.md").read_text(encoding="utf-8"), "md")
    assert ct.text.split("\n")[0] == "国家反诈中心 App 向群众预警2.3亿次"
    assert (
        "据国务院新闻办发布，国家反诈中心 App 向群众预警2.3亿次，受理举报线索1466万条。" in ct.text
    )
    for chrome in ("date:", "tags", "https://", "配图", "**", "# ", "16546", "相关阅读"):
        assert chrome not in ct.text
    first = ct.to_original(0, 2)
    assert ct.original[first[0] : first[1]] == "国家"


def test_html_page_full_of_scripts_cleans_to_its_body() -> None:
    text = _clean_file(DATA / "scripts_page.html").text
    assert text.split("\n") == [
        "公安部：全国破获电信网络诈骗案件39.4万起",
        "一年来，全国共破获电信网络诈骗案件39.4万起，抓获犯罪嫌疑人63.4万名，同比分别上升28.5%和76.6%。",
        "国家反诈中心直接推送预警指令4067万条，成功避免6178万名群众受骗“防火墙”见效。",
        "紧急止付涉案资金3291亿元 & 拦截诈骗电话19.5亿次。",
    ]


def test_generic_chrome_lines_on_a_made_up_page() -> None:
    page = "\n".join(
        [
            "首页 | 机构设置 | 新闻发布 | 政务公开 | 在线服务 | English",
            "2025年3月17日 星期一　天文台：18°C　相對濕度：82%　　登入 ｜ 訂閱",
            "搜索：请输入关键字  无障碍浏览  长者模式",
            "收录于合集 #反诈进行时 56个",
            "發布單位：統計處 發布日期：114-06-20更新日期：114-06-20",
            "字級：小 中 大 友善列印 分享：Facebook LINE X",
            "当前位置：首页 > 新闻 > 正文",
            "分享到：",
            "某市破获诈骗案件120起",
            "2024-05-06 08:00  来源：某某日报  作者：李四",
            "某市公安局通报，今年以来共破获诈骗案件120起，挽回损失3500万元。",
            "(記者王五攝)",
            "查处虚假广告案件1.2万件。",
            "廣告",
            "【编辑：张三】",
            "阅读 2.3万　分享　点赞 412　在看 156",
            "往期推荐",
            "- 2024-05-01某地破获案件99起",
            "Copyright 2024 某某网 版权所有 沪ICP备12345678号",
        ]
    )
    assert clean(page, "txt").text == (
        "某市破获诈骗案件120起\n某市公安局通报，今年以来共破获诈骗案件120起，挽回损失3500万元。\n"
        "查处虚假广告案件1.2万件。"
    )


def test_a_table_after_the_last_prose_line_stays() -> None:
    page = (
        "本港失業率為3.4%，就業不足率為1.2%。\n表一　勞動人口主要統計數字\n"
        "項目\t一月至三月\t二月至四月\n失業人數（人）\t123 100\t131 800\n"
        "就業不足率（%）\t1.1\t1.2\n相關連結"
    )
    assert clean(page, "txt").text.splitlines()[1:] == [
        "表一 勞動人口主要統計數字",
        "項目|一月至三月|二月至四月",
        "失業人數（人）|123 100|131 800",
        "就業不足率（%）|1.1|1.2",
    ]


def test_trailing_short_lines_after_the_body_go_unless_they_hold_a_quantity() -> None:
    page = "公安机关今年破获案件120起，同比上升5%。\n\n关注我们\n下载客户端\n其中电诈案件80起\n"
    assert clean(page, "txt").text == "公安机关今年破获案件120起，同比上升5%。\n\n其中电诈案件80起"


def test_repeated_caption_goes_but_a_repeated_title_keeps_one_copy() -> None:
    page = "標題一\n來源:某報\n標題一\n\n圖說文字。\n圖說文字。\n\n"
    page += "正文第一段，共有30萬人參加，比去年增加5%。"
    assert clean(page, "txt").text == "標題一\n\n正文第一段，共有30萬人參加，比去年增加5%。"


def test_blank_lines_collapse_and_lines_are_stripped() -> None:
    assert clean("  甲  \r\n\r\n\r\n\r\n  乙\t\n丙  ", "txt").text == "甲\n\n乙\n丙"


def test_empty_and_all_chrome_documents() -> None:
    assert clean("", "txt").text == ""
    assert clean("分享到：\n打開 App\n", "txt").text == ""


# --- size (speed is measured by benchmarks/bench_clean.py, not asserted here) ---------------


@needs_shared
def test_a_megabyte_of_repeated_articles_keeps_every_copy() -> None:
    bodies = [_clean_file(p).text for p in CORPUS]
    page = (DATA / "scripts_page.html").read_text(encoding="utf-8")
    unit = "\n\n".join(bodies) + "\n\n" + page.split("<body>")[1].split("<aside>")[0]
    copies = 1_000_000 // len(unit.encode()) + 1
    ct = clean("\n\n".join([unit] * copies), "html")
    once = clean(unit, "html").text.count("39.4万起")
    assert once >= 3 and ct.text.count("39.4万起") == copies * once
    assert "<script" not in ct.text


def test_a_byline_after_the_last_sentence_is_cut_not_the_line() -> None:
    text = (
        "香港经济在第三季继续恢复，私人消费开支按年实质上升6.3%。\n"
        "特区政府将通胀率的预测分别由2%及2.4%向下修订至1.8%及2.2%。(完) 【编辑:朱延】\n"
        "编辑:张三\n"
    )
    ct = clean(text, "txt")
    assert ct.text.endswith("向下修订至1.8%及2.2%。")
    assert "编辑" not in ct.text and "张三" not in ct.text
    start = ct.text.index("1.8%")
    assert _original(ct, start, start + 4) == "1.8%"


@pytest.mark.parametrize(
    ("line", "body"),
    [
        ("本报郑州１月３日电记者戴鹏报道：棚外零下数度，全市有温棚１５座。", "棚外零下数度"),
        ("据新华社香港１月１７日电香港昨天气温骤降，各界捐款２３００万港元。", "香港昨天气温骤降"),
        ("新华社北京10月21日电（记者张宿堂）全国共破获案件39.4万起。", "全国共破获案件"),
        ("中新网北京十月二十一日讯 全国共破获案件39.4万起。", "全国共破获案件"),
    ],
)
def test_a_dateline_opening_a_paragraph_is_cut_not_the_paragraph(line: str, body: str) -> None:
    ct = clean("标题\n" + line + "\n", "txt")
    kept = ct.text.split("\n")[-1]
    assert kept.startswith(body), kept
    assert "日电" not in kept and "日讯" not in kept and "记者" not in kept[: len(body) + 2]
    start = ct.text.index(body)
    assert _original(ct, start, start + len(body)) == body


def test_a_middle_dot_between_digits_before_a_unit_is_a_decimal_point() -> None:
    ct = clean(
        "税收增长１７·２％，日均１·０６２亿桶，每桶２１·４８美元。“5·10”专项行动，9·11事件。", "txt"
    )
    assert "17.2%" in ct.text and "1.062亿桶" in ct.text and "21.48美元" in ct.text
    assert "5·10" in ct.text and "9·11" in ct.text
    start = ct.text.index("17.2%")
    assert _original(ct, start, start + 5) == "１７·２％"


def test_a_date_with_dian_inside_a_sentence_is_kept() -> None:
    text = "标题\n今年1月3日电视台播出专题，全市有温棚15座。\n去年全市售电量1月3日电网公司公布。\n"
    assert clean(text, "txt").text == text.strip()


def test_after_the_last_prose_line_lines_stating_quantities_stay_and_links_go() -> None:
    text = (
        "教育部今天發布2019年全國教育事業發展統計公報，全國共有各級各類學校53.01萬所。\n"
        "小學\n"
        "學校數量連續42年減少\n"
        "- 學校16.01萬所,比上年下降1.03%\n"
        "- 在校生1.54億\n"
        "- 教學點9.65萬個\n"
        "相關新聞\n"
        "更多閱讀\n"
    )
    kept = clean(text, "txt").text.splitlines()
    for line in ("學校數量連續42年減少", "- 學校16.01萬所,比上年下降1.03%", "- 在校生1.54億"):
        assert line in kept
    assert "- 教學點9.65萬個" in kept
    assert "相關新聞" not in kept and "更多閱讀" not in kept and "小學" not in kept


def test_page_numbers_and_the_running_header_beside_them_go() -> None:
    title = "关于江西省2025年上半年预算执行情况的报告"
    text = (
        f"{title}\n上半年，全省一般公共预算收入1728.6亿元，同比增长3.2%。卫生健康支出318.6亿元。\n"
        f"— 1 —\n{title}\n农林水支出402.5亿元，同比下降1.7%。\n"
        "第 2 页\n国有资本经营预算收入38.6亿元。\n"
    )
    lines = clean(text, "txt").text.split("\n")
    assert lines.count(title) == 1
    assert not any("— 1 —" in line or "第 2 页" in line for line in lines)
    assert "农林水支出402.5亿元，同比下降1.7%。" in lines


PDF_TEXT = (
    "（一）一般公共预算。上半年，全省一般公共预算收入1728.6亿元，完成预\n"
    "算的52.1%，同比增长3.2%，收入总量居中部六省第四位。其中，税收收入\n"
    "1105.3亿元，增长1.8%，占一般公共预算收入的比重为63.9%；非税收入623.3亿\n"
    "元，增长5.9%。非税收入中，专项收入112.4亿元，行政事业性收费收入86.7亿\n"
    "元，罚没收入54.2亿元，国有资源（资产）有偿使用收入318.5亿元。从主要税\n"
    "种看，国内增值税452.7亿元，增长3.5%。\n"
    "（二）政府性基金预算。上半年，全省政府性基金预算收入826.4亿元。\n"
)


def test_a_hard_wrapped_document_is_unwrapped_and_its_offsets_kept() -> None:
    ct = clean(PDF_TEXT, "txt")
    lines = ct.text.split("\n")
    assert lines[0].endswith(
        "完成预算的52.1%，同比增长3.2%，收入总量居中部六省第四位。其中，税收收入1105.3亿元，增长1.8%，占一般公共预算收入的比重为63.9%；非税收入623.3亿元，增长5.9%。非税收入中，专项收入112.4亿元，行政事业性收费收入86.7亿元，罚没收入54.2亿元，国有资源（资产）有偿使用收入318.5亿元。从主要税种看，国内增值税452.7亿元，增长3.5%。"
    )  # noqa: E501
    assert lines[1].startswith("（二）")  # a heading opens a line of its own
    at = ct.text.index("623.3亿元")
    start, end = ct.to_original(at, at + len("623.3亿元"))
    assert ct.original[start:end] == "623.3亿\n元"


def test_paragraphs_that_end_their_sentences_are_not_joined() -> None:
    opened = [
        f"上半年，全省一般公共预算收入{n}亿元，同比增长3.2%，其中税收收入增长1.8%"
        for n in (17, 18, 19)
    ]
    done = [
        f"{n}年，全省一般公共预算支出3912.4亿元，同比增长4.6%，民生支出占比77.0%。"
        for n in (1, 2, 3, 4)
    ]
    text = "\n".join(opened + done) + "\n"  # most lines of the width end their sentence
    assert clean(text, "txt").text.count("\n") == 6
    assert clean("\n".join(opened[:2] + done[:1]) + "\n", "txt").text.count("\n") == 2  # too few
