"""Text → keyword tokens for BM25: jieba words for Chinese, lower-cased words for Latin script, no stopwords."""

from __future__ import annotations

import functools
import logging
import math
import re
import threading

from qabot.language.kinds import MEASURE

logger = logging.getLogger(__name__)

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*|\d+(?:[.,]\d+)*")
_POSSESSIVE = re.compile(r"['’]s?$")  # "Almaty's", "protesters'": the word itself
_HAS_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

def _split(text: str) -> list[str]:
    return text.split()


# Function words, question words that carry no evidence ("多少", "who", "名字") and words for the articles themselves ("文章",
# "帖子": "文章里那个顾问叫啥" asks about the adviser): a question's form, not its topic.
STOPWORDS = frozenset(_split("""
的 了 在 是 和 与 及 或 也 都 而 并 但 就 被 把 对 从 向 于 以 之 其 这 那 这个 那个 这些 那些 此 该 一 一个 有 没有 不 没 我 你 他 她 它 我们 你们 他们
她们 它们 自己 什么 怎么 怎么样 怎样 如何 为什么 为何 为啥 啥 哪 哪个 哪些 哪里 哪儿 哪位 谁 是谁 多少 几 几个 几次 几年 几天 几号 几支 多久 多长时间 哪天 哪一天 哪年 哪一年 哪座
哪部 哪支 哪家 叫 叫做 名叫 还是 是否 是不是 有没有 听说 真的 具体 多 吗 呢 吧 啊 呀 么 嘛 请问 请 问 一下 还 又 再 会 能 可以 要 想 让 给 说 称 表示 知道 告诉
关于 有关 根据 据 按照 当时 现在 目前 最后 最终 到底 究竟 一共 总共 共 大概 大约 左右 等 等等 啦 哦 嗯 个 次 这次 这回 那次 回 方面 情况 问题
文章 篇文章 本文 文中 原文 帖子 这篇 那篇 里 名字 名称 全名
a an the of to in on at by for with from as is are was were be been being do does did done have has
had what which who whom whose when where why how many much there their they them it its this that
these those i you he she we me my your his her our us and or but not no if than then so also just
about into over according said say says tell told please can could would should will shall may might
what's who's where's when's how's that's it's there's isn't wasn't aren't weren't don't doesn't didn't
roughly approximately exactly actually really ever
am having doing because until while against between through during before after above below up down out off under
again further once here all any both each few more most other some such nor only own same too very s t don now per
via whats whether myself yourself himself herself itself ourselves themselves
one two three four five six seven eight nine ten
get gets got gotten getting going gonna wanna gotta let lets let's i'm i've i'd i'll you're you've they're they've
they'd we're we've he's she's won't wouldn't can't couldn't shouldn't haven't hasn't hadn't lol ppl guy guys someone
somebody something anything stuff thing things like anyway th st nd rd article articles story stories name names
"""))

_lock = threading.Lock()
_jieba = None


def tokens(text: str) -> list[str]:
    """Index-side tokens: every jieba search token and Latin word, lower-cased, stopwords dropped."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=8192)  # answers read the same best passages' sentences again and again
def token_set(text: str) -> frozenset[str]:
    return frozenset(_tokens(text))


def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for piece in _segment(text):
        token = piece.strip().lower()
        if not token or token in STOPWORDS or not _HAS_WORD.search(token):
            continue
        out.append(token)
    return tuple(out)


# "有多大", "多远", "多高": how much of something is asked, which jieba cuts into 多 + a lone adjective
# "有多大", "how far" ask a size, "so far" and "at the moment" say when the question is asked: words of its form, not its topic
# "多少家店", "几辆车": the cut joins the measure word to the thing counted ("家店", "辆车", words no article uses)
_COUNTING = re.compile(rf"(?:多少|几)\s*[{MEASURE}]")
_HOW_MUCH = re.compile(r"(?:有)?多(?:大|高|远|长|深|宽)(?!时间)|\b(?:so far|as of now|at the moment|right now)\b"
                       r"|\bhow (?:far|long|tall|high|deep|wide|big|large|old|fast|often|soon)\b", re.I)


def uncounted(text: str) -> str:
    """The text with "多少家", "几辆" cut off from what they count."""
    return _COUNTING.sub("，", text)


def query_tokens(text: str, known=None) -> list[str]:
    """Question-side tokens: as `tokens`, each once (a repeated word is not stronger evidence). With `known` (word ->
    do the articles use it?), also the articles' words that the cut of a short question split apart: "潘光是谁" cuts
    into 潘 / 光是 / 谁, where the articles' text gave 潘光."""
    return list(question_words(text, known)[1 if known is not None else 0])


def question_words(text: str, known=None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A question's words cut once: (as plain BM25 cuts them, each once; with the articles' words its cut split
    apart as well, when `known` is given): see `query_tokens`."""
    text = _HOW_MUCH.sub("，", uncounted(text))
    plain = tuple(dict.fromkeys(tokens(text)))
    if known is None:
        return plain, plain
    split = [w for w in _split_words(text) if w not in STOPWORDS and known(w)]
    return plain, tuple(dict.fromkeys(plain + tuple(split)))


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")


def _split_words(text: str, longest: int = 4) -> list[str]:
    """Every stretch of two to `longest` characters that jieba's plain cut divides between two of its words."""
    found = []
    seg = _segmenter()
    for run in _CJK_RUN.finditer(text):
        chunk = run.group(0)
        cuts, position = set(), 0
        for word in seg.lcut(chunk)[:-1]:
            position += len(word)
            cuts.add(position)
        for start in range(len(chunk) - 1):
            for end in range(start + 2, min(start + longest, len(chunk)) + 1):
                if any(start < cut < end for cut in cuts):
                    found.append(chunk[start:end])
    return found


def language(text: str) -> str:
    """'en' when most of the words are Latin, else 'zh': the language answers are framed in. A Chinese word is about
    two characters, so "托卡耶夫(Tokayev)是谁？" and "Telegram是谁创办的？" are Chinese, "What did 托卡耶夫 say?" English."""
    latin = len(re.findall(r"[A-Za-z]+", text))
    chinese = len(_CJK.findall(text)) / 2
    return "en" if latin + chinese and latin / (latin + chinese) > 0.5 else "zh"


def add_words(words) -> None:
    """Teach the segmenter names it would otherwise cut apart."""
    seg = _segmenter()
    for word in words:
        seg.add_word(word)


def jieba_words(text: str) -> list[str]:
    """jieba's plain cut: words that join back into the text."""
    return _segmenter().lcut(text)


def _segmenter():
    global _jieba
    with _lock:
        if _jieba is None:
            jieba = quiet_jieba()
            jieba.initialize()
            _jieba = jieba
    return _jieba


def quiet_jieba():
    """The jieba module, its start-up chatter kept out of the output and its dictionary cache kept per user: jieba
    writes one file in the temporary folder, which another user's cache there would make unwritable (a traceback on
    every start)."""
    import os

    import jieba

    jieba.setLogLevel(logging.WARNING)
    if not jieba.dt.cache_file and hasattr(os, "getuid"):
        jieba.dt.cache_file = f"jieba.{os.getuid()}.cache"
    return jieba


def _segment(text: str):
    """jieba's search-mode cut for Chinese runs, whole words for Latin runs and numbers."""
    seg = _segmenter()
    position = 0
    for match in _LATIN_WORD.finditer(text):
        if match.start() > position:
            yield from seg.cut_for_search(text[position:match.start()])
        yield _POSSESSIVE.sub("", match.group(0).replace(",", ""))
        position = match.end()
    if position < len(text):
        yield from seg.cut_for_search(text[position:])


def idf_from_counts(document_frequency, passages: int):
    """token -> BM25's idf, given token -> in how many passages it occurs (0: unseen, which weighs the most)."""
    unseen = math.log(1 + passages / 0.5)

    @functools.lru_cache(maxsize=65536)
    def idf(token: str) -> float:
        df = document_frequency(token)
        if not df:
            return unseen
        return math.log(1 + (passages - df + 0.5) / (df + 0.5))

    return idf
