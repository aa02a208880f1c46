"""Names of people and places in Chinese running text, as a "who" or "where" check looks for them: what jieba's tagger
calls a name, and what it misses (a name after a title, a place before a place word or after a preposition of place).
"""

from __future__ import annotations

import functools
import re

# A person's title (部长, 发言人, 主席 ...) followed by a word: that word is a name, whatever the tagger calls it.
TITLE = re.compile(r"(?:长|发言人|主席|总理|总统|主任|专家|大使|顾问|书记|议员|首相|国务卿|司令|教授|记者|总裁|创始人)$")
_GIVEN = re.compile(r"(?!说|称|是|等|将|已|也|都|曾|在|被|和|与|及|的|了)[\u4e00-\u9fff]{1,2}")  # a given name after a surname
_NAME_FLAGS = ("nr", "ns", "nrt", "nz", "nrfg")  # nrfg: a name the tagger knows whole (宁致远)
_PLACE_SUFFIX = re.compile(r"^(?:市|州|省|地区|机场|城|区|县|镇|村|港)")
_PLACE_NOUNS = frozenset(["城市", "地区", "国家", "首都", "全国", "当地", "该国", "本国", "外国", "邻国", "南部", "北部", "东部", "西部", "中部", "市中心"])
# "运送至热特根机场", "南部的克兹拉尔达市": a few characters between a preposition (or 的, a comma) and a place word
_SUFFIXED_PLACE = re.compile(r"(?:^|[在至到往从于的、，,和与及])((?:(?![在至到往从于的])[\u4e00-\u9fff]){2,6}?)"
                             r"(?:市|州|省|地区|机场|港)")
# and a building or site by its name ("搬进了翠屏苑小区", "在阿拉木图的一个汽车服务大楼内"); one everyday word before it
# names none ("训练基地", "特别中心")
_SITE = re.compile(r"(?:^|[在至到往从于进入的、，,和与及])((?:(?![在至到往从于的])[\u4e00-\u9fff]){2,6}?)"
                   r"(?:大楼|大厦|办公室|中心|小区|医院|学校|车站|广场|街道|公园|酒店|宾馆|银行|大厅|礼堂|体育馆|基地|工地|"
                   r"车间|仓库|码头|住院部|病房|宿舍|食堂|厂区|厂房|隧道|矿井)")
# "聚集在银行外", "在市长办公室门口": what stands between 在 and a word of position is a place
_BESIDE = re.compile(r"在([\u4e00-\u9fff]{2,10}?)(?:外面|外|旁边|旁|附近|门口|门前|一带|境内|脚下|上空|楼下)")
_NOT_A_PLACE = re.compile(r"^(?:[在至到往从于]|该|本|这|那|全|各|其他|其它|多个|主要|国际|大型|当地|城)")
_PLACE_CUE = frozenset("在至到往从于")  # "设在塔什干", "运送至热特根"

# A Latin gloss in brackets names the word before it again: "托卡耶夫（Kassym-Jomart Tokayev）", "曼格斯套（Mangystau）"
GLOSS = re.compile(r"[（(][A-Za-z][A-Za-z .'\-]*[)）]")


def dotted_names(text: str, read_on: frozenset[str] = frozenset()) -> list[str]:
    """Transliterated names joined by a middle dot ("阿斯卡尔·马明"), whole words on either side, as jieba cuts them;
    with `read_on` (tagger flags), the last part goes on over the words so tagged that follow it (叶尔兰·图尔 + 古姆 +
    巴耶夫), up to a conjunction or 的."""
    if "·" not in text:
        return []
    pairs = tagged(text)
    words = [word for word, _ in pairs]
    names, i = [], 1
    while i < len(words) - 1:
        if words[i] == "·" and words[i - 1].strip() and words[i + 1].strip():
            name = words[i - 1]
            while i < len(words) - 1 and words[i] == "·":
                name += "·" + words[i + 1]
                i += 2
            while i < len(words) and pairs[i][1] in read_on and words[i][0] not in "和与及等的":
                name += words[i]
                i += 1
            names.append(name)
        else:
            i += 1
    return names


def titled_names(text: str) -> list[str]:
    """The name right after a person's title ("国防部长绍伊古", "总理阿斯卡尔·马明"), whatever the tagger calls its
    parts (it takes some transliterated names for places)."""
    words, names = tagged(text), []
    for i in range(1, len(words)):
        if not TITLE.search(words[i - 1][0]):
            continue
        name, j = "", i
        while j < len(words) and (words[j][1] in _NAME_FLAGS or (words[j][0] == "·" and name)):
            name += words[j][0]
            j += 1
        name = name.rstrip("·")
        if len(name) == 1 and j < len(words) and _GIVEN.fullmatch(words[j][0]) and words[j][1][:1] not in "pcuxye":
            name += words[j][0]  # a surname the tagger cut from a given name it does not know (曹|立新)
        if len(name) >= 2:
            names.append(name)
    return names + [name for name in role_names(text) if name not in names]


def places(text: str) -> list[str]:
    """Place names: words tagged as places; runs of name-like words that a place word follows ("贾姆比尔地区"), a
    preposition of place precedes ("设在塔什干") or a Latin gloss follows ("曼格斯套（Mangystau）"); and the few
    characters before a place word ("运送至热特根机场"), which the tagger often cuts wrongly. Transliterated words
    alone are not enough: the tagger gives people's names the same tag. A person's "名·姓" holds no place (努尔苏丹·纳扎尔
    巴耶夫 is no 苏丹)."""
    for name in dotted_names(text):
        text = text.replace(name, "他")
    words = tagged(text)
    found = [word for word, flag in words if flag == "ns" and len(word) >= 2]
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and (words[j][1] in _NAME_FLAGS or words[j][1] == "q" and j > i):
            j += 1
        run = "".join(word for word, _ in words[i:j])
        if j > i and len(run) >= 2:
            after = "".join(word for word, _ in words[j:j + 4])
            before = words[i - 1][0] if i else ""
            if _PLACE_SUFFIX.match(after) or GLOSS.match(after) or before[-1:] in _PLACE_CUE:
                found.append(run)
        i = max(j, i + 1)
    found += [m.group(1) for pattern in (_SUFFIXED_PLACE, _BESIDE) for m in pattern.finditer(text)
              if not _NOT_A_PLACE.match(m.group(1))]
    found += [m.group(1) for m in _SITE.finditer(text) if not _NOT_A_PLACE.match(m.group(1)) and not _everyday(m.group(1))]
    return [place for place in found if place not in _PLACE_NOUNS]


def _everyday(words: str) -> bool:
    """Is this one word of the dictionary, not a name ("训练", "特别")?"""
    cut = tagged(words)
    return len(cut) == 1 and cut[0][1] not in _NAME_FLAGS


def proper_nouns(text: str, flags: tuple[str, ...]) -> list[str]:
    """Names (nr) or places (ns, nrt) as jieba's part-of-speech tagger sees them, for names without a middle dot."""
    return [word for word, flag in tagged(text) if flag in flags and len(word) >= 2]


@functools.lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    from jieba import posseg

    return tuple((word, flag) for word, flag in posseg.cut(text))


# A person's name typed right after their role ("律师甘露", "处长方国梁", "总经理戚永年"): the tagger misses most names it has
# not seen, but a Chinese name is a common surname and one or two characters, up to a verb, a preposition or a stop.
# The commonest surnames, less those that are as often a word of their own after a role (向, 于, 曾, 任, 高, 万, 时).
_SURNAMES = ("王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭肖萧蔡潘田董袁余叶蒋杜苏魏程吕丁沈姚卢姜崔钟谭"
             "陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤甘苗戚季宁柳鲁葛")
_ROLE = (r"(?:长|发言人|主席|总理|总统|主任|专家|大使|顾问|书记|议员|首相|国务卿|司令|教授|记者|总裁|创始人|律师|经理|店主|"
         r"老板|医生|护士|司机|工程师|队员|员工|工人|村民|居民|市民|老师|教师|负责人|董事|监理|技术员|安全员|消防员|民警|交警|"
         r"警官|法官|检察官|主管|会计|家属|代表|妻子|丈夫|母亲|父亲|儿子|女儿|师傅)")
_AFTER_NAME = (r"(?=说|称|表示|介绍|回应|告诉|透露|指出|坦言|回忆|证实|承认|在|已|被|于|等|目前|正在|也|还|则|曾|任|受到|因|"
               r"对|向|和|与|及|的|是|从|将|当时|[，。、；：:,（(\s\d“”\"]|$)")
_NAMED_AFTER_ROLE = re.compile(rf"{_ROLE}([{_SURNAMES}][\u4e00-\u9fff]{{1,2}}?){_AFTER_NAME}")
_NOT_GIVEN = re.compile(r"方面|方向|方式|方法|金额|黄金|周[一二三四五六日末]")  # words that begin with a surname


def role_names(text: str) -> list[str]:
    """Names right after a person's role, read from the characters ("律师甘露目前代理…" → 甘露)."""
    return [m.group(1) for m in _NAMED_AFTER_ROLE.finditer(text) if not _NOT_GIVEN.match(m.group(1))]


# "该国南部的克兹拉尔达市": a side of a country or town, the answer to "in which part" (哪边, 哪一片), not to "where"
SIDE = re.compile(r"(?:东|西|南|北|东南|东北|西南|西北)(?:部|边|面|侧|郊)")
ASKS_A_SIDE = re.compile(r"哪一?(?:边|片|块|侧|头)|什么方向|哪个方向|\b(?:which|what) (?:part|side|end|direction)\b", re.I)
