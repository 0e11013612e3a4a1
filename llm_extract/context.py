"""Context of a number in clean article text: metric, period, region, agency and evidence.

`ContextReader(text)` indexes the text once (sentence, clause and paragraph bounds; period,
region and agency mentions); `describe(start, end)` then answers for one number with a few
bisects and regex matches on short strings. Simplified and Traditional Chinese alike.

Rules (deterministic, best effort; tuned on the development articles):

- evidence: from after the previous 。！？；!?;\\n to and including the next one (a newline is
  not included), with surrounding spaces trimmed.
- period: the nearest period phrase before the number in its paragraph. Comparison bases
  (`比去年同期`), datelines (`12月30日电`), dates in brackets and event dates followed by a
  comma (`今年1月19日，随着…`) are not periods. A paragraph without one inherits the period in
  force after the last paragraph with a figure or a period (quarters do not carry over) when
  it starts with 其中/同时/此外/另外/具体来看… or names no acting agency of its own (a new actor
  usually opens a new topic). Under a year range (`2019年至2021年…分别3.9万人、5万人、4万人`)
  the k-th figure of the list gets the k-th year.
- region: the nearest place or scope word (`全国`, `本港`, `我省`, `广东深圳`) before the number
  in its paragraph, else the first one in the lede (first three substantial lines), else
  None. Datelines, media names (`甘肃日报`), enumerations of places (`北京、天津等`) and ranks
  (`全国第一`) are not regions.
- agency: the nearest acting agency before the number in its sentence, else the first in its
  paragraph, else the first named one of the lede (five substantial lines), else one named
  later in the paragraph, else the nearest named one earlier in the text. Partners
  (`会同工信部`, `联合公安机关`) are skipped; generic bodies (`公安机关`, `警方`, `全国法院`)
  defer to a named body of their family in the paragraph or lede (`公安部`, `最高人民法院`);
  local police keep their place (`广东深圳警方`).
- metric: the words from the clause start (or the end of a period or agency phrase) up to the
  number, with function words, periods, regions and agencies stripped at both ends. A change
  (`同比上升5.7%`) takes the measure before its verb, else the previous clause's metric; `分别`
  maps listed figures onto the metrics listed before, in order; an item after 、 reuses the
  previous item's metric or verb (`拦截短信`); a share (`占…`) is prefixed with the previous
  metric; a lone verb or an empty phrase takes the words after the number (`避免受骗群众`).
  At most 26 characters.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

__all__ = ["Context", "ContextReader"]


@dataclass(frozen=True, slots=True)
class Context:
    """What a number counts, for when and where, by whom, and the sentence saying so."""

    metric: str
    period: str | None
    region: str | None
    agency: str | None
    evidence_start: int
    evidence_end: int


# ---------------------------------------------------------------- scripts

_PAIRS = (
    "东東辽遼宁寧龙龍苏蘇广廣贵貴云雲陕陝湾灣门門庆慶汉漢阳陽尔爾滨濱郑鄭长長乌烏鲁魯齐齊"
    "萨薩庄莊锡錫连連岛島厦廈临臨关關张張银銀县縣区區兰蘭头頭莲蓮义義园園肃肅亚亞国國无無"
    "温溫济濟内內业業诈詐检檢机機统統计計财財运運输輸游遊网網办辦务務处處厅廳总總税稅监監"
    "会會证證农農铁鐵获獲拦攔冻凍结結缴繳毁毀捣搗发發劝勸诉訴审審绝絕暂暫惩懲拨撥开開约約"
    "谈談缉緝侦偵击擊断斷产產组組织織达達为為据據悉悉经經当當并並还還则則时時与與仅僅过過"
    "冲衝续續实實现現录錄于於后後为為对對众眾层層级級类類资資调調协協导導动動推推邀邀请請"
    "议議报報道道闻聞视視广廣讯訊电電单單门門场場点點个個亿億万萬币幣台臺准準调調这這该該"
    "种種样樣间間觉覺说說书書从從向向进進边邊将將执執预預警警项項员員占佔减減维維"
)
_S2T = str.maketrans(_PAIRS[0::2], _PAIRS[1::2])


def _both(words: str) -> list[str]:
    """Space-separated words plus their Traditional forms."""
    out = set()
    for word in words.split():
        out.add(word)
        out.add(word.translate(_S2T))
    return sorted(out, key=len, reverse=True)


def _trie(words: list[str]) -> str:
    """A regex matching any of `words`, longest first, as a prefix tree (fast to scan)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: dict) -> str:
        alts = [re.escape(c) + walk(child) for c, child in node.items() if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(tree)


def _alt(words: list[str] | str) -> str:
    """A regex for space-separated words (and their Traditional forms) or a list of words."""
    return _trie(_both(words) if isinstance(words, str) else list(words))


# ---------------------------------------------------------------- boundaries

_SENT_END = re.compile(r"[。！？；!?;\n]")
# Clause boundaries. A comma inside a number (28,000) is none, and bracketed or quoted
# stretches (`比2025年同期(2月1日,农历正月初四)`) are skipped whole.
_BOUND = re.compile(r"[，、：；。！？!?;:\n]")
_BOUND_COMMA = re.compile(r",(?:(?<!\d,)|(?!\d{3}(?!\d)))")
_BRACKET = re.compile(r"[（(][^（()）\n]{0,80}[)）]")
_QUOTE = re.compile(r"“[^“”\n，,。]{0,60}”|「[^「」\n，,。]{0,60}」")
_RESPECTIVELY = re.compile("分别|分別")
_SPACE = " \u3000\t\xa0"

# ---------------------------------------------------------------- periods

_S = r"[ \u3000]?"
_N = r"(?:\d{1,4}|[一二三四五六七八九十两兩廿]{1,3})"
_Y = rf"(?:\d{{4}}{_S}年|[今去上前明本当當]年)"
_M = rf"{_N}{_S}月份?"
_TO = r"(?:至|到|－|-|—|~|～)"
_MOD = r"(?:底|末|初|上旬|中旬|下旬)"
_SINCE = r"(?:以来|以來|(?:开始|開始)?(?:至今|迄今))"
_PERIOD_BODY = (
    rf"(?:(?:截至|截止到?|截至到){_S})?(?:[自从從]{_S})?"
    r"(?:"
    rf"{_Y}{_S}(?:{_M}{_S})?{_TO}{_S}(?:{_Y}{_S}(?:{_M}{_MOD}?)?|今)"
    rf"|(?:{_Y}{_S})?{_M}{_S}{_TO}{_S}(?:{_Y}?{_S}{_M}{_MOD}?|今)"
    rf"|(?:{_Y}{_S})?{_N}{_S}{_TO}{_S}{_N}{_S}月份?"
    rf"|(?:{_Y}{_S})?[前首]{_S}{_N}{_S}(?:个|個)?(?:月|季度)份?"
    rf"|(?:{_Y}{_S})?(?:第?[一二三四1-4]{_S}季度|[上下]半年|全年)"
    rf"|(?:{_Y}{_S})?{_M}(?:{_S}{_N}{_S}[日号號])?{_MOD}?{_SINCE}?"
    rf"|{_Y}(?:{_S}(?:{_SINCE}|{_MOD}))?"
    rf"|(?:近|过去|過去)?{_N}{_S}年(?:来|來|以来|以來)"
    r"|目前|至今|迄今|同月|当月|當月|(?:周|週|星期)[一二三四五六日天]"
    r")"
)
# A period starts with one of these characters, not right after another listed one; the
# leading class lets the regex engine skip other positions fast, the rest is a lookahead.
_PERIOD_FIRST = "截止自从從今去上前明本当當首第全近过過目至迄同周週星0-9一二三四五六七八九十两兩廿"
_NUMERAL = "0-9一二三四五六七八九十两兩廿"
_PERIOD_HINT = (  # cheap test before the full pattern: a numeral must lead to 年/月/季/至
    rf"(?=[^{_NUMERAL}]|[{_NUMERAL}]{{1,4}}[ \u3000]?[年月季至到－\-—~～])"
)
_PERIOD = re.compile(
    rf"[{_PERIOD_FIRST}](?<![\d.比较較第每近连連上下本这這该該].)"
    rf"(?<={_PERIOD_HINT}(?=(?P<p>{_PERIOD_BODY})).)"
)
_NOT_PERIOD_AFTER = re.compile(r"[ \u3000]?(?:同期|[电電讯訊])")
_YEAR_RANGE = re.compile(r"(\d{4})年至(\d{4})年")

# ---------------------------------------------------------------- regions

_PLACES = _both(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 "
    "湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 台灣 内蒙古 广西 西藏 宁夏 新疆 香港 "
    "澳门 石家庄 太原 呼和浩特 沈阳 瀋陽 大连 长春 哈尔滨 南京 苏州 无锡 杭州 宁波 温州 合肥 "
    "福州 厦门 泉州 南昌 九江 瑞昌 济南 青岛 临沂 郑州 武汉 长沙 广州 深圳 东莞 佛山 珠海 "
    "汕头 南宁 海口 三亚 成都 贵阳 昆明 大理 拉萨 西安 兰州 西宁 银川 乌鲁木齐 大庆 恩施 "
    "海西 酒泉 武威 张掖 嘉峪关 庆阳 天水 甘南 "
    "台北 臺北 新北 桃园 台中 臺中 台南 臺南 高雄 基隆 新竹 苗栗 彰化 南投 云林 嘉义 屏东 "
    "宜兰 花莲 台东 台東 澎湖 金门 连江"
)
_PLACE = _trie(_PLACES)
_PLACE_SUFFIX = r"(?:特别行政区|特別行政區|自治区|自治區|省|市|县|縣|区|區)?"
_SCOPES = _both(
    "全国 全省 全市 全县 全区 全台 全臺 全港 全澳 本港 本澳 本市 本省 本县 我省 我市 我国 我区 南市"
)
# One literal alternation first, so that the regex engine can skip by first character.
_REGION = re.compile(
    rf"{_trie(_SCOPES + _PLACES)}{_PLACE_SUFFIX}"
    rf"(?:{_PLACE}{_PLACE_SUFFIX}){{0,2}}"
)
_SCOPE_SET = frozenset(_SCOPES)
_NOT_PLACE_AFTER = re.compile(  # datelines, media names, enumerations of places
    r"[ \u3000]?(?:\d{1,2}[ \u3000]?月[ \u3000]?\d{1,2}[ \u3000]?日[ \u3000]?[电電讯訊]"
    r"|报道|報導|報道|[网網]|日报|日報|晚报|晚報|新闻|新聞|卫视|衛視|电视|電視|广播|廣播|·|、|等)"
)

# ---------------------------------------------------------------- agencies

_POLICE = "警方 警察局 市警局 县警局 縣警局 警局 警政署 内政部警政署 警务处 省公安厅 公安厅 公安局"
_GENERIC = {  # generic bodies defer to a named body of their family (公安机关 → 公安部)
    **dict.fromkeys(_both("公安机关 警方 警察局 警局"), "police"),
    **dict.fromkeys(_both("全国法院 法院"), "court"),
    **dict.fromkeys(_both("检察机关 检察院"), "procuracy"),
}
_FAMILY = (
    [(w, "police") for w in _both(_POLICE + " 公安部")]
    + [(w, "court") for w in _both("最高法 最高人民法院 最高法院")]
    + [(w, "procuracy") for w in _both("最高检 最高人民检察院")]
)
_AGENCIES = _both(
    "公安部 工信部 工业和信息化部 中国人民银行 人民银行 国家反诈中心 最高法 最高人民法院 最高法院 "
    "最高检 最高人民检察院 检察机关 检察院 全国法院 海关总署 海关 国家统计局 国统局 统计局 "
    "财政部 交通运输部 文化和旅游部 主计总处 中央网信办 网信办 国家移民局 商务部 国家能源局 "
    "农业农村部 国家金融监督管理总局 银保监会 证监会 民航局 国家铁路局 公安机关 " + _POLICE
)
_AGENCY = re.compile(rf"{_trie(_AGENCIES)}(?![门門])")
_TITLED = frozenset(_both("警务处 市警局"))  # 警務處長, 市警局長: a person's title
_LOCAL = ("公安机关", "公安機關", "警方", "警察局", "公安局", "公安厅", "公安廳")
_PARTNER = re.compile(
    r"(?:会同|會同|联合|聯合|协调|協調|配合|协助|協助|组织|組織|指导|指導|部署|推动|推動|邀请|邀請"
    r"|开通|開通|开发|開發"
    r"|[与與和及、])[^，,。；;：:]{0,6}$"
)

# ---------------------------------------------------------------- metric words

# A number for internal use: digits (not dates, times or codes) or Chinese numerals.
_NUM = re.compile(
    r"(?<![\d.])\d(?:[\d,.]*\d)?(?:[ \u3000]?[万萬亿億千])?(?![\d年月日号號时時点點:：\-/])"
    r"|[零〇○一二两兩三四五六七八九十廿百千万萬亿億]{2,}(?![年月日号號时時])"
    r"|[一二三四五六七八九十]成"
)
_VERB_WORDS = _both(
    "破获 抓获 拦截 攔阻 拦阻 封堵 处置 清理 止付 冻结 查处 打掉 捣毁 缴获 推送 发送 劝阻 挽回 "
    "起诉 判处 审结 受理 查获 查扣 发布 播放 拒绝 暂停 惩戒 惩处 整治 避免 拨打 发放 开展 劝返 "
    "约谈 考核 缉捕 移交 侦破 打击 押解 阻断 产出 组织 发起 利用 派发 处理 收缴 关停 下发"
)
_VERBS = frozenset(_VERB_WORDS)
_VERB = re.compile(_alt(_VERB_WORDS))
_LEAD = re.compile(
    r"(?:会同|會同|联合|聯合)[^，,、]{0,8}?(?:部门|部門|单位|單位|企业|企業)"
    r"|向各地|各地|全行业|全行業|再加上|原因是|据统计|據統計|统计显示|統計顯示|主要涉及|但仍|但"
    r"|达到|達到|实现|實現|约(?![谈定])|約(?![談定])"
    r"|(?:"
    + _alt(
        "共计 总共 累计 其中 分别 同比 环比 按年 成功 先后 已经 据悉 据知 经查 此外 另外 同时 "
        "目前 至今 当中 并且 高于 低于 略高于 略低于 以及 光是 并 另 再 又 均 而 则 还 也 都 和 "
        "及 与 的 已 达 为"
    )
    + r")"
    r"|共(?![享同建治])|有(?![效关關害限偿償])|计(?![算划劃])|計(?![算划劃])"
)
_TRAIL = re.compile(
    r"(?:"
    + _alt(
        "达到 高达 多达 超过 不到 不足 突破 上冲至 共计 合计 总计 累计 仅有 录得 发生 介乎 "
        "位居首位 大都维持 维持在 维持 大都 分别 同比 环比 按年 已经 只有 达 为 是 共 约 近 超 逾 "
        "至 有 计 仅 则 也 亦 还 都 已 占 人民币 新台币 新台幣 港元 港币 美元"
    )
    + r"|(?<!平)均)$"
)
_CHANGE = re.compile(
    r"(?:(?:比|较|較)[^，,、]{0,12}?[多少]"
    r"|(?<![新净淨])(?:"
    + _alt(
        "上升 下降 增长 增加 减少 下滑 下跌 扩大 上涨 回落 提高 降低 收窄 增幅 升幅 降幅 跌幅 减幅 "
        "增速 急增 激增 大增 飙升 续增 月增 月减 增 减 升 跌 降 飙"
    )
    + r"))(?:了|至|为|為|达|達|到)?[ \u3000]*$"
)
_COMPARE = re.compile(
    r"(?:(?:比|较|較|与|與)[^，,、]{0,16}?"
    r"(?:同期|上月|上年|去年|前年|上季度?|上周|上週|年初|年底|上一年|前一年)"
    r"(?:[（(][^）)]*[）)])?(?:相比)?|同比|环比|環比|按年|按月|按季)?"
    r"[ \u3000]*(?:分别|分別)?[ \u3000]*(?:同比|环比|環比|按年)?[ \u3000]*$"
)
_SHARE = re.compile(r"^[占佔](?!用|有|领|領)")
_INNER = re.compile(r"(?<![公总總])共(?![同享建治计計])|(?<=案)就")
_UNIT_HEAD = re.compile(
    r"[余餘多]?(?:[%％‰倍]|个百分点|個百分點|[个個名人次条條件宗起张張笔筆家元份场場万萬亿億]{1,3})?"
)
_AFTER_STOP = re.compile(r"[，、：；。！？!?;:\n,]")
_CONTINUE = re.compile(_alt("其中 同时 此外 另外 具体来看 具体看 与此同时 分季度看"))
# Linear time: a number is matched from the start of its run only, and the run is consumed
# once (possessive); `\d(?:[\d,.]*\d)?` retried every start inside a long digit run (quadratic).
_HAS_STAT = re.compile(
    r"(?<![\d,.])\d[\d,.]*+(?<=\d)[ \u3000]?"
    r"(?:[%％万萬亿億千百个個名人起件宗条條次元张張笔筆家倍]|个百分点)"
    r"|(?<![一二三四五六七八九十两兩廿百千])[一二三四五六七八九十两兩廿百千]++[万萬亿億]"
    r"|[一二三四五六七八九十]成"
)
_LEDE_LINES = 5  # headline and first paragraphs, for the fallback agency
_LEDE_REGION_LINES = 3
_LEDE_LINE_CHARS = 8  # shorter lines (section names, dates, bylines) are not counted
_MAX_METRIC = 26
_CUT_AT = 8  # a longer phrase not starting with a verb or adverb is cut at its first verb
_KEEP = re.compile(_alt("直接 间接 紧急 日均 面对面 一审 从 向 对 在 为 打着"))
_MEASURE_END = ("金额", "金額", "总额", "總額", "数", "數", "率", "量", "值")
_HEADS = frozenset(_both("支出 收入 投资"))
_ABOVE = re.compile(_alt("高于 低于 略高于 略低于"))
_DEPTH = 3  # how many earlier numbers a metric may lean on
_WINDOW = 200  # a clause is never taken longer than this (unpunctuated text stays linear)


class _Spans:
    """Non-overlapping mentions sorted by position."""

    __slots__ = ("starts", "ends", "texts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.texts: list[str] = []

    def add(self, start: int, end: int, text: str) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.texts.append(text)

    def last(self, pos: int, lo: int) -> int:
        """Index of the last mention inside [lo, pos), or -1."""
        i = bisect_right(self.ends, pos) - 1
        return i if i >= 0 and self.starts[i] >= lo else -1


class _Agencies(_Spans):
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


class ContextReader:
    """Precomputed indexes over one clean text; `describe` gives one number's context."""

    def __init__(self, text: str):
        self.text = text
        self._sents = [m.start() for m in _SENT_END.finditer(text)]
        self._lines = [m.start() for m in re.finditer("\n", text)]
        self._brackets = {m.start(): m.end() for m in _BRACKET.finditer(text)}
        self._bracket_starts = list(self._brackets)
        self._narrow = self._clause_bounds()
        self._wide = [p for p in self._narrow if text[p] != "、"]
        self._respectively_at = [m.start() for m in _RESPECTIVELY.finditer(text)]
        self._places: dict[int, int] = {}  # end -> start of every place name
        self.periods = self._find_periods()
        self.regions = self._find_regions()
        self.agencies = self._find_agencies()
        self._edges: dict[int, int] = {}  # mention start -> end, for stripping
        self._tails: dict[int, int] = {}  # mention end -> start
        for spans in (self.periods, self.regions, self.agencies):
            for s, e in zip(spans.starts, spans.ends, strict=True):
                self._edges[s] = max(e, self._edges.get(s, e))
                self._tails[e] = min(s, self._tails.get(e, s))
        p, a = self.periods, self.agencies
        cuts = sorted(zip(p.ends + a.ends, p.starts + a.starts, strict=True))
        self._cut_ends = [e for e, _ in cuts]  # period and agency phrases, by end
        self._cut_starts = [s for _, s in cuts]
        self._lede_region_end = self._lede(_LEDE_REGION_LINES)
        lede = bisect_left(a.starts, self._lede(_LEDE_LINES))
        self._lede_generic = a.texts[0] if lede else None  # the lede's first agency of any kind
        self._lede_agencies: dict[str | None, str] = {}  # family (None: any) -> first named
        for j in range(lede):
            if not a.generic[j]:
                self._lede_agencies.setdefault(a.family[j], a.texts[j])
                self._lede_agencies.setdefault(None, a.texts[j])
        self._inherited = self._carry_periods()
        self._metrics: dict[int, tuple[int, str]] = {}  # start -> (depth, metric)

    # ------------------------------------------------------------ indexing

    def _clause_bounds(self) -> list[int]:
        text = self.text
        bounds = [m.start() for m in _BOUND.finditer(text)]
        commas = [m.start() for m in _BOUND_COMMA.finditer(text)]
        bounds = sorted(bounds + commas) if commas else bounds
        inside: set[int] = set()
        for s, e in [*self._brackets.items(), *(m.span() for m in _QUOTE.finditer(text))]:
            inside.update(bounds[bisect_right(bounds, s) : bisect_left(bounds, e)])
        return [p for p in bounds if p not in inside] if inside else bounds

    def _in_brackets(self, pos: int) -> bool:
        starts = self._bracket_starts
        i = bisect_right(starts, pos) - 1
        return i >= 0 and starts[i] < pos < self._brackets[starts[i]]

    def _find_periods(self) -> _Spans:
        spans, text, last = _Spans(), self.text, 0
        for m in _PERIOD.finditer(text):
            s, e = m.span("p")
            if s < last or _NOT_PERIOD_AFTER.match(text, e) or self._in_brackets(s):
                continue
            last, word = e, m.group("p")
            if word[-1] in "日号號" and not word.startswith("截") and text[e : e + 1] in "，,":
                continue  # an event date ("今年1月19日，随着…"), not a reporting period
            spans.add(s, e, word)
        return spans

    def _find_regions(self) -> _Spans:
        spans, text = _Spans(), self.text
        for m in _REGION.finditer(text):
            start, end, word = m.start(), m.end(), m.group()
            if word[:2] in _SCOPE_SET:
                if text[start + 2 : start + 3] not in ("第", "首"):  # 全国第一 is a rank
                    spans.add(start, start + 2, word[:2])
                continue
            self._places[end] = start
            if not _NOT_PLACE_AFTER.match(text, end):
                spans.add(start, end, word)
        return spans

    def _find_agencies(self) -> _Agencies:
        spans, text = _Agencies(), self.text
        for m in _AGENCY.finditer(text):
            s, e, word = m.start(), m.end(), m.group()
            if word in _TITLED and text[e : e + 1] in ("長", "长"):
                continue
            if word in _LOCAL and s in self._places:  # 广东深圳警方, 江西九江瑞昌市公安机关
                s = self._places[s]
                word = text[s:e]
            spans.add_agency(s, e, word, bool(_PARTNER.search(text, max(0, s - 10), s)))
        spans.finish()
        return spans

    def _lede(self, lines: int) -> int:
        """End of the first `lines` substantial lines (headline and first paragraphs)."""
        pos, count, text = 0, 0, self.text
        while pos < len(text) and count < lines:
            nl = text.find("\n", pos)
            nl = len(text) if nl < 0 else nl
            count += len(text[pos:nl].strip()) >= _LEDE_LINE_CHARS
            pos = nl + 1
        return min(pos, len(text))

    def _carry_periods(self) -> list[str | None]:
        """Per paragraph, the period it inherits from earlier paragraphs (see module doc)."""
        text, p, inherited, carry = self.text, self.periods, [], None
        starts = [0] + [i + 1 for i in self._lines]
        for ps, pe in zip(starts, [*self._lines, len(text)], strict=True):
            mine = carry if carry is not None and self._inherits(ps, pe) else None
            inherited.append(mine)
            lo, hi = bisect_left(p.starts, ps), bisect_left(p.starts, pe)
            if lo < hi:  # quarters are breakdowns of a year: they do not carry over
                carry = next((t for t in reversed(p.texts[lo:hi]) if "季度" not in t), mine)
            elif _HAS_STAT.search(text, ps, pe):
                carry = mine
        return inherited

    def _inherits(self, ps: int, pe: int) -> bool:
        body = self.text[ps:pe].strip(_SPACE)
        if not body or _CONTINUE.match(body):
            return bool(body)
        a, n = self.agencies, len(self.agencies.starts)
        i = bisect_left(a.starts, ps)
        actor = a.next_actor[i] if i < n else n
        return actor == n or a.starts[actor] >= pe

    # ------------------------------------------------------------ describe

    def describe(self, start: int, end: int) -> Context:
        """Context for the number at text[start:end]."""
        text, sents, lines = self.text, self._sents, self._lines
        i = bisect_left(sents, start)
        ss = sents[i - 1] + 1 if i > 0 else 0
        j = bisect_left(sents, end)
        se = sents[j] + (text[sents[j]] != "\n") if j < len(sents) else len(text)
        para = bisect_left(lines, start)
        ps = lines[para - 1] + 1 if para > 0 else 0
        pe = lines[para] if para < len(lines) else len(text)
        lo, hi = ss, se
        while lo < start and text[lo] in _SPACE:
            lo += 1
        while hi > end and text[hi - 1] in _SPACE + "\n":
            hi -= 1
        return Context(
            metric=self._metric(start, end, 0, ss),
            period=self._period(start, end, ps, para),
            region=self._region(start, ps),
            agency=self._agency(start, ps, pe, ss),
            evidence_start=lo,
            evidence_end=hi,
        )

    def _period(self, start: int, end: int, ps: int, para: int) -> str | None:
        p = self.periods
        i = p.last(start, ps)
        if i < 0:
            return self._inherited[para]
        years = _YEAR_RANGE.fullmatch(p.texts[i])
        if years:  # 2019年至2021年…分别起诉3.9万人、5万人、4万人: one year each
            k, n = self._list_position(p.ends[i], start, end)
            first, last = int(years[1]), int(years[2])
            if n > 1 and n == last - first + 1:
                return f"{first + k}年"
        return p.texts[i]

    def _list_position(self, lo: int, start: int, end: int) -> tuple[int, int]:
        """(index, size) of the number in a `分别` list after position lo, else (0, 0)."""
        text = self.text
        ws = _before(self._wide, start, lo)
        k = self._respectively_before(ws, start)
        if k < 0:
            return 0, 0
        before = len(_NUM.findall(text, k, start))
        return before, before + 1 + len(_NUM.findall(text, end, _after(self._wide, end, len(text))))

    def _respectively_before(self, lo: int, pos: int) -> int:
        at = self._respectively_at
        i = bisect_left(at, pos) - 1
        return at[i] if i >= 0 and at[i] >= lo else -1

    def _region(self, start: int, ps: int) -> str | None:
        r = self.regions
        i = r.last(start, ps)
        if i >= 0:
            return r.texts[i]
        return r.texts[0] if r.starts and r.starts[0] < self._lede_region_end else None

    def _agency(self, start: int, ps: int, pe: int, ss: int) -> str | None:
        """Sentence (nearest), paragraph (first), lede, later in the paragraph, earlier text."""
        a = self.agencies
        last = a.last(start, ps)
        if last >= 0 and a.actor[last] >= 0 and a.starts[a.actor[last]] >= ps:
            i = a.actor[last]  # the nearest actor, if in the sentence, else the paragraph's first
            if a.starts[i] < ss:
                i = a.next_actor[bisect_left(a.starts, ps)]
            return self._named(i, ps)
        lede = self._lede_agencies.get(None)
        if lede:
            return lede
        k = bisect_left(a.starts, start)  # a body named later in the paragraph
        if k < len(a.starts) and a.starts[k] < pe:
            return a.texts[k]
        j = a.last(start, 0)
        if j >= 0 and a.named[j] >= 0:
            return a.texts[a.named[j]]
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

    # ------------------------------------------------------------ metric

    def _metric(self, start: int, end: int, depth: int, ss: int = -1) -> str:
        """The metric of the number at `start`; deeper calls resolve earlier numbers."""
        known = self._metrics.get(start)
        if known is not None and known[0] <= depth:
            return known[1]
        if ss < 0:
            i = bisect_left(self._sents, start)
            ss = self._sents[i - 1] + 1 if i > 0 else 0
        metric = self._compute_metric(start, end, depth, ss)
        self._metrics[start] = (depth, metric)
        return metric

    def _compute_metric(self, start: int, end: int, depth: int, ss: int) -> str:
        text = self.text
        if depth < _DEPTH and self._respectively_before(ss, start) >= 0:
            mapped = self._respectively(ss, start, end, depth)
            if mapped is not None:
                return mapped
        cs = self._clause_start(start, ss)
        joint = text[cs - 1] if cs > ss else ""
        lo = self._after_mention(cs, start)
        i, j = self._strip(lo, start, first=True)
        seg = text[i:j]
        inner = self._last_number(i, j)
        if inner is not None and depth < _DEPTH:
            rest = self._tidy(_drop_unit(text[inner.end() : j]))
            if not rest:  # `下降8.2%至2,700多人`: the metric of the earlier number
                return self._metric(inner.start(), inner.end(), depth + 1)
            seg = rest  # `受理件數五三○件及財損數`
        change = _CHANGE.search(seg, max(0, len(seg) - 16))
        if change:
            return self._change_metric(seg[: change.start()], cs, lo, start, depth)
        if seg in ("对", "對", "向", "将", "將"):
            seg = ""
        if seg:
            return _clip(self._complete(seg, cs, ss, joint, end, depth))
        if joint == "、" and depth < _DEPTH:
            prev = self._previous_number(cs, ss)
            if prev is not None:
                return self._metric(prev.start(), prev.end(), depth + 1)
        after = self._words_after(end, depth)
        return _clip(after) if after else self._previous(cs, depth)

    def _change_metric(self, head: str, cs: int, lo: int, start: int, depth: int) -> str:
        """A rise or fall measures what is named before its verb, else the previous metric."""
        measure = self._tidy(_COMPARE.sub("", head))
        if _ABOVE.match(self.text, lo, start) and depth < _DEPTH:  # 高於市場預期增長5.2%
            return _clip(self._previous(cs, depth) + measure)
        return _clip(measure) if measure else self._previous(cs, depth)

    def _complete(self, seg: str, cs: int, ss: int, joint: str, end: int, depth: int) -> str:
        """Finish a non-empty phrase: shares, 连续, verb or noun reuse, lone verbs, cuts."""
        if _SHARE.match(seg) and depth < _DEPTH:  # 中美贸易总值…，占我外贸总值的11.7%
            prev = self._previous(cs, depth)
            return prev + seg if prev else seg
        if seg.endswith(("连续", "連續")):  # 立案数连续9个月同比下降
            return self._tidy(seg[:-2]) + seg[-2:] + self._words_after(end, depth)
        reuse = depth < _DEPTH and joint in ("、", "，", ",")
        verb_first = seg[:2] in _VERBS
        after = self._words_after(end, depth) if verb_first else ""
        if reuse and verb_first and len(seg) <= 3 and not after:
            prev = self._previous_number(cs, ss)  # 发布视频4300多条、播放30亿次 → 视频播放
            noun = self._metric(prev.start(), prev.end(), depth + 1) if prev else ""
            if noun[:2] in _VERBS and 0 < len(noun) - 2 <= 8:
                return noun[2:] + seg
        if reuse and joint == "、" and not verb_first and not seg.endswith(_MEASURE_END):
            prev = self._previous_number(cs, ss)  # 拦截电话19.5亿次、短信21.4亿条 → 拦截短信
            verb = self._metric(prev.start(), prev.end(), depth + 1)[:2] if prev else ""
            if verb in _VERBS:
                return verb + seg
        if verb_first and _only_verbs(seg):  # 成功避免6178万名群众受骗 → 避免受骗群众
            return seg + after
        if len(seg) > _CUT_AT and not verb_first and "的" not in seg and not _KEEP.match(seg):
            verb = next((m for m in _VERB.finditer(seg) if 2 <= m.start() <= len(seg) - 4), None)
            if verb:  # 精准发现潜在受骗用户并实时发送预警信息 → 发送预警信息
                return seg[verb.start() :]
        return seg

    def _clause_start(self, start: int, lo: int) -> int:
        """Clause start before `start`; 、 lists without their own numbers are kept whole."""
        text = self.text
        lo = max(lo, start - _WINDOW)
        cs = _before(self._narrow, start, lo)
        while cs > lo and text[cs - 1] == "、":
            pcs = _before(self._narrow, cs - 1, lo)
            if _NUM.search(text, pcs, cs - 1):
                break
            cs = pcs
        return cs

    def _after_mention(self, cs: int, start: int) -> int:
        """Skip to the end of the last period or agency phrase in [cs, start) if words follow."""
        ends = self._cut_ends
        k = bisect_right(ends, start) - 1
        best = ends[k] if k >= 0 and self._cut_starts[k] >= cs else cs
        if best > cs:
            i, j = self._strip(best, start)
            if i >= j:
                return cs
        return best

    def _strip(self, i: int, j: int, first: bool = False) -> tuple[int, int]:
        """Strip function words, brackets and mentions from both ends of text[i:j]."""
        text = self.text
        while i < j:
            e = self._edges.get(i)
            if e is not None and e <= j:
                i = e
            elif text[i] in _SPACE or text[i] in "，,”」』》)）·":
                i += 1
            elif i in self._brackets and self._brackets[i] <= j:
                i = self._brackets[i]
            else:
                m = _LEAD.match(text, i, j)
                if not m:
                    break
                i = m.end()
        if first and i < j and text[j - 1] == "的":
            j -= 1  # only right before the number: `35岁以下的占85%` keeps its 的
        while j > i:
            s = self._tails.get(j)
            if s is not None and s >= i:
                j = s
            elif text[j - 1] in _SPACE or text[j - 1] in "“「《(（":
                j -= 1
            else:
                m = _TRAIL.search(text, max(i, j - 6), j)
                if not m:
                    break
                j = m.start()
        return i, j

    @staticmethod
    def _tidy(seg: str) -> str:
        """Strip function words from both ends of a detached phrase."""
        for _ in range(4):
            before = seg
            m = _LEAD.match(seg)
            seg = seg[m.end() :] if m else seg
            t = _TRAIL.search(seg)
            seg = (seg[: t.start()] if t else seg).strip(_SPACE + "，,、")
            if seg == before:
                break
        return seg

    def _last_number(self, i: int, j: int) -> re.Match[str] | None:
        """The last number with a unit inside text[i+1:j] (a clause stating two figures)."""
        if _NUM.search(self.text, i + 1, j) is None:
            return None
        m = list(_NUM.finditer(self.text, i + 1, j))[-1]
        head = _UNIT_HEAD.match(self.text, m.end(), j)
        return m if head and head.end() > m.end() or m.end() == j else None

    def _respectively(self, ss: int, start: int, end: int, depth: int) -> str | None:
        """`A…、B…，同比分别上升x%、y%`: the k-th listed number takes the k-th metric."""
        text = self.text
        wcs = _before(self._wide, start, ss)
        k = self._respectively_before(wcs, start)
        if k < 0 or _CHANGE_JUNK.sub("", _NUM.sub("", text[k + 2 : start])).strip(_LIST_JUNK):
            return None
        index = len(_NUM.findall(text, k, start))
        size = index + 1 + len(_NUM.findall(text, end, _after(self._wide, end, len(text))))
        items = self._listed(wcs, k, size, depth)
        return _clip(items[min(index, len(items) - 1)]) if items else None

    def _listed(self, wcs: int, k: int, size: int, depth: int) -> list[str] | None:
        """The `size` metrics listed before `分别` at k: as words, or by earlier numbers."""
        i, j = self._strip(self._after_mention(wcs, k), k)
        pre = self._tidy(_COMPARE.sub("", self.text[i:j]))
        if pre:
            return _split(pre, size) or [pre]
        ps = self._paragraph_start(wcs)
        found: list[str] = []
        pos = wcs
        for _ in range(4):
            if pos <= ps:
                break
            pcs = _before(self._wide, pos - 1, ps)
            nums = list(_NUM.finditer(self.text, pcs, pos - 1))
            if nums:
                found = [self._metric(m.start(), m.end(), depth + 1) for m in nums] + found
                if len(found) >= size:
                    return found[-size:]
            elif found:
                break
            else:
                a, b = self._strip(pcs, pos - 1)
                return _split(self._tidy(self.text[a:b]), size)
            pos = pcs
        return None

    def _paragraph_start(self, pos: int) -> int:
        i = bisect_left(self._lines, pos)
        return self._lines[i - 1] + 1 if i > 0 else 0

    def _previous_number(self, cs: int, lo: int) -> re.Match[str] | None:
        pcs = _before(self._narrow, cs - 1, lo)
        nums = list(_NUM.finditer(self.text, pcs, cs - 1))
        return nums[-1] if nums else None

    def _previous(self, cs: int, depth: int) -> str:
        """The metric of the clause before cs in its paragraph (its last number's, or words)."""
        ps = self._paragraph_start(cs)
        if depth >= _DEPTH or cs <= ps:
            return ""
        prev = self._previous_number(cs, ps)
        if prev is not None:
            return self._metric(prev.start(), prev.end(), depth + 1)
        pcs = self._clause_start(cs - 1, ps)
        i, j = self._strip(self._after_mention(pcs, cs - 1), cs - 1)
        words = self.text[i:j]
        change = _CHANGE.search(words)
        if change:
            words = self._tidy(_COMPARE.sub("", words[: change.start()]))
        return _clip(words)

    def _words_after(self, end: int, depth: int) -> str:
        """The words right after the number (`6178万名群众受骗` → 受骗群众)."""
        text = self.text
        stop = _AFTER_STOP.search(text, end, end + 30)
        words = text[end : stop.start() if stop else min(end + 30, len(text))]
        if depth:
            words = _drop_unit(words)
        words = words.lstrip("余餘多左右以上" + _SPACE).rstrip(_SPACE)
        if len(words) > 22:
            return ""
        victims = _VICTIMS.fullmatch(words)
        return victims[2] + victims[1] if victims else words


_VICTIMS = re.compile(r"(.{1,4}?)(受骗|受騙)")
_CHANGE_JUNK = re.compile(
    _alt(
        "上升 下降 增长 增加 减少 下滑 下跌 扩大 上涨 回落 提高 降低 增幅 升幅 降幅 跌幅 同比 环比 "
        "按年 个百分点 百分点 增 减 升 跌 降 为 达 至 了 和 及 与"
    )
)
_LIST_JUNK = " \u3000、，,%％倍个個万萬亿億千起名人次条條件宗元"
_QUOTED_LIST = re.compile(r"“[^”]*、[^”]*”|「[^」]*、[^」]*」")


def _before(bounds: list[int], pos: int, lo: int) -> int:
    """Just after the last boundary before pos, but not before lo nor _WINDOW back."""
    i = bisect_left(bounds, pos) - 1
    return max(bounds[i] + 1 if i >= 0 else lo, lo, pos - _WINDOW)


def _after(bounds: list[int], pos: int, hi: int) -> int:
    """The first boundary at or after pos, but not after hi nor _WINDOW ahead."""
    i = bisect_left(bounds, pos)
    return min(bounds[i] if i < len(bounds) else hi, hi, pos + _WINDOW)


def _drop_unit(words: str) -> str:
    head = _UNIT_HEAD.match(words)
    return words[head.end() :] if head else words


def _family(name: str) -> str | None:
    for word, family in _FAMILY:
        if name.endswith(word):
            return family
    return None


def _only_verbs(seg: str) -> bool:
    return (
        len(seg) % 2 == 0
        and len(seg) <= 8
        and all(seg[k : k + 2] in _VERBS for k in range(0, len(seg), 2))
    )


def _split(phrase: str, size: int) -> list[str] | None:
    """`教育、社会保障和就业、卫生健康支出` into `size` items; a shared head noun is repeated."""
    for pattern in ("、", "[、和及与與]"):
        parts = [p for p in re.split(pattern, phrase) if p]
        if len(parts) == size:
            head = parts[-1][-2:]
            if (
                head in _HEADS
                and len(parts[-1]) > 2
                and not any(p.endswith(_MEASURE_END) for p in parts)
            ):
                parts = [p if p.endswith(head) else p + head for p in parts]
            return parts
    return None


def _clip(metric: str) -> str:
    """Tidy the final phrase: drop inner 共/就, keep at most _MAX_METRIC characters."""
    metric = metric.strip(_SPACE + "，,、：:")
    if "共" in metric or "就" in metric:
        metric = _INNER.sub("", metric)
    if len(metric) > _MAX_METRIC:
        metric = _QUOTED_LIST.sub("", metric)
    if len(metric) > _MAX_METRIC:  # keep the leading verbs and the head after the last 的/等
        verbs = 0
        while metric[verbs : verbs + 2] in _VERBS:
            verbs += 2
        k = max(metric.rfind("的"), metric.rfind("等"))
        tail = metric[k + 1 :] if 0 <= k < len(metric) - 2 else metric
        metric = (metric[:verbs] + tail)[-_MAX_METRIC:]
    return metric
