"""An article's body → its blocks: paragraphs' text, list items and table rows, headings, picture captions and
breaks, read from HTML or from Markdown and plain text. `passages` joins and cuts them into passages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4 import Tag

MAX_CHARS = 400  # a paragraph longer than this is cut at sentence ends (`passages.split_long`); no caption is longer

# A body is HTML when it has blocks (`is_html`); Markdown with a stray <br> or <span> is still Markdown
_HTML_BLOCK = re.compile(r"<(p|div|li|h[1-6]|figure|ul|ol|table|section|article|blockquote)\b", re.I)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
BOILERPLATE = re.compile(
    r"本文系.{0,12}(?:独家|原创)?稿件|未经(?:授权|允许|许可).{0,8}(?:不得|禁止|请勿)转载|转载请注明出处"
    r"|^(?:[（(【\[]\s*(?:纠错)?\s*[）)】\]]?\s*[【\[（(]?)?\s*(?:责任编辑|责编|编辑|原标题)\s*[:：]"
    r"|^点击查看大图$|^(?:本文)?来源\s*[:：].{0,30}$|^原文链接\s*[:：]|^分享到\s*[:：]"
    r"|^(?:\s*\|?\s*(?:Share|Post|Tweet)(?: (?:on|to|via))? \w+)+(?:\s*\|\s*(?:Email|Print|Copy link))*\s*$"
)
CAPTION = "caption"
# A credit, not a description: "图源：视觉中国", "（图/路透社）", "摄影：…" on their own; "图：冰雕作品长25米，耗用…。"
# describes something (a clause or a sentence after the colon)
CREDIT_ONLY = re.compile(r"^\s*(?:[（(]?\s*(?:图|图片|照片|图源|图片来源|摄影|视频)\s*[:：/／]"
                          r"[^）)，。；！？,;!?]{0,30}[）)]?|点击查看大图"
                          r"|(?:Photo|Image|Picture|Video)s?(?: credit)?\s*[:/]\s*[^,.;]{0,40})\s*$",
                          re.I)
_SKIP = {"script", "style", "noscript", "figure", "figcaption", "iframe", "video", "audio", "svg", "button",
         "form", "select", "template"}
_BREAK = {"hr"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "div", "section", "article", "blockquote", "ul", "ol", "dl", "dt", "dd", "table", "thead",
           "tbody", "tr", "td", "th", "pre", "header", "footer", "main", "aside", "center", "address"}
BOLD_CHARS = 60  # a paragraph wholly in bold and no longer than this may be a subheading (`passages.paragraphs`)


@dataclass(frozen=True)
class Block:
    kind: str  # "text" (merge candidates), "bold" (text wholly in bold), "item", "heading", "break"
    text: str = ""


def is_html(body: str) -> bool:
    """Is the body HTML: it has blocks, and at least half its lines open with a tag? Markdown with a <figure> or a
    <div> among its paragraphs is Markdown."""
    if not _HTML_BLOCK.search(body):
        return False
    lines = [line.lstrip() for line in body.splitlines() if line.strip()]
    return 2 * sum(line.startswith("<") for line in lines) >= len(lines)


def html_blocks(body: str) -> list[Block]:
    """HTML: block elements end paragraphs, `<br><br>` too; `<h1>`-`<h6>` are headings; list items and table rows are
    items; a `<figure>`'s or centred paragraph's caption is a caption; scripts, forms and media are dropped."""
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag  # only indexing reads HTML: answering never does

    soup = BeautifulSoup(body, "html.parser")
    blocks: list[Block] = []
    line: list[str] = []

    listed = False  # the lines the last <br>s ended were "label: value" lines: so is the one the block ends with

    def flush(kind: str = "text") -> None:
        nonlocal listed
        if line:
            text = "".join(line)
            labelled = kind == "text" and bool(_LABELLED.match(text.strip()))
            blocks.append(Block("item" if labelled and listed else kind, text))
            listed = labelled and listed
            line.clear()

    def line_break() -> None:  # one <br> ends a line; an empty line (<br><br>) ends the paragraph
        nonlocal listed
        if "".join(line).strip():
            listed = bool(_LABELLED.match("".join(line).strip()))  # "首班车时间：6:00<br>末班车…": one a line
            flush()
        else:
            line.clear()
            blocks.append(Block("break"))

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
                blocks.append(Block(CAPTION, text) if text else Block("break"))
            elif name in _SKIP or name in _BREAK:
                flush()
                blocks.append(Block("break"))
            elif name in _HEADINGS:
                flush()
                blocks.append(Block("heading", re.sub(r"\s+", " ", child.get_text(" ")).strip()))
            elif name == "tr":  # a table's row: its cells, as a Markdown table's are
                flush()
                cells = [re.sub(r"\s+", " ", c.get_text(" ")).strip() for c in child.find_all(["td", "th"])]
                joint = "，" if any(CJK.search(c) for c in cells) else ", "
                if any(cells):
                    blocks.append(Block("item", joint.join(c for c in cells if c)))
            elif name == "li":
                flush()
                walk(child)
                flush("item")
            elif name in _BLOCKS:
                flush()
                walk(child)
                flush("bold" if name == "p" and _wholly_bold(child) else "text")
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
    if not text or CREDIT_ONLY.match(text) or BOILERPLATE.search(text) or len(text) > MAX_CHARS:
        return ""
    return text if len(CJK.findall(text)) >= 4 or len(text.split()) >= words else ""


def _wholly_bold(tag: Tag) -> bool:
    """Is the paragraph one short run of bold and nothing else ("<p><strong>封闭路段预计20日放行</strong></p>")?"""
    inner = [c for c in tag.children if not (isinstance(c, str) and not c.strip())]
    return (len(inner) == 1 and getattr(inner[0], "name", "") in ("strong", "b")
            and 0 < len(inner[0].get_text(" ").strip()) <= BOLD_CHARS)


def _is_centred(tag: Tag) -> bool:
    """Centred paragraphs hold images and their captions in the outlets we read."""
    style = (tag.get("style") or "").replace(" ", "").lower()
    return tag.name in {"p", "div", "center"} and ("text-align:center" in style or tag.name == "center")


_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_EMPHASISED = re.compile(r"(\*{1,2}|_{1,2})([^*_]+)\1")
_BOLD_LINE = re.compile(rf"(\*\*|__)[^*_]{{1,{BOLD_CHARS}}}\1")
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?")  # "|---|:--|", "--- | ---"


def text_blocks(body: str) -> list[Block]:
    """Markdown or plain text: blank lines and rules end paragraphs; `#` lines are headings; a table's rows are
    items; a picture's caption (the line in emphasis under it, else its alt text) is a caption. Comments, scripts and
    styles are dropped, `<br>` ends a line, entities are read."""
    import html

    body = re.sub(r"<!--.*?-->|<(script|style|noscript)\b[^>]*>.*?</\1\s*>", "\n", body, flags=re.S | re.I)
    body = re.sub(r"<br\s*/?>", "\n", body, flags=re.I)
    blocks: list[Block] = []
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
            blocks[-1] = Block("heading", blocks[-1].text)  # a Setext heading
            after_text = False
            continue
        after_text = False
        if _NOT_TEXT.fullmatch(line):
            continue
        if pictured and line:
            emphasised = _EMPHASISED.fullmatch(line)
            caption = _caption_text(emphasised.group(2) if emphasised else pictured, words=3)
            if caption:
                blocks.append(Block(CAPTION, caption))
            pictured = ""
            if emphasised:
                continue
        image = _IMAGE.fullmatch(line)
        if image:
            blocks.append(Block("break"))
            pictured = image.group(1).strip() or " "
            continue
        if not line or re.fullmatch(r"(?:[-*_]\s*){3,}", line) or _TABLE_RULE.fullmatch(line):
            blocks.append(Block("break"))
            continue
        if line.startswith("|") and line.endswith("|") and line.count("|") >= 3:  # a table's row: its cells
            cells = [_inline_markdown(c.strip()) for c in line.strip("|").split("|")]
            joint = "，" if any(CJK.search(c) for c in cells) else ", "
            blocks.append(Block("item", joint.join(c for c in cells if c)))
            continue
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*$", line)
        if heading:
            blocks.append(Block("heading", _inline_markdown(heading.group(1))))
            continue
        if _BOLD_LINE.fullmatch(line):  # "**Six minutes**" on a line of its own
            blocks.append(Block("bold", _inline_markdown(line)))
            continue
        item = re.match(r"(?:[-*+]|\d{1,3}[.)])\s+(.*)", line)
        if item:
            blocks.append(Block("item", _inline_markdown(item.group(1))))
            continue
        blocks.append(Block("text", _inline_markdown(line.lstrip(">").strip())))
        after_text = True
    if _caption_text(pictured, words=3):  # a picture last, with its alt text
        blocks.append(Block(CAPTION, _caption_text(pictured, words=3)))
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
