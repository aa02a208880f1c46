"""`Article` → `Passage`s: the body's HTML, Markdown or plain text cut into numbered paragraphs; picture captions
that describe something are passages of their own (section "caption"), and so is a byline that names who wrote the
article (section "byline"); credits alone are dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qabot.ingest.articles import Article
from qabot.ingest.blocks import (
    BOILERPLATE,
    BOLD_CHARS,
    CAPTION,
    CJK,
    CREDIT_ONLY,
    MAX_CHARS,
    html_blocks,
    is_html,
    text_blocks,
)
from qabot.language.english import SHORT_MONTHS, scaled

# How articles are cut into passages, kept in an index's manifest: raised whenever a change here gives an article other
# passages (2: captions are passages; 3: so are bylines), so that an index cut the older way is read again, not served
# without them; 4: Markdown's entities, comments, scripts, tables and picture captions, long Latin text cut between
# words; 5: a sentence of a few characters, such as a quote's "托卡耶夫说。", stays with the sentence before it; an
# HTML table's rows, labelled captions that describe, English bylines, Markdown's code, footnotes and Setext headings,
# saved pages built of <div>s, dates in their own zone; 6: an English paragraph is cut at 2.5 times the length; 7: an
# abbreviated month ("Aug. 24") or rank ends no sentence; 8: a line of who and when above the first sentence, and a
# Chinese lead-in "某某晚报讯（记者 某某）", are bylines; 9: a quote's speaker alone in a sentence stays with it; 10: a
# paragraph wholly in bold that ends no sentence is a subheading, not the opening words of the paragraph after it;
# the same version marks a plain text's source read from its byline, `articles.article_source`); 11: in plain text and
# Markdown, a short line of its own that ends no sentence, with text after it, is a subheading too.
CUTTING = 11


def cut_alike(meta: dict) -> bool:
    """Were an index's passages (its manifest, or the Milvus meta) cut the way this qabot cuts them?"""
    return meta.get("cutting") == CUTTING


FRAGMENT_CHARS = 8  # a sentence this short ("托卡耶夫说。", "以帮助稳定局势。") says nothing alone: it joins the last
# Who said the quote before it, alone in a sentence (no quote of its own, ending in a verb of saying), joins it:
# "……。”调查组组长某某在发布会上说。" (an English quote's '." Ms Ward said.' ends no sentence anyway).
_SAID_BY = re.compile(r"[^“”「」\"，,；;：:]{1,50}"
                      r"(?:说|说道|表示|称|介绍|坦言|回忆|感慨|强调|指出|补充道|告诉\w{1,8})[。！]")
_QUOTE_CLOSED = re.compile(r"[”」』]$")
PART_CHARS = 280  # ... into parts of about this size

_SENTENCE_END = re.compile(r"[。！？!?…；;]+[”’」』\"')）]*$|[.][”’\"')）]*$")
# An English full stop ends a sentence, but not after a title or a short form ("St. Mary's", "Mr. Moreno", "9 a.m.
# on", "J. Smith", "on Aug. 24"): Python's look-behinds are of fixed width, so each width has its own
_NOT_AN_END = "".join(rf"(?<!\b{w})" for w in (
    "St", "Mr", "Ms", "Dr", "Jr", "Sr", "Mt", "Ft", "No", "vs", "Co", "Mrs", "Gov", "Gen", "Col", "Sen", "Rep", "Inc",
    "Ltd", "Ave", "etc", "Prof", "Capt", "Corp", "Dept", "U\\.S", "U\\.K", "a\\.m", "p\\.m", "e\\.g", "i\\.e", "[A-Z]",
    "Lt", "Sgt", "Rev", *SHORT_MONTHS))
_SENTENCES = re.compile(rf".+?(?:[。！？!?…；;]+[”’」』\"')）]*|{_NOT_AN_END}[.](?=\s|$)[”’\"')）]*|$)", re.S)

_BYLINE = re.compile(
    r"^\s*(?:[【\[]\s*(?:文|编译|编辑|作者|撰文|记者|来源)\s*[/／:：|][^】\]]{0,40}[】\]]"
    # a Chinese report's lead-in: "【某某晚报讯】", "【某某网记者 某某 报道】", "某某日报讯（记者 某某）", and the
    # reporters' names after a bracketed one ("【某某晚报讯】记者 某某 某某 7月18日…")
    r"|[【\[][^】\]。，]{0,30}(?:记者|讯|报道)[^】\]。，]{0,20}[】\]]|[^\s【\[。，：:]{2,16}讯\s*[（(]记者[^）)]{1,30}[）)])"
    r"(?:\s*(?:本报)?记者(?:\s+[\u4e00-\u9fff]{2,3}){1,4}(?=\s))?\s*")
# Who wrote it, a fact readers ask for ("知乎上那个回答是谁写的"): a paragraph's leading "【文/观察者网 鞠峰】"
# (_BYLINE), or a Q&A site's "张艾菲的回答" over the answer, or "By Marisol Dunn", on its own.
_ANSWERED_BY = re.compile(r"^[^\s，。,.!?！？:：]{1,20}的回答$|"
                          r"^(?:(?:Reporting|Written|Words|Story|Text) )?[Bb]y (?:[A-Z][\w.'’-]*\s?|and |& )+"
                          r"(?:[;,] (?:additional )?[a-z]+(?: [a-z]+)? by (?:[A-Z][\w.'’-]*\s?|and |& )+)*$")
_CAPTION = re.compile(
    r"[（(]\s*(?:图|图片|照片|资料图|视频)[^）)]{0,20}[）)]\s*$|^(?:图|图片|照片|图源|图片来源|资料图|视频截图)\s*[:：]"
    r"|^资料图|摄\s*$|(?:图|照片)\s*[/／]\s*\S{1,20}$"
)
# A line of who wrote it and when, on its own above the first sentence (else it would be read as the opening words of
# the lead paragraph: "By Ann Lee, Valley Post The number of…", "某某新闻记者 某某泊川市卫生健康委员会22日通报…")
_BYLINE_LINE = re.compile(r"(?:^|[|·•–—-]\s*)\W{0,2}By\s+[A-Z][\w.'’-]*|记者|本报|本刊|通讯员")
_BYLINE_MAX, _CAPTION_MAX = 100, 80
BYLINE = "byline"

@dataclass(frozen=True)
class Passage:
    id: str  # "<doc>#<paragraph>" or "<doc>#<paragraph>.<part>": stable across rebuilds
    doc: str
    paragraph: int  # 1-based, counting the article's paragraphs (a caption: the paragraph before it)
    text: str
    title: str
    source: str
    date: str
    section: str = ""  # the heading above the paragraph, if any; CAPTION for a picture's caption



def passages(article: Article) -> list[Passage]:
    """The article's passages in reading order."""
    out: list[Passage] = []
    number = 0
    asides = {CAPTION: 0, BYLINE: 0}  # how many of each so far: ids <file>#<paragraph>.c<n> and .b<n>
    for section, paragraph in paragraphs(article.body):
        if section in asides:  # numbered after the paragraph before it, so the paragraphs keep their numbers
            asides[section] += 1
            out.append(Passage(id=f"{article.doc}#{number}.{section[:1]}{asides[section]}", doc=article.doc,
                               paragraph=number, text=paragraph, title=article.title, source=article.source,
                               date=article.date, section=section))
            continue
        number += 1
        parts = split_long(paragraph)
        for part, text in enumerate(parts, start=1):
            suffix = f".{part}" if len(parts) > 1 else ""
            out.append(Passage(
                id=f"{article.doc}#{number}{suffix}", doc=article.doc, paragraph=number, text=text,
                title=article.title, source=article.source, date=article.date, section=section,
            ))
    return out


def paragraphs(body: str) -> list[tuple[str, str]]:
    """(section heading, paragraph text) pairs; fragments of one sentence are joined back together."""
    html = is_html(body)
    blocks = html_blocks(body) if html else text_blocks(body)
    result: list[tuple[str, str]] = []
    section, pending = "", ""
    started = False  # a block that ends a sentence has been read: the lines of who and when lie above it

    def flush() -> None:
        nonlocal pending
        if pending:
            result.append((section, pending))
        pending = ""

    for at, block in enumerate(blocks):
        if block.kind == CAPTION:
            flush()
            result.append((CAPTION, block.text))
        elif block.kind == "heading" or (block.kind == "bold" and not ends_sentence(block.text)) \
                or (started and not pending and not html and _subheading_line(blocks, at)):
            flush()  # a paragraph wholly in bold that ends no sentence is a subheading ("**Six minutes**")
            section = re.sub(r"\s+", " ", block.text).strip()
        elif block.kind == "break":
            flush()
        else:
            byline, rest = _byline(block.text, opening=not started)
            started = started or ends_sentence(block.text)
            if byline:
                flush()
                result.append((BYLINE, byline))
            text = _clean(rest)
            if not text:
                continue
            if block.kind == "item":
                flush()
                result.append((section, text))
                continue
            pending = _join(pending, text) if pending else text
            if ends_sentence(pending):
                flush()
    flush()
    return result




# A line with a sentence's or clause's mark is text, not a subheading: a stop or comma anywhere, or a bracketed credit
_CLAUSE_MARK = re.compile(r"[。！？；，、,;:：（(]|[.!?](?:\s|[*_\"”’)]*$)")


def _subheading_line(blocks: list, at: int) -> bool:
    """Is this block of plain text or Markdown a subheading: one short line that ends no sentence, a paragraph of its
    own, with a paragraph of text after it ("Drivers to vote on action", "封闭路段预计20日放行" between blank lines)?
    HTML is not read so: a `<p>` there may be a fragment of the sentence the next one ends."""
    block = blocks[at]
    if block.kind != "text" or len(block.text) > BOLD_CHARS or _CLAUSE_MARK.search(block.text) \
            or _clean(block.text) != _folded(block.text) or _byline(block.text)[0]:
        return False  # nor a clause of a sentence, a credit ("Photo: …", "（… 摄）"), boilerplate or a byline
    after = blocks[at + 1:at + 2]
    following = next((b for b in blocks[at + 1:] if b.kind != "break"), None)
    return bool(after) and after[0].kind == "break" and following is not None and following.kind == "text"


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def sentences(text: str) -> list[str]:
    """The text's sentences, each keeping its closing punctuation and quote marks; a closing fragment of a few
    characters ("以帮助稳定局势。"), or who said a quote ("托卡耶夫说。"), belongs to the sentence before it. A fragment
    without closing punctuation, such as a caption's credit "图自人民视觉", stays apart."""
    found: list[str] = []
    for sentence in (s.strip() for s in _SENTENCES.findall(text)):
        if found and (len(sentence) <= FRAGMENT_CHARS and ends_sentence(sentence)
                      or _QUOTE_CLOSED.search(found[-1]) and _SAID_BY.fullmatch(sentence)):
            found[-1] = _join(found[-1], sentence)
        elif sentence:
            found.append(sentence)
    return found


def split_long(text: str) -> list[str]:
    """One paragraph, or parts of about PART_CHARS cut at sentence ends when it is longer than MAX_CHARS; an English
    one is measured in its own characters (`english.scaled`)."""
    most, part_chars = scaled(MAX_CHARS, text), scaled(PART_CHARS, text)
    if len(text) <= most:
        return [text]
    parts: list[str] = []
    current = ""
    for sentence in sentences(text):
        while len(sentence) > most:  # one endless sentence: cut it where we must (between words, if any)
            if current:
                parts.append(current)
                current = ""
            cut = sentence.rfind(" ", part_chars // 2, part_chars + 1)
            cut = cut if cut > 0 else part_chars
            parts.append(sentence[:cut].rstrip())
            sentence = sentence[cut:].lstrip()
        if current and len(current) + len(sentence) > part_chars:
            parts.append(current)
            current = ""
        current = _join(current, sentence) if current else sentence
    if current:
        parts.append(current)
    return parts


def _byline(text: str, opening: bool = False) -> tuple[str, str]:
    """(the byline a paragraph opens with, or is, whitespace folded; the rest of it). An `opening` block (above the
    article's first sentence) that is a short line of who and when, not a sentence, is a byline as a whole: "By Ann
    Lee, Valley Post · 3 May 2025", "Radio North | May 3, 2025 | By Ann Lee", "某某日报记者 某某 发自某地
    2025年5月3日"."""
    text = _folded(text)
    if _ANSWERED_BY.match(text) or opening and _BYLINE_LINE.search(text) and len(text) <= _BYLINE_MAX \
            and not ends_sentence(text):
        return text, ""
    found = _BYLINE.match(text)
    return (found.group(0).strip(), text[found.end():]) if found else ("", text)


def _clean(text: str) -> str:
    """Whitespace folded; "" for boilerplate and captions."""
    text = _folded(text)
    if not text or BOILERPLATE.search(text) or CREDIT_ONLY.match(text):
        return ""
    if len(text) <= _CAPTION_MAX and _CAPTION.search(text) and not _describes(text):
        return ""
    if not re.search(r"\w", text):
        return ""
    return text


def _describes(text: str) -> bool:
    """Does a caption-like line ("图：灯会主灯“金虎迎春”高18米。") describe something: a sentence after its label?"""
    rest = re.sub(r"^(?:图|图片|照片|资料图)\s*[:：]", "", text)
    return rest != text and bool(re.search(r"[，。；,;.]", rest)) and len(CJK.findall(rest)) >= 6


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _join(left: str, right: str) -> str:
    if CJK.match(right[:1]) or CJK.match(left[-1:]):
        return left + right
    return f"{left} {right}"

