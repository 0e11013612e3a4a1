"""Tests for `llm_extract.steps.numbers`: number mentions in Chinese text, both scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from llm_extract.paths import shared_dir
from llm_extract.steps.numbers import NumberMention, find_numbers, parse_number
from llm_extract.steps.numbers.rules import change_verbs

SHARED = shared_dir()
DOCS = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "articles").glob("*.txt"))
GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold"

M = tuple[str, int | float, int | float | None, str, str, bool]


def _tuples(text: str) -> list[M]:
    return [(m.surface, m.value, m.value_max, m.unit, m.kind, m.approx) for m in find_numbers(text)]


# (text, every mention expected: surface, value, value_max, unit, kind, approx)
CASES: list[tuple[str, list[M]]] = [
    # Arabic numerals with magnitudes, spaces and full-width forms
    ("破获案件39.4万起", [("39.4万起", 394000, None, "起", "count", False)]),
    ("破获案件 39.4 万起，", [("39.4 万起", 394000, None, "起", "count", False)]),
    ("破獲案件３９．４萬起", [("３９．４萬起", 394000, None, "起", "count", False)]),
    ("止付资金3291亿元", [("3291亿元", 329100000000, None, "元", "money", False)]),
    ("止付資金 3291 億元", [("3291 億元", 329100000000, None, "元", "money", False)]),
    ("总值1.1万亿", [("1.1万亿", 1100000000000, None, "", "count", False)]),
    ("總值12.1萬億元人民幣", [("12.1萬億元", 12100000000000, None, "元", "money", False)]),
    ("总值12.1万亿元人民币", [("12.1万亿元", 12100000000000, None, "元", "money", False)]),
    ("共1萬4109人", [("1萬4109人", 14109, None, "人", "count", False)]),
    ("涉款2億2392萬元", [("2億2392萬元", 223920000, None, "元", "money", False)]),
    ("涉款2亿2392万元", [("2亿2392万元", 223920000, None, "元", "money", False)]),
    ("共1,164人", [("1,164人", 1164, None, "人", "count", False)]),
    ("比上月增长0.56%", [("0.56%", 0.56, None, "%", "change", False)]),
    ("按年增約8千宗", [("8千宗", 8000, None, "宗", "change", True)]),
    ("拦截2.3亿次", [("2.3亿次", 230000000, None, "次", "count", False)]),
    ("劝阻101.6萬人次", [("101.6萬人次", 1016000, None, "人次", "count", False)]),
    ("清理卡1931万张、行业卡", [("1931万张", 19310000, None, "张", "count", False)]),
    ("處置2萬餘場次", [("2萬餘場次", 20000, None, "場次", "count", True)]),
    ("用电量16546亿千瓦时", [("16546亿千瓦时", 1654600000000, None, "千瓦时", "count", False)]),
    # take-offs and landings (升降, 起降) are a count, not a rise and a fall
    ("客運航班升降約25,900架次", [("25,900架次", 25900, None, "架次", "count", True)]),
    ("保障航班起降512架次", [("512架次", 512, None, "架次", "count", False)]),
    ("推广测土配方施肥技术96.4万亩次", [("96.4万亩次", 964000, None, "亩次", "count", False)]),
    ("检查经营单位1874家次", [("1874家次", 1874, None, "家次", "count", False)]),
    ("人均生活用水量182升/日", [("182升/日", 182, None, "升/日", "count", False)]),
    # a score with decimals; a clock's minute and a decibel are no score
    ("综合满意度为91.8分", [("91.8分", 91.8, None, "分", "count", False)]),
    ("平均等效声级54.3分贝", [("54.3分贝", 54.3, None, "分贝", "count", False)]),
    # months with decimals are a measure (`年终奖金4.2个月`); 则 counts items, not "then"
    ("年終獎金平均發放4.2個月", [("4.2個月", 4.2, None, "個月", "count", False)]),
    ("下架涉詐廣告12萬8,940則", [("12萬8,940則", 128940, None, "則", "count", False)]),
    ("同比增长5%，则", [("5%", 5, None, "%", "change", False)]),
    # Chinese numerals, standard and digit-by-digit
    ("损失一千二百万元", [("一千二百万元", 12000000, None, "元", "money", False)]),
    ("抓获两千人", [("两千人", 2000, None, "人", "count", False)]),
    ("抓獲兩千人", [("兩千人", 2000, None, "人", "count", False)]),
    ("受理九萬三三七九件", [("九萬三三七九件", 93379, None, "件", "count", False)]),
    ("受理九万三三七九件", [("九万三三七九件", 93379, None, "件", "count", False)]),
    ("財損數新臺幣一億七二四四萬元", [("一億七二四四萬元", 172440000, None, "元", "money", False)]),
    ("受理件數五三○件", [("五三○件", 530, None, "件", "count", False)]),
    ("受理件数五三〇件", [("五三〇件", 530, None, "件", "count", False)]),
    ("成員計二○七二人次", [("二○七二人次", 2072, None, "人次", "count", False)]),
    ("價值七億一五五二萬餘元", [("七億一五五二萬餘元", 715520000, None, "元", "money", True)]),
    ("价值七亿一五五二万余元", [("七亿一五五二万余元", 715520000, None, "元", "money", True)]),
    ("新北市廿三億四千多萬", [("廿三億四千多萬", 2340000000, None, "", "count", True)]),
    ("查獲詐欺集團一百廿一件", [("一百廿一件", 121, None, "件", "count", False)]),
    ("计卅件", [("卅件", 30, None, "件", "count", False)]),
    ("平均受理詐欺案四十三.一件", [("四十三.一件", 43.1, None, "件", "count", False)]),
    ("阻斷金流突破十一.三億元", [("十一.三億元", 1130000000, None, "元", "money", True)]),
    ("全年成交值首破90兆元", [("90兆元", 90000000000000, None, "元", "money", True)]),  # 破: approx
    ("日均加开旅客列车1100余列", [("1100余列", 1100, None, "列", "count", True)]),  # trains
    ("損失九億兩千一百五十萬元", [("九億兩千一百五十萬元", 921500000, None, "元", "money", False)]),
    ("查获一千一百多人", [("一千一百多人", 1100, None, "人", "count", True)]),
    # percent forms
    ("佔百分之四十七點九", [("百分之四十七點九", 47.9, None, "%", "percent", False)]),
    ("占百分之四十七点九", [("百分之四十七点九", 47.9, None, "%", "percent", False)]),
    ("占32.13%。", [("32.13%", 32.13, None, "%", "percent", False)]),
    ("失業率3.43％。", [("3.43％", 3.43, None, "%", "percent", False)]),
    ("约占2%", [("2%", 2, None, "%", "percent", True)]),
    ("比例为3成6", [("3成6", 36, None, "%", "percent", False)]),
    ("损失佔比達總金額的六成四六", [("六成四六", 64.6, None, "%", "percent", False)]),
    ("损失占比达总金额的六成四六", [("六成四六", 64.6, None, "%", "percent", False)]),
    ("整體破案率三成半", [("三成半", 35, None, "%", "percent", False)]),
    ("支持率達6.5成", [("6.5成", 65, None, "%", "percent", False)]),  # a decimal before 成
    ("PM2.5平均濃度為47微克/立方米", [("47微克/立方米", 47, None, "微克/立方米", "count", False)]),
    ("利用小时1038小時", [("1038小時", 1038, None, "小時", "count", False)]),
    ("平均通勤5.4分鐘", [("5.4分鐘", 5.4, None, "分鐘", "count", False)]),
    ("增幅逾1.5成", [("1.5成", 15, None, "%", "change", True)]),
    ("約有6.5成3", []),  # a decimal and a digit after 成: no such numeral
    ("受害人六成多", [("六成多", 60, None, "%", "percent", True)]),
    ("近九成受访者", [("九成", 90, None, "%", "percent", True)]),
    ("佔總體四成", [("四成", 40, None, "%", "percent", False)]),
    ("失业率回落3个百分点", [("3个百分点", -3, None, "个百分点", "change", False)]),
    ("差距為3個百分點", [("3個百分點", 3, None, "個百分點", "percent", False)]),
    # ranges
    ("预计3至5万起", [("3至5万起", 30000, 50000, "起", "count", False)]),
    ("预计15～20万", [("15～20万", 150000, 200000, "", "count", False)]),
    ("维持3.34%~3.4%之间", [("3.34%~3.4%", 3.34, 3.4, "%", "percent", False)]),
    ("维持3.34%～3.4%之間", [("3.34%～3.4%", 3.34, 3.4, "%", "percent", False)]),
    ("约有两三千人", [("两三千人", 2000, 3000, "人", "count", True)]),
    ("約有兩三千人", [("兩三千人", 2000, 3000, "人", "count", True)]),
    ("七八成", [("七八成", 70, 80, "%", "percent", False)]),
    ("三至四成", [("三至四成", 30, 40, "%", "percent", False)]),
    ("升幅介乎四成至1.8倍", [("四成至1.8倍", 40, 180, "%", "change", False)]),
    ("3万至5万人", [("3万至5万人", 30000, 50000, "人", "count", False)]),
    # changes
    (
        "同比分别上升28.5%和76.6%",
        [("28.5%", 28.5, None, "%", "change", False), ("76.6%", 76.6, None, "%", "change", False)],
    ),
    (
        "同比分別上升 28.5% 和 76.6%",
        [("28.5%", 28.5, None, "%", "change", False), ("76.6%", 76.6, None, "%", "change", False)],
    ),
    (
        "支出分别同比增长9.1%、4.8%、4%。",
        [
            ("9.1%", 9.1, None, "%", "change", False),
            ("4.8%", 4.8, None, "%", "change", False),
            ("4%", 4, None, "%", "change", False),
        ],
    ),
    ("立案数同比下降17.3%", [("17.3%", -17.3, None, "%", "change", False)]),
    ("立案數同比下降17.3%", [("17.3%", -17.3, None, "%", "change", False)]),
    ("月減0.05個百分點", [("0.05個百分點", -0.05, None, "個百分點", "change", False)]),
    ("月减0.05个百分点", [("0.05个百分点", -0.05, None, "个百分点", "change", False)]),
    ("月增0.02個百分點", [("0.02個百分點", 0.02, None, "個百分點", "change", False)]),
    ("較上月減少7,000人", [("7,000人", -7000, None, "人", "change", False)]),
    ("较上月减少7,000人", [("7,000人", -7000, None, "人", "change", False)]),
    ("按年升8.7%", [("8.7%", 8.7, None, "%", "change", False)]),
    ("比上月升0.1個百分點", [("0.1個百分點", 0.1, None, "個百分點", "change", False)]),
    ("按年跌3.1%", [("3.1%", -3.1, None, "%", "change", False)]),
    (
        "贸易顺差8933.6亿元，扩大45%",
        [
            ("8933.6亿元", 893360000000, None, "元", "money", False),
            ("45%", 45, None, "%", "change", False),
        ],
    ),
    ("同比上升超8倍", [("8倍", 8, None, "倍", "change", True)]),
    ("環比下降45%", [("45%", -45, None, "%", "change", False)]),
    ("較前年多5,620宗", [("5,620宗", 5620, None, "宗", "change", False)]),
    (
        "兇殺案全年有30宗，按年增7宗",
        [
            ("30宗", 30, None, "宗", "count", False),
            ("7宗", 7, None, "宗", "change", False),
        ],
    ),
    (
        "詐騙案增加四成半，達到28,000多宗",
        [
            ("四成半", 45, None, "%", "change", False),
            ("28,000多宗", 28000, None, "宗", "count", True),
        ],
    ),
    (
        "诈骗案增加四成半，达到28,000多宗",
        [
            ("四成半", 45, None, "%", "change", False),
            ("28,000多宗", 28000, None, "宗", "count", True),
        ],
    ),
    (
        "下跌8.2%至2,700多人",
        [
            ("8.2%", -8.2, None, "%", "change", False),
            ("2,700多人", 2700, None, "人", "count", True),
        ],
    ),
    (
        "按年增約8千宗、至有近2.8萬宗、升幅45%",
        [
            ("8千宗", 8000, None, "宗", "change", True),
            ("2.8萬宗", 28000, None, "宗", "count", True),
            ("45%", 45, None, "%", "change", False),
        ],
    ),
    (
        "9月續增1,000人達到10.1萬人",
        [
            ("1,000人", 1000, None, "人", "change", False),
            ("10.1萬人", 101000, None, "人", "count", False),
        ],
    ),
    (
        "由3万人增至5万人",
        [
            ("3万人", 30000, None, "人", "count", False),
            ("5万人", 50000, None, "人", "count", False),
        ],
    ),
    (
        "出游人次48.91亿，同比增加23.61亿，增幅93.3%",
        [
            ("48.91亿", 4891000000, None, "人次", "count", False),
            ("23.61亿", 2361000000, None, "人次", "change", False),
            ("93.3%", 93.3, None, "%", "change", False),
        ],
    ),
    ("工業增加值5.3萬億元", [("5.3萬億元", 5300000000000, None, "元", "money", False)]),
    ("新增病例30例", [("30例", 30, None, "例", "count", False)]),
    # signs
    ("同比增长负3.9%", [("负3.9%", -3.9, None, "%", "change", False)]),
    ("增速為負3.9%", [("負3.9%", -3.9, None, "%", "change", False)]),  # a growth rate
    ("差额为-3.2亿", [("-3.2亿", -320000000, None, "", "count", False)]),
    ("同比-3.2%", [("-3.2%", -3.2, None, "%", "change", False)]),
    # approximation markers, before (outside the surface) and inside
    ("共立案近2万起", [("2万起", 20000, None, "起", "count", True)]),
    ("共立案近2萬起", [("2萬起", 20000, None, "起", "count", True)]),
    ("案件5200余起", [("5200余起", 5200, None, "起", "count", True)]),
    ("案件5200餘起", [("5200餘起", 5200, None, "起", "count", True)]),
    ("视频 4300 多条", [("4300 多条", 4300, None, "条", "count", True)]),
    ("损失约8.81亿元", [("8.81亿元", 881000000, None, "元", "money", True)]),
    ("損失約8.81億元", [("8.81億元", 881000000, None, "元", "money", True)]),
    ("財損逾9億", [("9億", 900000000, None, "", "count", True)]),
    ("信息超10亿余条", [("10亿余条", 1000000000, None, "条", "count", True)]),
    ("超过5万人", [("5万人", 50000, None, "人", "count", True)]),
    ("超過5萬人", [("5萬人", 50000, None, "人", "count", True)]),
    ("将近5万人", [("5万人", 50000, None, "人", "count", True)]),
    ("將近5萬人", [("5萬人", 50000, None, "人", "count", True)]),
    ("大约5万人", [("5万人", 50000, None, "人", "count", True)]),
    ("5万人以上", [("5万人", 50000, None, "人", "count", True)]),
    ("5万人左右", [("5万人", 50000, None, "人", "count", True)]),
    ("仍在10萬上下", [("10萬", 100000, None, "", "count", True)]),
    ("上千人", [("千人", 1000, None, "人", "count", True)]),
    ("百余人", [("百余人", 100, None, "人", "count", True)]),
    ("约7万宗罪案", [("7万宗", 70000, None, "宗", "count", True)]),
    # streaks of months are counts; other durations are not numbers
    ("立案数连续9个月同比下降", [("9个月", 9, None, "个月", "count", False)]),
    # streaks worded with 连 and a verb, with 第, in days or quarters
    ("租金指數連升六個月", [("六個月", 6, None, "個月", "count", False)]),
    ("央行连续第4个月增持黄金", [("4个月", 4, None, "个月", "count", False)]),
    ("比索结束连续９天的上升势头", [("９天", 9, None, "天", "count", False)]),
    ("住客人次連續九個季度按年上升", [("九個季度", 9, None, "個季度", "count", False)]),
    ("立案數連續9個月同比下降", [("9個月", 9, None, "個月", "count", False)]),
    ("持续9个月立案数的同比下降", [("9个月", 9, None, "个月", "count", False)]),
    ("实现立案数连续 9 个月", [("9 个月", 9, None, "个月", "count", False)]),
    ("結束連三月走升", [("三月", 3, None, "月", "count", False)]),
    # a unit-less figure takes the unit of the figure before it in the same sentence
    (
        "損失九億兩千多萬元，新北市廿三億四千多萬、台北市廿一億九千多萬",
        [
            ("九億兩千多萬元", 920000000, None, "元", "money", True),
            ("廿三億四千多萬", 2340000000, None, "元", "money", True),
            ("廿一億九千多萬", 2190000000, None, "元", "money", True),
        ],
    ),
    # …a counter's unit only by the next item of a list, not across other words
    (
        "破获3.2万起、2.1万",
        [
            ("3.2万起", 32000, None, "起", "count", False),
            ("2.1万", 21000, None, "起", "count", False),
        ],
    ),
    (
        "全国14省旅游收入超百亿",
        [
            ("14省", 14, None, "省", "count", False),
            ("百亿", 10000000000, None, "", "count", True),
        ],
    ),
    # a percent with a written sign is a change
    (
        "按年上升：購物+9.9%，燃料-2.4%",
        [("9.9%", 9.9, None, "%", "change", False), ("-2.4%", -2.4, None, "%", "change", False)],
    ),
    ("其他单位", []),
    ("共三起", [("三起", 3, None, "起", "count", False)]),
    # a Chinese decimal after a magnitude; full-width digits before 成
    ("营收三十点五亿元", [("三十点五亿元", 3050000000, None, "元", "money", False)]),
    ("增长十点五个百分点", [("十点五个百分点", 10.5, None, "个百分点", "change", False)]),
    ("有６成民众", [("６成", 60, None, "%", "percent", False)]),
    ("約有６．５成", [("６．５成", 65, None, "%", "percent", True)]),
    # units of measure take a single numeral; more units and currencies; negative growth
    ("运送一吨货物", [("一吨", 1, None, "吨", "count", False)]),
    ("步行两公里", [("两公里", 2, None, "公里", "count", False)]),
    ("身高175公分", [("175公分", 175, None, "公分", "count", False)]),
    ("举办了12场活动", [("12场", 12, None, "场", "count", False)]),
    ("舉辦12場講座", [("12場", 12, None, "場", "count", False)]),
    ("涉款4000万澳门元", [("4000万澳门元", 40000000, None, "澳门元", "money", False)]),
    ("投資10億韓元", [("10億韓元", 1000000000, None, "韓元", "money", False)]),
    ("出口同比负增长0.8%", [("0.8%", -0.8, None, "%", "change", False)]),
    ("出口負增長3.5%", [("3.5%", -3.5, None, "%", "change", False)]),
    ("共二起", [("二起", 2, None, "起", "count", False)]),
    # a written sign is the figure's own: the fall verb before it does not flip it back
    ("較10月減少1512人（-15.99%）",
     [("1512人", -1512, None, "人", "change", False),
      ("-15.99%", -15.99, None, "%", "change", False)]),
    # 比…低/高 states a fall or a rise
    ("比上年同期低0.07个百分点", [("0.07个百分点", -0.07, None, "个百分点", "change", False)]),
    ("比上月高0.02个百分点", [("0.02个百分点", 0.02, None, "个百分点", "change", False)]),
    ("最低气温零下", []),
    # a ranking of falls stated once keeps its sign for the figures that continue it
    ("人口減少最多為金門縣2.91%，其次為台北市2.10%，再其次為連江縣2.08%。",
     [("2.91%", -2.91, None, "%", "change", False), ("2.10%", -2.1, None, "%", "change", False),
      ("2.08%", -2.08, None, "%", "change", False)]),
    ("增加率最高者為桃園市0.75%、其次為新竹縣0.50%",
     [("0.75%", 0.75, None, "%", "percent", False), ("0.50%", 0.5, None, "%", "percent", False)]),
    ("人口減少2.91%。其次為台北市2.10%",
     [("2.91%", -2.91, None, "%", "change", False), ("2.10%", 2.1, None, "%", "percent", False)]),
    # physical units and counters the press uses (units.toml), with and without a magnitude
    ("装机容量1234万千瓦", [("1234万千瓦", 12340000, None, "千瓦", "count", False)]),
    ("發電1.2萬兆瓦時", [("1.2萬兆瓦時", 12000, None, "兆瓦時", "count", False)]),
    ("货运量5678万吨公里", [("5678万吨公里", 56780000, None, "吨公里", "count", False)]),
    ("吞吐量2.1亿标准箱", [("2.1亿标准箱", 210000000, None, "标准箱", "count", False)]),
    ("降雨量123毫米", [("123毫米", 123, None, "毫米", "count", False)]),
    ("用电3200度", [("3200度", 3200, None, "度", "count", False)]),
    ("检查车辆12万台次", [("12万台次", 120000, None, "台次", "count", False)]),
    ("组建120支队伍", [("120支", 120, None, "支", "count", False)]),
    ("3万对新人", [("3万对", 30000, None, "对", "count", False)]),
    ("原油2亿桶", [("2亿桶", 200000000, None, "桶", "count", False)]),
    ("共有14省", [("14省", 14, None, "省", "count", False)]),
    # a decimal with no unit after a copula is a ratio or an index; after a verb, a change in it
    ("总人口性别比为105.07", [("105.07", 105.07, None, "", "percent", False)]),
    ("制造业PMI为49.2", [("49.2", 49.2, None, "", "percent", False)]),
    ("性别比下降6.8", [("6.8", -6.8, None, "", "change", False)]),
    # a decimal point between Chinese digits, in every form the press writes it
    ("四・五萬人", [("四・五萬人", 45000, None, "人", "count", False)]),
    ("四·五萬人", [("四·五萬人", 45000, None, "人", "count", False)]),
    # a single numeral before 倍 is a figure; after 每, an interval of time is one
    ("上升了一倍", [("一倍", 1, None, "倍", "change", False)]),
    ("約每5.4分鐘", [("5.4分鐘", 5.4, None, "分鐘", "count", True)]),
    # a unit per another stays whole; a currency per something is still money
    ("单产5720公斤/公顷(381公斤/亩)", [
        ("5720公斤/公顷", 5720, None, "公斤/公顷", "count", False),
        ("381公斤/亩", 381, None, "公斤/亩", "count", False),
    ]),
    ("新房均价2.3万元/平方米", [("2.3万元/平方米", 23000, None, "元/平方米", "money", False)]),
    ("油價80美元／桶", [("80美元／桶", 80, None, "美元/桶", "money", False)]),
    # index points after digits, temperatures, doses, and a day count with decimals (an average)
    ("沪指收于3250.12点，下跌15.3点", [("3250.12点", 3250.12, None, "点", "count", False),
                                ("15.3点", -15.3, None, "点", "change", False)]),
    ("平均气温12.5℃", [("12.5℃", 12.5, None, "℃", "count", False)]),
    ("最高氣溫1.5攝氏度", [("1.5攝氏度", 1.5, None, "攝氏度", "count", False)]),
    ("接种疫苗3.5亿剂次", [("3.5亿剂次", 350000000, None, "剂次", "count", False)]),
    ("平均住院日9.2天", [("9.2天", 9.2, None, "天", "count", False)]),
    ("平均逗留時間為1.2日", [("1.2日", 1.2, None, "日", "count", False)]),
    # …and a year count with decimals (no date has decimals); classes of goods
    ("平均發行期限14.6年，延長2.3年", [("14.6年", 14.6, None, "年", "count", False),
                             ("2.3年", 2.3, None, "年", "change", False)]),
    ("抽查了３６类１５２７种产品", [("３６类", 36, None, "类", "count", False),
                           ("１５２７种", 1527, None, "种", "count", False)]),
    # thousands grouped by spaces, as Hong Kong writes them; not cells of a table row
    ("由114 200人增加約1 100人", [("114 200人", 114200, None, "人", "count", False),
                            ("1 100人", 1100, None, "人", "change", True)]),
    ("共 3 500 宗", [("3 500 宗", 3500, None, "宗", "count", False)]),
    # rise and fall verbs of durations, paces and rates
    ("比上年缩短0.2日", [("0.2日", -0.2, None, "日", "change", False)]),
    ("增速放缓0.3个百分点", [("0.3个百分点", -0.3, None, "个百分点", "change", False)]),
    ("上调25个基点", [("25个基点", 25, None, "个基点", "change", False)]),
    ("平均留宿1.5晚，接聽一千四百通", [("1.5晚", 1.5, None, "晚", "count", False),
                                ("一千四百通", 1400, None, "通", "count", False)]),
    # a written minus in a list is its own; the figures after it keep the list's rise
    ("同比分别增长5.9%、-8.3%、3.2%", [("5.9%", 5.9, None, "%", "change", False),
                                ("-8.3%", -8.3, None, "%", "change", False),
                                ("3.2%", 3.2, None, "%", "change", False)]),
    # an age with decimals is an average age, a statistic; a person's age is not
    ("人均预期寿命达到79.0岁，比上年提高0.4岁", [("79.0岁", 79, None, "岁", "count", False),
                                   ("0.4岁", 0.4, None, "岁", "change", False)]),
    ("65岁及以上老年人1.3亿人", [("1.3亿人", 130000000, None, "人", "count", False)]),
    # Taiwan's 年減/成長, and 拉低 (lowers by)
    ("受傷人數約41.2萬人，年減3.1%", [("41.2萬人", 412000, None, "人", "count", True),
                               ("3.1%", -3.1, None, "%", "change", False)]),
    ("貨物吞吐量成長3.1%", [("3.1%", 3.1, None, "%", "change", False)]),
    ("拉低利润增速约9个百分点", [("9个百分点", -9, None, "个百分点", "change", True)]),
    # against the norm: 偏少 and 偏高 are changes
    ("河南、山东分别偏少21%和18%", [("21%", -21, None, "%", "change", False),
                              ("18%", -18, None, "%", "change", False)]),
    ("气温偏高1.2℃", [("1.2℃", 1.2, None, "℃", "change", False)]),
    # a range with its magnitude and unit repeated; not a fall "to" a level in another one
    ("介於550億美元至570億美元", [("550億美元至570億美元", 55_000_000_000, 57_000_000_000, "美元",
                             "money", False)]),
    ("減少約3 500人至380.0萬人", [("3 500人", -3500, None, "人", "change", True),
                             ("380.0萬人", 3_800_000, None, "人", "count", False)]),
    # a space after a figure before a word separates a headline's items
    ("十月旅客按年升10.9% 留宿旅客平均逗留1.6日", [("10.9%", 10.9, None, "%", "change", False),
                                       ("1.6日", 1.6, None, "日", "count", False)]),
    # figures grouped in thousands after a copula, in the measure named before
    ("住客人次為1,296,480", [("1,296,480", 1296480, None, "人次", "count", False)]),
    # a rate per a base is a share like ‰
    ("死亡率由15.1/10万下降到14.3/10万", [
        ("15.1/10万", 15.1, None, "/10万", "percent", False),
        ("14.3/10万", 14.3, None, "/10万", "percent", False),
    ]),
    # basis points, market weights, other currencies, seconds and Latin units
    ("降息50個基點", [("50個基點", -50, None, "個基點", "change", False)]),
    ("金价2000美元/盎司", [("2000美元/盎司", 2000, None, "美元/盎司", "money", False)]),
    ("产量1000万斤", [("1000万斤", 10000000, None, "斤", "count", False)]),
    ("出口2.5亿新加坡元", [("2.5亿新加坡元", 250000000, None, "新加坡元", "money", False)]),
    ("平均响应时间30秒", [("30秒", 30, None, "秒", "count", False)]),
    ("货运量3.2万TEU", [("3.2万TEU", 32000, None, "TEU", "count", False)]),
]  # fmt: skip

NOT_NUMBERS = [
    "四川省", "一带一路沿线", "一帶一路", "十四五规划", "大家一起努力", "上半年", "队伍", "隊伍",
    "抓获了一大批", "抓獲了一大批", "三大运营商", "三大運營商", "五进活动", "五進活動", "两卡违法",
    "兩卡違法", "两升两降", "兩升兩降", "六都最少", "一人被骗，全国免疫", "一人被騙", "五花八门",
    "五花八門", "一是依法严打，二是预警", "一是依法嚴打，二是預警", "位居第3位", "春运第19天",
    "春運第19天", "第一名", "全國第一", "2022年4月14日", "4月14日", "12月初", "2019年全国",
    "1969年有紀錄", "2026-02-22", "上午10时", "上午10時", "2022-05-11 09:39", "十一月十三日",
    "今（二十五）日", "昨(24)日", "35岁以下", "13至14歲", "廿四歲至四十九歲最多", "(1)一般贸易",
    "热线:010-63074375 63072334 报社", "12381涉诈预警", "“96110”反诈专线", "京ICP备13008251号-1",
    "京公网安备 11010502052014号", "编号:35120170001", "國新辦發函[2001]232號",
    "閩網文〔2019〕3630-217號", "“5·10”等", "“5.10”等专项行动", "“断卡2.0”", "“斷卡2.0”專項",
    "“长风3号”行动", "“長風3號”行動", "《人工智能安全治理框架》2.0版", "「Scameter+」",
    "简易组网GOIP、跑分", "整治1069短信平台", "前5个月", "前5個月", "9个月来", "首兩月",
    "三十天免簽證", "过去两年", "過去兩個月", "每十萬人口數", "三千年前", "分居二、三名",
    "全国339个地级及以上城市平均", "41个城市平均", "全国31个省、自治区、直辖市分别对辖区",
    "11個縣市分別", "全国31个省份高中阶段毛入学率均超过", "32个省考断面水质优良比例为",
    "可撥打24小時免付費熱線", "危急病人在十五分鐘內獲診治", "240小时过境免签政策",
    "日最大8小时滑动平均值", "十种有色金属产量", "26項重要民生商品價格年增",
    "28种蔬菜平均零售价格为",
    "二個訊號", "千家万户", "近24年同期最低", "近五月最高", "1至2月份", "今年1至9月",
    "去年1月至今年5月", "记者（方一成摄）", "3比0大胜", "十四届全国人大四次会议", "本文共716字",
    "共1,164", "金额28.5", "31個大城市", "一场误会", "市场", "商場", "玉米",
    "w=\"1208\" h=\"615\"", "1型糖尿病",
    "升级为2.0版", "比例为1.5:1", "时间为10.30点", "五·一假期", "九·一八事变", "每10万人口",
    "每100元", "双方", "三方会谈", "一度下跌", "两度上调", "支付宝", "克服困难",
    "下午3点召开", "晚上8點", "3点钟", "10点30分", "好一点", "9日", "5G基站", "一斤",
    "水电 95 780 -12.4", "今晚",
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_mentions(text: str, expected: list[M]) -> None:
    assert _tuples(text) == expected


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers(text: str) -> None:
    assert find_numbers(text) == []


def test_hours_that_go_on_into_a_figures_own_words_are_figures() -> None:
    waits = find_numbers("輪候時間分別超過八小時及七小時；倉儲業平均總工時176.4小時最長")
    assert [m.value for m in waits] == [8, 7, 176.4]
    (interval,) = find_numbers("約每5.4分鐘出生一個嬰兒")
    assert interval.surface == "5.4分鐘"


def test_a_count_of_people_before_the_word_for_second_is_of_people() -> None:
    found = find_numbers("113年出生數以新北市2萬1,302人最多，臺中市1萬8,476人次之")
    assert [(m.surface, m.unit) for m in found] == [("2萬1,302人", "人"), ("1萬8,476人", "人")]
    found = find_numbers("越南籍最多，達二七四人次，馬來西亞籍六十三人次之")  # the series' 人次
    assert [(m.surface, m.unit) for m in found] == [("二七四人次", "人次"), ("六十三人次", "人次")]


def test_hundreds_and_thousands_opening_a_figure_after_an_approximation_word() -> None:
    (found,) = find_numbers("共有省份国内旅游收入超过百亿元")
    assert (found.surface, found.value, found.approx) == ("百亿元", 10_000_000_000, True)
    assert [m.value for m in find_numbers("客流突破千万人次")] == [10_000_000]


def test_stocks_that_rose_or_fell_are_counted_not_changes() -> None:
    found = find_numbers("11月份上涨个股1865只，下跌个股逾3400只，沪指下跌2.1%")
    kinds = [(m.value, m.kind) for m in found]
    assert kinds == [(1865, "count"), (3400, "count"), (-2.1, "change")]


def test_a_verb_its_guard_stops_stops_the_verbs_inside_it() -> None:
    clauses = ("下跌个股逾", "增加值", "增加值同比增长")
    words = [[v.group() for v in change_verbs(c)] for c in clauses]
    assert words == [[], [], ["同比", "增长"]]
    assert [v.group() for v in change_verbs("新增长")] == ["增长"]  # 增's own guard: only 增


def test_the_one_of_a_ratio_after_every_is_no_figure() -> None:
    found = find_numbers("扶老比為28.3，即每3.5名工作年齡人口扶養1名老年人口；約每2.9分鐘1人死亡")
    assert [m.surface for m in found] == ["28.3", "2.9分鐘"]
    (daily,) = find_numbers("平均每天1人死亡")  # no number after 每: the rate itself
    assert daily.value == 1


def test_a_count_the_text_gives_of_units_over_a_rate_is_a_figure() -> None:
    (found,) = find_numbers("其中有22个省份高中阶段毛入学率均超过")
    assert (found.surface, found.value) == ("22个", 22)


@pytest.mark.parametrize(
    "text",
    [
        "注：就業不足人口則指在統計前七天內非自願地工作少於三十五小時的人士。",
        "1吨=2000斤。",
        "薯类按5公斤鲜薯折1公斤粮食计算。",
        "调查范围覆盖全省16个市。",
        "规模以上工业统计范围为年主营业务收入2000万元及以上的工业法人单位。",
        "在35个工业行业大类中，多数行业增长。",
        "涉及制造业的行业大类，3200家调查样本。",
        "全国海关坚持五位一体综合治理。",
    ],
)
def test_definitions_conversions_scopes_and_set_phrases_state_no_figure(text: str) -> None:
    assert find_numbers(text) == []


def test_days_are_a_figure_after_the_measure_they_count() -> None:
    got = find_numbers("重污染天数为2天，同比减少3天；平均等效声级为54.3分贝。")
    assert [(m.surface, m.value, m.unit) for m in got] == [
        ("2天", 2, "天"),
        ("3天", -3, "天"),
        ("54.3分贝", 54.3, "分贝"),
    ]
    assert find_numbers("免签停留三十天，假期共8天。") == []  # durations set a period only


def test_the_set_a_statement_ranges_over_is_no_figure_its_count_is() -> None:
    got = find_numbers("在35个工业行业大类中，有22个行业增加值实现增长。")
    assert [m.surface for m in got] == ["22个"]
    got = find_numbers("全省14个市州中，有12个市州规模以上工业增加值实现正增长。")
    assert [m.surface for m in got] == ["12个"]  # a clause opening with the set, without 在
    got = find_numbers("与多年平均相比，全省14个市州中有十一个市州降水偏多。")
    assert [m.surface for m in got] == ["十一个"]  # 中有: the set, then its count
    got = find_numbers("截至1997年底，河西20个县市中已有17个被命名为双拥模范城。")
    assert [m.surface for m in got] == ["17个"]  # 中已有: the set, then its count
    got = find_numbers("全县514个行政村中除建立阅览室外，还建起了阅报栏300多个。")
    assert [m.surface for m in got] == ["300多个"]  # 中除: the set
    got = find_numbers("省军区干部走遍全省118个县、市、区的81300多户军属。")
    assert [m.surface for m in got] == ["81300多户"]  # the places of the figure after
    got = find_numbers("已有72个国家和地区的2450名运动员报名参赛。")
    assert [m.surface for m in got] == ["72个", "2450名"]  # …unless counted (有)
    got = find_numbers("破获案件3.2万起，其中电信诈骗案件中，涉案1.1万起。")
    assert [m.surface for m in got] == ["3.2万起", "1.1万起"]  # a figure, not a set
    got = find_numbers("纳入监测的43家景区接待游客612.8万人次，126家重点监测企业销售额18.9亿元")
    assert [m.surface for m in got] == ["612.8万人次", "18.9亿元"]  # monitored samples


def test_thousandth_points_and_a_bare_level_reached() -> None:
    got = find_numbers("粗出生率下降0.05個千分點，老化指數升至170.94。")
    assert [(m.surface, m.value, m.unit, m.kind) for m in got] == [
        ("0.05個千分點", -0.05, "個千分點", "change"),
        ("170.94", 170.94, "", "percent"),  # the level reached, not a change
    ]


def test_a_magnitude_opening_a_unit_is_the_units() -> None:
    text = "出口總值達4兆7,500億元，新增光伏裝機300兆瓦。"
    got = [(m.surface, m.value, m.unit) for m in find_numbers(text)]
    assert got == [("4兆7,500億元", 4750000000000, "元"), ("300兆瓦", 300, "兆瓦")]


def test_offsets_and_types() -> None:
    text = "据悉，2019年全国破获案件20萬起、抓获16.3萬人，同比分別上升52.7%、123.3%。"
    found = find_numbers(text)
    assert [m.surface for m in found] == ["20萬起", "16.3萬人", "52.7%", "123.3%"]
    for m in found:
        assert isinstance(m, NumberMention)
        assert text[m.start : m.end] == m.surface
    assert type(found[0].value) is int and type(found[1].value) is int
    assert type(found[2].value) is float


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("39.4万", 394000),
        ("39.4 万", 394000),
        ("１．１万亿", 1100000000000),
        ("0.56", 0.56),
        ("28.5", 28.5),
        ("1,164", 1164),
        ("一千二百万", 12000000),
        ("两千", 2000),
        ("兩千", 2000),
        ("九萬三三七九", 93379),
        ("1萬4109", 14109),
        ("2億2392萬", 223920000),
        ("一億七二四四萬", 172440000),
        ("五三○", 530),
        ("二○七二", 2072),
        ("七億一五五二萬餘", 715520000),
        ("廿三億四千多萬", 2340000000),
        ("一百廿一", 121),
        ("卅", 30),
        ("四十三.一", 43.1),
        ("十一.三億", 1130000000),
        ("一万二", 12000),
        ("一千零五", 1005),
        ("十", 10),
        ("零", 0),
        ("-3.2亿", -320000000),
        ("负3.9", -3.9),
        ("近2万", 20000),
        ("超过10亿", 1000000000),
        ("28.5%", 28.5),
        ("六成四六", 64.6),
        ("3成6", 36),
        ("三成半", 35),
        ("百分之四十七點九", 47.9),
        ("5200余起", 5200),
        ("28,000多宗", 28000),
        ("2.5兆", 2500000000000),  # 兆: a trillion (Taiwan)
        ("1兆8,738億", 1873800000000),
        ("五十兆", 50000000000000),
    ],
)
def test_parse_number(surface: str, value: int | float) -> None:
    got = parse_number(surface)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize("surface", ["", "abc", "十四五", "3.4.5", ".5", "近", "第一"])
def test_parse_number_rejects(surface: str) -> None:
    assert parse_number(surface) is None


# ---------------------------------------------------------------- property: Chinese numerals

_DIGITS = "零一二三四五六七八九"


def _group(n: int, two: str) -> str:
    """1 <= n <= 9999 in Chinese, with 零 for inner gaps (1005 → 一千零五)."""
    out: list[str] = []
    gap = False
    for size, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // size % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        out.append((two if d == 2 and name in ("千", "百") else _DIGITS[d]) + name)
    return "".join(out)


def to_chinese(
    n: int, traditional: bool = False, liang: bool = True, short_ten: bool = True
) -> str:
    """0 <= n < 10**12 written out in Chinese numerals (`一亿零五万`, `兩千萬`)."""
    if n == 0:
        return "零"
    wan, yi = ("萬", "億") if traditional else ("万", "亿")
    two = ("兩" if traditional else "两") if liang else "二"
    out: list[str] = []
    gap = False
    for value, name in ((n // 10**8, yi), (n // 10**4 % 10**4, wan), (n % 10**4, "")):
        if value == 0:
            gap = bool(out)
            continue
        if out and (gap or value < 1000):
            out.append("零")
        gap = False
        out.append((two if value == 2 and name else _group(value, two)) + name)
    text = "".join(out)
    return text[1:] if short_ten and text.startswith("一十") else text


def test_to_chinese_helper() -> None:
    assert to_chinese(100050000) == "一亿零五万"
    assert to_chinese(1005) == "一千零五"
    assert to_chinese(22000000, traditional=True) == "兩千兩百萬"
    assert to_chinese(20000) == "两万"
    assert to_chinese(15) == "十五"
    assert to_chinese(15, short_ten=False) == "一十五"


_numbers = st.integers(min_value=0, max_value=10**12 - 1)


@settings(max_examples=300, deadline=None)
@given(_numbers, st.booleans(), st.booleans(), st.booleans())
@example(0, False, True, True)
@example(10, True, True, True)
@example(100000005, False, True, True)
@example(10**12 - 1, True, True, True)
@example(2, False, True, True)
@example(200002, True, False, False)
def test_chinese_numerals_round_trip(n: int, trad: bool, liang: bool, short: bool) -> None:
    numeral = to_chinese(n, trad, liang, short)
    assert parse_number(numeral) == n
    found = find_numbers(f"共{numeral}起")
    assert len(found) == 1
    m = found[0]
    assert (m.surface, m.start, m.value, m.unit, m.kind) == (f"{numeral}起", 1, n, "起", "count")


@settings(max_examples=200, deadline=None)
@given(_numbers)
def test_arabic_numerals_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    found = find_numbers(f"共{n:,}起")
    assert [(m.value, m.unit) for m in found] == [(n, "起")]


# ---------------------------------------------------------------- the development articles


def _doc(stem: str) -> tuple[str, list[NumberMention]]:
    path = next(p for p in DOCS if p.stem.startswith(stem))
    text = path.read_text(encoding="utf-8")
    return text, find_numbers(text)


def _with_surface(mentions: list[NumberMention], surface: str) -> NumberMention:
    return next(m for m in mentions if m.surface == surface)


def _covered(text: str, mentions: list[NumberMention], needle: str) -> bool:
    at = text.index(needle)
    return any(m.start < at + len(needle) and at < m.end for m in mentions)


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_every_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = find_numbers(text)
    assert found
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    for m in found:
        assert text[m.start : m.end] == m.surface
        assert m.kind in ("count", "money", "percent", "change")
        assert not isinstance(m.value, float) or not m.value.is_integer()
        assert "萬" not in m.unit and "万" not in m.unit


def test_seed_000_facts() -> None:
    text, found = _doc("000_")
    m = _with_surface(found, "39.4 万起")
    assert (m.value, m.unit, m.kind, m.approx) == (394000, "起", "count", False)
    assert _with_surface(found, "3291 亿元").value == 329100000000
    assert _with_surface(found, "3291 亿元").kind == "money"
    assert _with_surface(found, "76.6%").kind == "change"
    assert _with_surface(found, "9 个月").unit == "个月"
    assert _with_surface(found, "4300 多条").approx
    for chrome in ("2022 年 4 月 14 日", "10 时", "“5.10”", "断卡行动 2.0", "1208"):
        assert not _covered(text, found, chrome)


def test_taiwan_chinese_numerals() -> None:
    _, d06 = _doc("d06")
    assert _with_surface(d06, "九億兩千一百五十萬元").value == 921500000
    assert _with_surface(d06, "六成四六").value == 64.6
    assert _with_surface(d06, "一百廿一件").value == 121
    assert _with_surface(d06, "廿三億四千多萬").unit == "元"
    _, d07 = _doc("d07")
    assert _with_surface(d07, "五三○件").value == 530
    assert _with_surface(d07, "一億七二四四萬元").value == 172440000
    assert _with_surface(d07, "二○七二人次").value == 2072
    assert _with_surface(d07, "七億一五五二萬餘元").approx
    assert _with_surface(d07, "四十三.一件").value == 43.1
    assert _with_surface(d07, "十一.三億元").value == 1130000000
    assert not any(m.surface.startswith("三十") for m in d07)  # 三十天免簽證


def test_hong_kong_and_taiwan_changes() -> None:
    text, d14 = _doc("d14")
    rng = _with_surface(d14, "四成至1.8倍")
    assert (rng.value, rng.value_max, rng.unit, rng.kind) == (40, 180, "%", "change")
    assert _with_surface(d14, "8.2%").value == -8.2
    assert _with_surface(d14, "2,700多人").kind == "count"
    assert _with_surface(d14, "5,620宗").kind == "change"
    assert not _covered(text, d14, "1969年")
    text, d15 = _doc("d15")
    assert _with_surface(d15, "0.05個百分點").value == -0.05
    assert _with_surface(d15, "7,000人").value == -7000
    assert _with_surface(d15, "3.34%~3.4%").value_max == 3.4
    assert _with_surface(d15, "1,160.4萬人").value == 11604000
    assert not _covered(text, d15, "716字")


def test_chrome_codes_are_not_numbers() -> None:
    for stem, needles in {
        "d02": ("35120170001", "3630-217", "[2001]232"),
        "d04": ("12381",),
        "d08": ("13008251", "11010502052014", "16518"),
        "004_": ("010-63074375", "63072334", "5·10"),
    }.items():
        text, found = _doc(stem)
        for needle in needles:
            assert not _covered(text, found, needle), (stem, needle)


def test_other_official_statistics() -> None:
    _, d09 = _doc("d09")
    assert _with_surface(d09, "8.13萬億元").value == 8130000000000
    _, d11 = _doc("d11")
    assert _with_surface(d11, "48.91亿").unit == "人次"
    _, d12 = _doc("d12")
    assert [m.kind for m in d12 if m.surface in ("9.1%", "4.8%", "4%")] == ["change"] * 3
    _, d04 = _doc("d04")
    assert _with_surface(d04, "13个月").kind == "count"


# The documents the number reader was developed on (the seeds and d01-d15). On d16-d45,
# labelled later and never tuned on, it agrees on 561 of 701 (80 %): measured, not asserted
# here, until the reader is broadened ("Right on articles it was never tuned on").
DEVELOPED_ON = [p for p in DOCS if not (p.stem.startswith("d") and p.stem[:3] >= "d16")]


@pytest.mark.skipif(not GOLD.is_dir(), reason="no gold set")
def test_agrees_with_gold_set() -> None:
    """At least 95% of the gold statistics of the documents it was developed on are found at
    the same span with the same value."""
    total = agree = 0
    for path in DEVELOPED_ON:
        gold_file = GOLD / f"{path.stem}.jsonl"
        if not gold_file.exists():
            continue
        found = {(m.start, m.end): m for m in find_numbers(path.read_text(encoding="utf-8"))}
        for line in gold_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                g = json.loads(line)
                m = found.get((g["start"], g["end"]))
                total += 1
                agree += m is not None and (m.value, m.unit, m.kind) == (
                    g["value"],
                    g["unit"],
                    g["kind"],
                )
    assert total and agree / total >= 0.95


# --- a list states its unit once -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the bare first figure is read with the list's unit, and the fall is shared
            "比2016年和2015年同期分別低0.6和0.2個百分點",
            [("0.6", -0.6, "個百分點", "change"), ("0.2個百分點", -0.2, "個百分點", "change")],
        ),
        (  # 0.01个 is the first half of 个百分点
            "分别比上月和上年同期低0.01个和0.05个百分点",
            [
                ("0.01个", -0.01, "个百分点", "change"),
                ("0.05个百分点", -0.05, "个百分点", "change"),
            ],
        ),
        (  # a list of three, joined by 、 and 和
            "三地分別為3.5、4.2和5.1%",
            [
                ("3.5", 3.5, "%", "percent"),
                ("4.2", 4.2, "%", "percent"),
                ("5.1%", 5.1, "%", "percent"),
            ],
        ),
        ("共有6和8人", [("6", 6, "人", "count"), ("8人", 8, "人", "count")]),
        # a written plus is not made a fall
        (
            "比去年分別低0.6和+0.2個百分點",
            [("0.6", -0.6, "個百分點", "change"), ("0.2個百分點", 0.2, "個百分點", "change")],
        ),
    ],
)
def test_joined_figures_share_the_last_unit_and_a_fall(text: str, expected: list) -> None:
    got = [(m.surface, m.value, m.unit, m.kind) for m in find_numbers(text)]
    assert got == expected
    assert all(text[m.start : m.end] == m.surface for m in find_numbers(text))


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("收入1.5和2万元", ["2万元"]),  # the magnitude may be shared: 1.5 is not guessed
        ("第1和第2名", []),  # ordinals
        ("2015和2016年", []),  # years are not statistics, so nothing shares their unit
    ],
)
def test_a_bare_figure_is_not_given_a_unit_it_may_not_have(text: str, surfaces: list) -> None:
    assert [m.surface for m in find_numbers(text)] == surfaces


def test_a_written_plus_is_not_flipped_by_a_fall_verb() -> None:
    got = [(m.value, m.kind) for m in find_numbers("分別下降1.2%和+0.5%")]
    assert got == [(-1.2, "change"), (0.5, "change")]


def test_a_misspelt_unit_is_read_as_spelt() -> None:
    [m] = find_numbers("佔比減少7個百份點")
    assert (m.surface, m.value, m.unit, m.kind) == ("7個百份點", -7, "個百分點", "change")


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [("學校數量連續42年減少", "42年", 42), ("实现了连续三年的两连降", "三年", 3)],
)
def test_a_streak_of_years_is_a_count_not_a_change(text: str, surface: str, value: int) -> None:
    [m] = find_numbers(text)
    assert (m.surface, m.value, m.unit, m.kind) == (surface, value, "年", "count")


def test_years_outside_a_streak_are_not_read_as_statistics() -> None:
    assert find_numbers("2019年和三年前") == []


def test_a_tables_or_charts_number_is_no_figure() -> None:
    assert find_numbers("表1　人力資源主要指標\n图2 全国粮食产量") == []
    assert [m.value for m in find_numbers("見表2。失業者42萬人")] == [420000]


def test_a_rank_among_the_top_is_no_figure() -> None:
    found = find_numbers("汽车销量排名前十位的企业集团销量合计为392.4万辆，快递量位居前三位")
    assert [m.surface for m in found] == ["392.4万辆"]
    assert [m.surface for m in find_numbers("前三季度增长5%")] == ["5%"]


def test_batches_are_counted_in_pici() -> None:
    (found,) = find_numbers("共接待群众来访一千二百三十批次")
    assert (found.value, found.unit) == (1230, "批次")


def test_taiwan_metric_units_and_bags_are_units() -> None:
    found = find_numbers("搶收蔬菜約3,200公噸，陣風每秒41.5公尺，肥料約1萬2,000包，共100包括在內")
    assert [(m.value, m.unit) for m in found] == [(3200, "公噸"), (41.5, "公尺"), (12000, "包")]


def test_a_range_of_prices_repeating_its_currency_is_one_figure() -> None:
    found = find_numbers("每臺斤約35元至40元，報酬每日3,000元至5,000元")
    assert [(m.value, m.value_max, m.unit) for m in found] == [(35, 40, "元"), (3000, 5000, "元")]
    by_one_to_another = find_numbers("由114 200人增加約1 100人至115 300人")
    assert [m.value for m in by_one_to_another] == [114200, 1100, 115300]


def test_nights_and_room_nights_are_units() -> None:
    found = find_numbers("來臺旅客平均停留6.3夜，共補助約126萬房次；3夜间施工")
    assert [(m.value, m.unit) for m in found] == [(6.3, "夜"), (1260000, "房次")]


def test_decimals_joined_to_an_index_go_on_its_list() -> None:
    found = find_numbers("消費物價指數分別為103.98、104.71及105.2，性别比为105.07和2.5万人")
    assert [(m.value, m.kind) for m in found] == [
        (103.98, "percent"),
        (104.71, "percent"),
        (105.2, "percent"),
        (105.07, "percent"),
        (25000, "count"),
    ]


def test_a_fall_verb_acting_on_a_rise_named_lowers_it() -> None:
    found = find_numbers("汽油及衣履價格下跌則分別拉低升幅0.09及0.12個百分點；同比增幅均在18%以上")
    assert [m.value for m in found] == [-0.09, -0.12, 18]
    assert [m.value for m in find_numbers("升幅收窄0.2个百分点")] == [-0.2]


def test_one_or_two_percentage_points_in_chinese_numerals_are_figures() -> None:
    found = find_numbers("入住率按年下跌一個百分點，較去年上升兩個百分點，一人被骗")
    assert [(m.value, m.unit) for m in found] == [(-1, "個百分點"), (2, "個百分點")]


def test_tenths_before_wei_are_a_share_but_yi_cheng_wei_is_not() -> None:
    assert [m.value for m in find_numbers("其中四成為訪港旅客，约三成为女性")] == [40, 30]
    assert find_numbers("已统一成为标准，一成为老人") == []


def test_foreign_currencies_are_money_and_the_one_unit_of_a_rate_is_no_figure() -> None:
    text = (
        "印尼盾暴跌到１５０００盾兑１美元，比索从４６．５比索兑换１美元回升，"
        "加元贬值零点一七美分，奖励１美元。"
    )
    read = [(m.surface, m.unit, m.kind) for m in find_numbers(text)]
    assert read == [
        ("１５０００盾", "盾", "money"),
        ("４６．５比索", "比索", "money"),
        ("零点一七美分", "美分", "change"),  # 贬值: a fall
        ("１美元", "美元", "money"),
    ]
    assert [m.surface for m in find_numbers("盾构机３台")] == ["３台"]


def test_a_count_of_trading_days_sets_a_period_and_is_no_figure() -> None:
    text = "指数在３个交易日内回升１６８点，此前５个工作日下跌２％。"
    assert [m.surface for m in find_numbers(text)] == ["１６８点", "２％"]


def test_a_photo_note_is_no_figure_and_losses_cut_or_a_currency_falling_are_falls() -> None:
    assert find_numbers("东非大草原上的驰想（附图片１张）") == []
    falls = [
        m.value
        for m in find_numbers("使运营减亏３０亿元，东南亚国家货币贬值了１５％，日元升值２％。")
    ]
    assert falls == [-3000000000, -15, 2]


def test_more_currencies_and_yuan_in_hong_kong_dollars_are_read_with_their_unit() -> None:
    text = "捐款１００万元港币，财政收入八千万列伊，人均达７５．５坚戈，合１２０万美金。"
    read = [(m.surface, m.unit) for m in find_numbers(text)]
    assert read == [
        ("１００万元港币", "港元"),
        ("八千万列伊", "列伊"),
        ("７５．５坚戈", "坚戈"),
        ("１２０万美金", "美元"),
    ]


def test_a_fraction_is_a_share_and_a_slash_before_a_currency_joins_a_rates_two_sides() -> None:
    text = (
        "占全国的三分之一，比索贬值了１／３，约占全市的1/4。比价跌到５６００／６０００盾兑１美元。"
    )
    read = [(m.surface, m.value, m.value_max, m.unit) for m in find_numbers(text)]
    assert read == [
        ("三分之一", 33.33, None, "%"),
        ("１／３", -33.33, None, "%"),
        ("1/4", 25, None, "%"),
        ("５６００／６０００盾", 5600, 6000, "盾"),
    ]
    assert [m.surface for m in find_numbers("死亡率14.3/10万，刊于2023/08/22，2019/20年度")] == [
        "14.3/10万"
    ]


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("其中两名机组人员遇难。", ["两名"]),
        ("举办了两次公开的招聘专场会。", ["两次"]),
        ("与美国签署了两项大型合同。", ["两项"]),
        ("两个维护，两国关系，两年来。", []),  # words, a span: no counts
    ],
)
def test_two_before_a_counting_word_is_a_count(text: str, surfaces: list[str]) -> None:
    assert [m.surface for m in find_numbers(text)] == surfaces


def test_the_one_of_a_rate_worded_with_yuehe_is_no_figure() -> None:
    assert [m.surface for m in find_numbers("节省了25亿坚戈（１美元约合75.5坚戈）的开支")] == [
        "25亿坚戈",
        "75.5坚戈",
    ]
