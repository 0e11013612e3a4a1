"""The period grammar of Chinese: how a reporting period is worded (`2019年`, `今年1月至8月`,
`前5個月`, `一季度`, `截至11月底`, `一年来` …), as compiled regexes; group `p` is the period."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

from .. import trie
from .chars import CLAUSE_OPENS, HAN
from .script import to_traditional

_S = r"[ \u3000]?"
_N = r"(?:\d{1,4}|[一二三四五六七八九十两兩廿]{1,3})"
# A relative year may give the year in brackets: 今年 (2019年) 第1季
# …and an ROC year keeps its bracket as worded: 今（113）年1至10月
# …a year in Chinese digits (`二○二四年`), and a bare ROC year (`113年`, 100–119: 2011–2030)
# where it is no span of years (`110年来`, `100年前`).
# 年来 is since a year, but not in 113年來臺旅客 (to come to Taiwan, China, Hong Kong, Macao)
_SINCE_YEARS = r"(?:[来來](?![台臺华華港澳])|以来|以來)"
_Y = (
    rf"(?:\d{{4}}[/／-]\d\d{_S}(?:財政|财政)?年度"  # a fiscal year: 2024/25財政年度
    rf"|\d{{4}}{_S}年|[〇○零一二三四五六七八九]{{4}}年"
    rf"|(?<!\d)1[01]\d{_S}年(?!{_SINCE_YEARS}|前|历史|歷史|之)"
    rf"|[今去上前明本当當]年(?:{_S}[(（]{_S}\d{{4}}{_S}年{_S}[)）])?"
    rf"|[今去明本上前][(（]\d{{2,3}}[)）]年)"
)
_M = rf"{_N}{_S}月(?:份|单月|單月|当月|當月)?"  # 9月單月, 6月当月: the month alone
_CALENDAR = tomllib.loads(resources.files(__package__).joinpath("calendar.toml").read_text("utf-8"))
_WORDS = _CALENDAR["words"]


def _both_scripts(words: set[str]) -> list[str]:
    return sorted(words | {to_traditional(w) for w in words}, key=len, reverse=True)


def _initials(words: list[str]) -> str:
    """The characters `words` start with, for `_PERIOD_FIRST`."""
    return "".join(sorted({w[0] for w in words}))


_TO = r"(?:至|到|－|-|—|~|～)"
_MOD = r"(?:底|末|初(?![次步])|上中旬|中下旬|上旬|中旬|下旬)"  # not 7月初次尋職者, 1月初步统计
# Holidays a figure is counted over (tourism): “十一”黄金周, 春节假期, 假日期间
_HOLIDAY_NAMES = _both_scripts(set(_WORDS["holidays"]))
_HOLIDAY = (
    rf"(?:[“\"「]?(?:(?:{trie(_HOLIDAY_NAMES)})[”\"」、和及]?){{1,2}}(?:节|節)?"
    r"(?:(?:黄金周|黃金周|假期|假日|长假|長假|小长假|小長假|连假|連假|[档檔](?:期(?![间間]))?)(?:期间|期間)?"
    r"|期间|期間)"  # 春节期间: the holiday itself
    r"(?:\d{1,2}天)?"  # 春节档: a film season
    r"|(?:假日|节日|節日|节假日|節假日)(?:期间|期間)|(?:黄金周|黃金周)(?:期间|期間)?)"
)
_SINCE = r"(?:以来|以來|(?:开始|開始)?(?:至今|迄今))"
# A day may name its part (`十一月十八日下午`, `截至11月18日午夜`): part of the period as worded.
_DAYPART = f"(?:{trie(_both_scripts(set(_WORDS['dayparts'])))})"
_HOUR = rf"(?:{_N}{_S}(?:{trie(_both_scripts(set(_WORDS['hour_marks'])))})(?:{_N}{_S}分)?)"
# Today or yesterday as a point, after 截至 or 至 (`截至今日上午10時`, `至昨晚`)
_DAYS_NEAR = trie(_both_scripts(set(_WORDS["today"] + _WORDS["yesterday"])))
_DAY_POINT = rf"(?:[至到]|(?<=[至止到]))(?:{_DAYS_NEAR}){_DAYPART}?{_HOUR}?"
_DAY = rf"(?:{_M}{_S})?{_N}{_S}[日号號]"
_WEEKDAY = r"(?:[（(](?:星期|周|週)[一二三四五六日天][)）])"  # 2月15日（星期六）: the day's weekday
# The days or months a span covers, in brackets after it (`中秋假期（9月15日至17日）`,
# `汛期（4月至9月）`, `…上半年（即去年4月至9月）`).
_DATES_BRACKET = (
    rf"(?:{_S}[（(]{_S}(?:即|即為|即为)?(?:{_Y}{_S})?(?:{_DAY}|{_M}){_S}{_TO}{_S}"
    rf"(?:{_Y}{_S})?(?:{_DAY}|{_M}|{_N}{_S}[日号號]){_S}[)）])"
)
# One day (`9月15日`, `10月1日当天`, `今年3月8日`): within a wider period, a breakdown of it.
ONE_DAY = re.compile(rf"(?:{_Y}{_S})?{_DAY}(?:当天|當天|当日|當日|单日|單日)?")
DAY_ALONE = re.compile(rf"{_N}{_S}[日号號]")  # `2日`: the day of a wire report, carried nowhere
NEAR_DAY = re.compile(rf"(?:{_DAYS_NEAR}){_DAYPART}?")  # `今天上午`, `昨天`
# A rate's period (`我国每年约有２０万…`): the period of a figure whose sentence states no other
# (`今后３年每年减员` is 今后３年), with no dates.
EACH_YEAR = re.compile(r"(?:平均)?(?P<p>每年(?:度)?)(?![级級])")  # 平均 is cut with it


# The pointing words the calendar resolves (`calendar.toml` [pointing]) open a clause; those
# naming a month or quarter outright (`pointing_anywhere`) are periods wherever they stand.
_POINTING_WORDS = _both_scripts({w for ws in _CALENDAR["pointing"].values() for w in ws})
_POINTING = trie(_POINTING_WORDS)
_NAMED = trie(_both_scripts(set(_WORDS["pointing_anywhere"])))
_AFTER_SUBJECT = trie(_both_scripts(set(_WORDS["pointing_after_subject"])))
_HOLIDAY_NAMED = trie(_both_scripts(set(_WORDS["holiday_anywhere"])))
_SEASONS = _both_scripts(set(_WORDS["seasons"]))  # 汛期, 枯水期
_SEASON = trie(_SEASONS)
_BRACKETED_SEASONS = _both_scripts(set(_WORDS["bracketed_seasons"]))
_BRACKETED_SEASON = trie(_BRACKETED_SEASONS)
_PLAN = r"(?:十[一二三四五六七八九]?|[三四五六七八九])五"  # a five-year plan: 八五, 十四五
_PERIOD_BODY = (
    rf"(?:(?:截至|截止到?|截至到){_S}|(?<![^\s{CLAUSE_OPENS}])到{_S})?(?:[自从從]{_S})?"
    r"(?:"
    rf"{_DAY_POINT}|"
    # 今日, 昨天, 今天上午: the day of the report or the one before (not 《今日美国报》, 今日報章)
    rf"(?<![《自])(?:{_DAYS_NEAR}){_DAYPART}?(?![报報])|"
    # 過去七天（十一月十二日至十八日）, 截至十一月十八日的過去七天: the last days
    rf"(?:{_M}{_S}{_N}{_S}[日号號]的)?(?:过去|過去|最近|近)的?{_N}{_S}[天日]{_DATES_BRACKET}?"
    rf"|\d{{4}}{_S}{_TO}{_S}\d{{4}}{_S}(?:(?:财政|財政)?年度|年)"  # 2019-2021年, 1998—1999年度
    rf"|{_Y}{_S}(?:{_M}{_S})?{_TO}{_S}(?:{_Y}{_S}(?:{_M}{_MOD}?)?|今)"
    rf"|(?:{_Y}{_S})?{_M}{_MOD}?{_S}{_TO}{_S}(?:{_Y}?{_S}{_M}{_MOD}?|今)"
    rf"|(?:{_Y}{_S})?{_N}{_S}{_TO}{_S}{_N}{_S}月份?"
    rf"|(?:{_Y}{_S})?[前首]{_S}{_N}{_S}(?:个|個)?(?:月|季度?)份?"
    rf"|(?:{_Y}{_S})?首{_S}季度?"  # 今年首季: the first quarter
    rf"|(?:{_Y}{_S})?首{_S}月(?![份底末])"  # 首月: the year's first month
    rf"|(?:{_Y}|(?:{_Y}{_S})?{_M}){_S}[前首头頭]{_S}{_N}{_S}[日天]"  # 今年首20日, 九月首十日
    rf"|(?:{_Y}{_S})?{_M}{_S}[前首头頭]{_S}{_N}{_S}(?:周|週|个星期|個星期)"  # 3月首兩周
    # a span of quarters: 第一至第三季
    rf"|(?:{_Y}{_S})?第[一二三四1-4]{_S}(?:季度?)?{_S}{_TO}{_S}第?[一二三四1-4]{_S}季度?"
    rf"|(?:{_Y}{_S})?(?:(?:第?[一二三四1-4]{_S}季度|第[一二三四1-4]{_S}季)(?:末|底)?|[上下]半年|全年)"
    rf"{_DATES_BRACKET}?"  # 2024/25財政年度上半年（即去年4月至9月）
    rf"|(?:{_Y}{_S})?(?:{_SEASON}){_DATES_BRACKET}?"  # 汛期（4月至9月）
    rf"|(?:{_Y}{_S})?(?:{_BRACKETED_SEASON})(?:期间|期間)?{_DATES_BRACKET}"  # 暑假期間（7月…）
    rf"|(?:{_Y}{_S})?{_M}{_S}{_N}{_S}[日号號]{_S}{_TO}{_S}(?:{_M}{_S})?{_N}{_S}[日号號]"
    rf"|(?:{_Y}{_S})?{_HOLIDAY}{_DATES_BRACKET}?"  # 中秋假期（9月15日至17日）: its days
    rf"|(?:{_Y}{_S})?{_M}(?:{_S}{_N}{_S}[日号號](?:当天|當天|当日|當日)?{_DAYPART}?{_WEEKDAY}?"
    rf"(?:{_S}{_HOUR})?)?"  # 截至9月3日10時: the hour too
    rf"{_MOD}?{_SINCE}?"
    rf"|{_Y}(?:{_S}(?:{_SINCE}|{_MOD}|一年(?![来來以多半])))?"  # 去年一年: the year
    rf"|(?:近|过去|過去)?(?:{_N}|[几幾]){_S}年多?{_SINCE_YEARS}"  # 几年来, ５年多来
    # since a decade (９０年代以来; a decade alone describes: 属90年代初水平)
    r"|(?:\d{2}|[一二三四五六七八九]十)[ \u3000]?年代(?:以来|以來)"
    rf"|(?:刚刚|剛剛|刚|剛)?(?:过去|過去|最近)的?{_N}{_S}(?:年|个月|個月)(?:里|裡|裏|内|內)?"
    rf"|[“\"「]?{_PLAN}[”\"」]?(?:规划|規劃|计划|計劃)?"
    r"(?:时期|時期|期间|期間|以来|以來)"  # five-year plans: “八五”期间, 十四五时期
    r"|目前|如今|眼下|至今|迄今|(?<![出实實体體表发發呈再])(?:现在|現在)(?![，,的])"
    r"|(?:周|週|星期)[一二三四五六日天]"
    # 现有１２个部委: on the day of the report
    r"|(?:现有|現有)(?=[0-9０-９〇○零一二三四五六七八九十两兩几幾])"
    # a day of the month alone, in wire news (`比价２日再次下跌`, `在２日的交易中`)
    rf"|(?<![\d月少多近约約了第每前后後共])\d{{1,2}}{_S}日(?![电電讯訊内內间間至到游])"
    # a span of so long opening its clause (`４年间，`, `５天之内`, `３个交易日内`)
    rf"|(?<![^\s{CLAUSE_OPENS}在])(?:今后|未来|未來)?{_N}{_S}(?:个|個)?(?:年|月|天|日|交易日|星期)"
    r"(?:间|間|之内|之內|以内|以內|内|內)(?![地外部容])"
    rf"|{_N}{_S}(?:个|個)?(?:天|日|交易日|星期)(?:之内|之內)"  # 汇率５天之内上升８％
    rf"|(?:今后|今後|未来|未來){_S}{_N}{_S}(?:个|個)?(?:年|月|天|星期)(?![前后後])"  # 今后３年每年
    rf"|(?:{trie(_both_scripts(set(_WORDS['since_named'])))})(?:以来|以來)"  # 改革开放以来
    r"|(?<![0-9一二三四五六七八九十两兩廿])(?:月|季|年)(?:末|底)"  # 月末 (the month stated)
    rf"|(?:{_NAMED})(?<=[月季])(?:末|底)"  # 上月末, 上季末: the end of a named span
    rf"|(?:{_NAMED})(?<=月)份?|(?:{_NAMED})"  # 上月, 本月份, 本季: the calendar's named spans
    rf"|(?<![暑寒是])(?:{_HOLIDAY_NAMED})"  # 机场假期运送旅客: the holiday stated before
    rf"|(?<=[{HAN}])(?<![比较較与與和及同跟对對的去上今本前明占佔])(?:{_AFTER_SUBJECT})"
    rf"(?=[{HAN}])(?![比相的])"  # 警方同年查獲: after the subject, before its verb
    # 同期, 月内, 季内: pointing words open a clause, or follow a dateline (`本报讯近年来，`)
    rf"|(?:(?<![^\s{CLAUSE_OPENS}])|(?<=报讯)|(?<=報訊))(?:{_POINTING})"
    r")"
)
# A period starts with one of these characters, not right after another listed one; the
# leading class lets the regex engine skip other positions fast, the rest is a lookahead.
_PERIOD_FIRST = (
    "截止到自从從今昨去上前明本当當刚剛如眼改建这這首第全近过過目至迄同周週星季期未几幾现現0-9一二三四五六七八九十两兩廿"
    '月年“"「假节節黄黃'
) + _initials(_HOLIDAY_NAMES + _SEASONS + _BRACKETED_SEASONS + _POINTING_WORDS)
_NUMERAL = "0-9〇○零一二三四五六七八九十两兩廿"
_PERIOD_HINT = (  # cheap test before the full pattern: a numeral must lead to 年/月/季/至
    rf"(?=[^{_NUMERAL}]|[{_NUMERAL}]{{1,4}}[ \u3000]?[年月季至到－\-—~～/／]"
    rf"|{_PLAN}[规規计計时時期以]"  # 十四五时期
    r"|\d{1,2}[ \u3000]?日"  # a day alone
    rf"|[{_NUMERAL}]{{1,4}}[ \u3000]?(?:个|個)?(?:天|日|交易日|星期)(?:间|間|之|以|内|內))"
)
PERIOD = re.compile(
    rf"[{_PERIOD_FIRST}](?<![\d.比较較与與第每近连連上下这這该該前首去今明].)(?<![\d月年][至到—–~～-].)"
    r"(?:(?<!本.)|(?<=本[去今明上前]))"  # not 年 of 本年; 去年 of 日本去年
    rf"(?<={_PERIOD_HINT}(?=(?P<p>{_PERIOD_BODY})).)"
)
# 2018年同季: a base; 按當年價格計算, 按2020年不变价: a price basis; 3月1日电: a dateline
# (not 第4季電子零組件: a word goes on after it); 去年价格变动的翘尾影响: the year whose price
# changes carry over into the figure's month, not its period
NOT_PERIOD_AFTER = re.compile(
    r"[ \u3000]?(?:同期|同月|同季|[电電讯訊](?![\u4e00-\u9fff])|(?:价格|價格)(?:计算|計算)"
    r"|不变价|不變價|(?:价格|價格)(?:变动|變動|上涨|上漲|变化|變化)的)"
)
# A period right after a comparison word (比2016年12月份, 與去年同月, 較去年第4季) is the base
# a change is measured against, not the figure's own period; so is 同月/同季 after a year.
# …and so is one joined to such a base: 比2016年和2015年春节所在月份.
# `由上年的15.1/10万下降到…`: after 由, a period followed by 的 is the base's (`_comparison_base`).
COMPARISON_BEFORE = re.compile(
    rf"(?:比|较|較|与|與|跟|相比|相对|相對|对比|對比|由|高于|高於|低于|低於|相当于|相當於"
    rf"|恢复至|恢復至|恢复到|恢復到|(?:恢复|恢復)至?疫情前[（(]?)"
    rf"(?:{_S}{_Y}(?:{_S}{_M}|同期|同月|同季|全年)?{_S}(?:和|及|与|與|、|或))?(?:{_S}{_Y})?{_S}$"
)  # 比去年同期和去年全年均加快: both are bases
YEAR_BEFORE = re.compile(rf"{_Y}{_S}$")
# A figure right after a comparison's base is the base's own figure (比上年119.6万件减少…,
# 较去年同期的3.2万宗, 高于上月末的14.91倍): its period is the base.
_BASE_PERIOD = (
    rf"(?:{_DAYS_NEAR})|{_Y}(?:{_S}(?:{_M}(?:{_S}{_TO}{_S}{_M})?|同期|同月|同季))?[底末]?"
    r"|上月[末底]?|上季度?[末底]?|上一?季[末底]?|同期"
)
BASE_OF_FIGURE = re.compile(
    rf"(?:(?:比|较|較|与|與|跟|由)(?P<p>{_BASE_PERIOD})(?:的)?"
    rf"|(?:高于|高於|低于|低於)(?P<q>{_BASE_PERIOD})的"  # 高于上月末的14.91倍, not 高于同期2.7%
    rf"|(?:比|较|較|与|與|跟|由)(?P<m>{_M})(?:的)?)"  # 較6月的1.37%: a month of this year
    rf"{_S}[（(]?$"  # 較2023年（0.9%）: the base's figure in brackets
)
# A figure right after 由 with no period of its own (`由380.3萬人減少至380.0萬人`) is the one
# before the change: its period is not worded.
FROM_FIGURE = re.compile(r"[由从從][ \u3000]*$")
# A clause opening with a comparison's base (`去年同期立案数为3.1万起`, `而上年同期為…`,
# `上年12月份为下降8.5%`) states the base's own figures: their period is the base.
BASE_CLAUSE = re.compile(
    rf"[ \u3000]*(?:而|但)?{_S}(?P<p>{_Y}{_S}(?:同期|同月|同季)"
    rf"|(?:上年|去年|上年度){_S}{_M}(?={_S}(?:为|為|是)))"  # 上年12月份为下降8.5%
)

# Since an event (`打擊詐騙“霹靂”行動開展以來`, `专项行动启动以来`): the period runs from the
# event; its wording starts at the clause start or at 自/从 (`_find_periods`).
# During an event (`会议期间`, `米雅颱風影響期間（8月31日至9月2日）`): worded from the clause
# start, after a lead (`_with_events`); group `b` a bracket of its days.
EVENT_DURING = re.compile(
    rf"(?:{trie(_both_scripts(set(_WORDS['during'])))})(?P<b>{_DATES_BRACKET})?"
)
DURING_LEAD = re.compile(rf"(?:{trie(_both_scripts(set(_WORDS['during_lead'])))})")
EVENT_SINCE = re.compile(
    rf"(?:{trie(_both_scripts(set(_CALENDAR['words']['since_events'])))})(?:以来|以來)"
)
EVENT_FROM = re.compile(r"[自从從](?!.*[自从從])")  # the last 自/从 of the clause opens it

# 截至11月底止, 截至11月28日收盘, 到昨天为止: the closing words of a period opened by 截至 or 到
UP_TO_CLOSE = ("止", "为止", "為止", "收盘", "收盤")
# 自去年10月起, 从7月开始: the closing words of a period opened by 自/从 (from then on); one
# ending so (or in 以来) runs to the reference day, one not so is the period after 自/从.
SINCE_CLOSE = ("开始", "開始", "起")
SINCE_END = ("以来", "以來", "至今", "迄今", *SINCE_CLOSE)


def period_key(word: str) -> str:
    """One form for wordings of one period: 截至11月底止 and 截至11月底 are the same."""
    if word.startswith(("截", "到")):
        for close in UP_TO_CLOSE:
            word = word.removesuffix(close)
    return word


YEAR_RANGE = re.compile(r"(\d{4})年至(\d{4})年")
# A span of quarters (`去年第一至第三季`): with a `分别` list of as many figures, one quarter each;
# groups: the year, the first and last quarter, the quarter's word
QUARTER_RANGE = re.compile(
    rf"(?P<y>(?:{_Y}{_S})?)第(?P<a>[一二三四1-4]){_S}(?:季度?)?{_S}{_TO}{_S}第?"
    rf"(?P<b>[一二三四1-4]){_S}(?P<u>季度?)"
)
# A year alone (`2023年`, `今年`, `113年`): stated earlier in a clause, it is the year a later
# `全年` of the clause means (`2023年全市法院全年共受理…`), so that `全年` is no period of its own.
YEAR_ALONE = re.compile(rf"{_Y}{_S}")
WHOLE_YEAR = ("全年", "全年度")

# A paragraph states a figure (and so ends a period's carry-over). Linear time: a number is
# matched from the start of its run only, and the run is consumed once (possessive);
# `\d(?:[\d,.]*\d)?` retried every start inside a long digit run (quadratic).
STATES_FIGURE = re.compile(
    r"(?<![\d,.])\d[\d,.]*+(?<=\d)[ \u3000]?"
    r"(?:[%％万萬亿億千百个個名人起件宗条條次元张張笔筆家倍]|个百分点)"
    r"|(?<![一二三四五六七八九十两兩廿百千])[一二三四五六七八九十两兩廿百千]++[万萬亿億]"
    r"|[一二三四五六七八九十]成"
)
