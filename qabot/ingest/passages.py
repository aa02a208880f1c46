"""`Article` → `Passage`s: the body's HTML, Markdown or plain text cut into numbered paragraphs; picture captions
that describe something are passages of their own (section "caption"), and so is a byline that names who wrote the
article (section "byline"); credits alone are dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qabot.ingest.articles import Article
from qabot.language.english import SHORT_MONTHS, scaled

if TYPE_CHECKING:
    from bs4 import Tag

# How articles are cut into passages, kept in an index's manifest: raised whenever a change here gives an article other
# passages (2: captions are passages; 3: so are bylines), so that an index cut the older way is read again, not served
# without them; 4: Markdown's entities, comments, scripts, tables and picture captions, long Latin text cut between
# words; 5: a sentence of a few characters, such as a quote's "托卡耶夫说。", stays with the sentence before it; an
# HTML table's rows, labelled captions that describe, English bylines, Markdown's code, footnotes and Setext headings,
# saved pages built of <div>s, dates in their own zone; 6: an English paragraph is cut at 2.5 times the length; 7: an
# abbreviated month ("Aug. 24") or rank ends no sentence; 8: a line of who and when above the first sentence, and a
# Chinese lead-in "某某晚报讯（记者 某某）", are bylines; 9: a quote's speaker alone in a sentence stays with it).
CUTTING = 9


def cut_alike(meta: dict) -> bool:
    """Were an index's passages (its manifest, or the Milvus meta) cut the way this qabot cuts them?"""
    return meta.get("cutting") == CUTTING


FRAGMENT_CHARS = 8  # a sentence this short ("托卡耶夫说。", "以帮助稳定局势。") says nothing alone: it joins the last
# Who said the quote before it, alone in a sentence (no quote of its own, ending in a verb of saying), joins it:
# "……。”调查组组长某某在发布会上说。" (an English quote's '." Ms Ward said.' ends no sentence anyway).
_SAID_BY = re.compile(r"[^“”「」\"，,；;：:]{1,50}"
                      r"(?:说|说道|表示|称|介绍|坦言|回忆|感慨|强调|指出|补充道|告诉\w{1,8})[。！]")
_QUOTE_CLOSED = re.compile(r"[”」』]$")
MAX_CHARS = 400  # a paragraph longer than this is cut at sentence ends ...
PART_CHARS = 280  # ... into parts of about this size

_SENTENCE_END = re.compile(r"[。！？!?…；;]+[”’」』\"')）]*$|[.][”’\"')）]*$")
# An English full stop ends a sentence, but not after a title or a short form ("St. Mary's", "Mr. Moreno", "9 a.m.
# on", "J. Smith", "on Aug. 24"): Python's look-behinds are of fixed width, so each width has its own
_NOT_AN_END = "".join(rf"(?<!\b{w})" for w in (
    "St", "Mr", "Ms", "Dr", "Jr", "Sr", "Mt", "Ft", "No", "vs", "Co", "Mrs", "Gov", "Gen", "Col", "Sen", "Rep", "Inc",
    "Ltd", "Ave", "etc", "Prof", "Capt", "Corp", "Dept", "U\\.S", "U\\.K", "a\\.m", "p\\.m", "e\\.g", "i\\.e", "[A-Z]",
    "Lt", "Sgt", "Rev", *SHORT_MONTHS))
_SENTENCES = re.compile(rf".+?(?:[。！？!?…；;]+[”’」』\"')）]*|{_NOT_AN_END}[.](?=\s|$)[”’\"')）]*|$)", re.S)
# A body is HTML when it has blocks (`is_html`); Markdown with a stray <br> or <span> is still Markdown
_HTML_BLOCK = re.compile(r"<(p|div|li|h[1-6]|figure|ul|ol|table|section|article|blockquote)\b", re.I)
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")

_BYLINE = re.compile(
    r"^\s*(?:[【\[]\s*(?:文|编译|编辑|作者|撰文|记者|来源)\s*[/／:：|][^】\]]{0,40}[】\]]"
    # a Chinese report's lead-in: "【某某晚报讯】", "【某某网记者 某某 报道】", "某某日报讯（记者 某某）", and the
    # reporters' names after a bracketed one ("【某某晚报讯】记者 某某 某某 7月18日…")
    r"|[【\[][^】\]。，]{0,30}(?:记者|讯|报道)[^】\]。，]{0,20}[】\]]|[^\s【\[。，：:]{2,16}讯\s*[（(]记者[^）)]{1,30}[）)])"
    r"(?:\s*(?:本报)?记者(?:\s+[\u4e00-\u9fff]{2,3}){1,4}(?=\s))?\s*")
_BOILERPLATE = re.compile(
    r"本文系.{0,12}(?:独家|原创)?稿件|未经(?:授权|允许|许可).{0,8}(?:不得|禁止|请勿)转载|转载请注明出处"
    r"|^(?:[（(【\[]\s*(?:纠错)?\s*[）)】\]]?\s*[【\[（(]?)?\s*(?:责任编辑|责编|编辑|原标题)\s*[:：]"
    r"|^点击查看大图$|^(?:本文)?来源\s*[:：].{0,30}$|^原文链接\s*[:：]|^分享到\s*[:：]"
    r"|^(?:\s*\|?\s*(?:Share|Post|Tweet)(?: (?:on|to|via))? \w+)+(?:\s*\|\s*(?:Email|Print|Copy link))*\s*$"
)
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
CAPTION = "caption"
BYLINE = "byline"
# A credit, not a description: "图源：视觉中国", "（图/路透社）", "摄影：…" on their own; "图：冰雕作品长25米，耗用…。"
# describes something (a clause or a sentence after the colon)
_CREDIT_ONLY = re.compile(r"^\s*(?:[（(]?\s*(?:图|图片|照片|图源|图片来源|摄影|视频)\s*[:：/／]"
                          r"[^）)，。；！？,;!?]{0,30}[）)]?|点击查看大图"
                          r"|(?:Photo|Image|Picture|Video)s?(?: credit)?\s*[:/]\s*[^,.;]{0,40})\s*$",
                          re.I)
_SKIP = {"script", "style", "noscript", "figure", "figcaption", "iframe", "video", "audio", "svg", "button",
         "form", "select", "template"}
_BREAK = {"hr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "div", "section", "article", "blockquote", "ul", "ol", "dl", "dt", "dd", "table", "thead",
           "tbody", "tr", "td", "th", "pre", "header", "footer", "main", "aside", "center", "address"}


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


@dataclass(frozen=True)
class _Block:
    kind: str  # "text" (merge candidates), "item", "heading", "break"
    text: str = ""


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
    blocks = _html_blocks(body) if is_html(body) else _text_blocks(body)
    result: list[tuple[str, str]] = []
    section, pending = "", ""
    started = False  # a block that ends a sentence has been read: the lines of who and when lie above it

    def flush() -> None:
        nonlocal pending
        if pending:
            result.append((section, pending))
        pending = ""

    for block in blocks:
        if block.kind == CAPTION:
            flush()
            result.append((CAPTION, block.text))
        elif block.kind == "heading":
            flush()
            section = block.text
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


def is_html(body: str) -> bool:
    """Is the body HTML: it has blocks, and at least half its lines open with a tag? Markdown with a <figure> or a
    <div> among its paragraphs is Markdown."""
    if not _HTML_BLOCK.search(body):
        return False
    lines = [line.lstrip() for line in body.splitlines() if line.strip()]
    return 2 * sum(line.startswith("<") for line in lines) >= len(lines)


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
    if not text or _BOILERPLATE.search(text) or _CREDIT_ONLY.match(text):
        return ""
    if len(text) <= _CAPTION_MAX and _CAPTION.search(text) and not _describes(text):
        return ""
    if not re.search(r"\w", text):
        return ""
    return text


def _describes(text: str) -> bool:
    """Does a caption-like line ("图：灯会主灯“金虎迎春”高18米。") describe something: a sentence after its label?"""
    rest = re.sub(r"^(?:图|图片|照片|资料图)\s*[:：]", "", text)
    return rest != text and bool(re.search(r"[，。；,;.]", rest)) and len(_CJK.findall(rest)) >= 6


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _join(left: str, right: str) -> str:
    if _CJK.match(right[:1]) or _CJK.match(left[-1:]):
        return left + right
    return f"{left} {right}"


def _html_blocks(body: str) -> list[_Block]:
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag  # only indexing reads HTML: answering never does

    soup = BeautifulSoup(body, "html.parser")
    blocks: list[_Block] = []
    line: list[str] = []

    listed = False  # the lines the last <br>s ended were "label: value" lines: so is the one the block ends with

    def flush(kind: str = "text") -> None:
        nonlocal listed
        if line:
            text = "".join(line)
            labelled = kind == "text" and bool(_LABELLED.match(text.strip()))
            blocks.append(_Block("item" if labelled and listed else kind, text))
            listed = labelled and listed
            line.clear()

    def line_break() -> None:  # one <br> ends a line; an empty line (<br><br>) ends the paragraph
        nonlocal listed
        if "".join(line).strip():
            listed = bool(_LABELLED.match("".join(line).strip()))  # "首班车时间：6:00<br>末班车…": one a line
            flush()
        else:
            line.clear()
            blocks.append(_Block("break"))

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                line.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name == "br":
                line_break()
            elif name in ("figure", "figcaption") or _is_centred(child):
                flush()
                text = _caption(child)
                blocks.append(_Block(CAPTION, text) if text else _Block("break"))
            elif name in _SKIP or name in _BREAK:
                flush()
                blocks.append(_Block("break"))
            elif name in _HEADINGS:
                flush()
                blocks.append(_Block("heading", re.sub(r"\s+", " ", child.get_text(" ")).strip()))
            elif name == "tr":  # a table's row: its cells, as a Markdown table's are
                flush()
                cells = [re.sub(r"\s+", " ", c.get_text(" ")).strip() for c in child.find_all(["td", "th"])]
                joint = "，" if any(_CJK.search(c) for c in cells) else ", "
                if any(cells):
                    blocks.append(_Block("item", joint.join(c for c in cells if c)))
            elif name == "li":
                flush()
                walk(child)
                flush("item")
            elif name in _BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(soup)
    flush()
    return blocks


# A short "label: value" line ("首班车时间：6:00", "Fare: 3.20 dollars"): lines of them, one a <br>, are items
_LABELLED = re.compile(r"^[^，。,.:：!?！？]{1,16}[:：]\s*[^，。！？!?]{1,30}$")


def _caption(tag: Tag) -> str:
    """A picture's caption when it describes something ("哈萨克军队成员在基什门特市的一个检查站（欧洲通讯社）"),
    with any credit after it; "" for an image alone or a bare credit ("图源：视觉中国")."""
    for hidden in tag.find_all(["script", "style", "noscript", "iframe", "video", "audio", "svg", "button"]):
        hidden.decompose()
    marked = tag.name == "figcaption" or tag.find("figcaption") is not None
    return _caption_text(tag.get_text(" "), words=2 if marked else 4)


def _caption_text(text: str, words: int) -> str:
    """The text as a caption when it describes something: four Chinese characters or `words` words at least (a
    figcaption is one by its markup: "President Tokayev (Reuters)"), not a bare credit or boilerplate."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text or _CREDIT_ONLY.match(text) or _BOILERPLATE.search(text) or len(text) > MAX_CHARS:
        return ""
    return text if len(_CJK.findall(text)) >= 4 or len(text.split()) >= words else ""


def _is_centred(tag: Tag) -> bool:
    """Centred paragraphs hold images and their captions in the outlets we read."""
    style = (tag.get("style") or "").replace(" ", "").lower()
    return tag.name in {"p", "div", "center"} and ("text-align:center" in style or tag.name == "center")


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_EMPHASISED = re.compile(r"(\*{1,2}|_{1,2})([^*_]+)\1")
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?")  # "|---|:--|", "--- | ---"


def _text_blocks(body: str) -> list[_Block]:
    """Markdown or plain text: blank lines and rules end paragraphs; `#` lines are headings; a table's rows are
    items; a picture's caption (the line in emphasis under it, else its alt text) is a caption. Comments, scripts and
    styles are dropped, `<br>` ends a line, entities are read."""
    import html

    body = re.sub(r"<!--.*?-->|<(script|style|noscript)\b[^>]*>.*?</\1\s*>", "\n", body, flags=re.S | re.I)
    body = re.sub(r"<br\s*/?>", "\n", body, flags=re.I)
    blocks: list[_Block] = []
    pictured = ""  # the alt text of a picture on the line before, until its caption is known
    fence = ""  # the mark of the code block the line is in: code is no text of the article
    after_text = False  # the line before was a paragraph's line (a "===" or "---" under it makes it a heading)
    for raw in body.splitlines():
        line = html.unescape(raw).strip()
        opening = re.match(r"(```|~~~)", line)
        if fence or opening:
            fence = "" if fence and line.startswith(fence) else fence or opening.group(1)
            after_text = False
            continue
        if after_text and re.fullmatch(r"=+|-+", line) and blocks and blocks[-1].kind == "text":
            blocks[-1] = _Block("heading", blocks[-1].text)  # a Setext heading
            after_text = False
            continue
        after_text = False
        if _NOT_TEXT.fullmatch(line):
            continue
        if pictured and line:
            emphasised = _EMPHASISED.fullmatch(line)
            caption = _caption_text(emphasised.group(2) if emphasised else pictured, words=3)
            if caption:
                blocks.append(_Block(CAPTION, caption))
            pictured = ""
            if emphasised:
                continue
        image = _IMAGE.fullmatch(line)
        if image:
            blocks.append(_Block("break"))
            pictured = image.group(1).strip() or " "
            continue
        if not line or re.fullmatch(r"(?:[-*_]\s*){3,}", line) or _TABLE_RULE.fullmatch(line):
            blocks.append(_Block("break"))
            continue
        if line.startswith("|") and line.endswith("|") and line.count("|") >= 3:  # a table's row: its cells
            cells = [_inline_markdown(c.strip()) for c in line.strip("|").split("|")]
            joint = "，" if any(_CJK.search(c) for c in cells) else ", "
            blocks.append(_Block("item", joint.join(c for c in cells if c)))
            continue
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*$", line)
        if heading:
            blocks.append(_Block("heading", _inline_markdown(heading.group(1))))
            continue
        item = re.match(r"(?:[-*+]|\d{1,3}[.)])\s+(.*)", line)
        if item:
            blocks.append(_Block("item", _inline_markdown(item.group(1))))
            continue
        blocks.append(_Block("text", _inline_markdown(line.lstrip(">").strip())))
        after_text = True
    if _caption_text(pictured, words=3):  # a picture last, with its alt text
        blocks.append(_Block(CAPTION, _caption_text(pictured, words=3)))
    return blocks


# Lines of a Markdown or MDX file that are no text of the article: a link's address ("[doc]: https://…"), an MDX
# file's imports and exports
_NOT_TEXT = re.compile(r"\[[^\]^]+\]:\s*\S+(?:\s+[\"'(].*)?|import\s.*\bfrom\s+['\"].+|import\s+['\"].+|"
                       r"export\s+(?:const|default|let|function)\b.*")


def _inline_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"^\[\^[^\]]+\]:\s*|\[\^[^\]]+\]", "", text)  # a footnote's mark; its text stays
    text = re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])", r"\1", text)  # [text](address), [text][name]
    text = re.sub(r"(\*\*|__|`)(.+?)\1", r"\2", text)
    text = re.sub(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", "", text)  # inline HTML tags, not "a < b"
    return text
