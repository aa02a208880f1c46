"""`Answer`s, paragraphs and source lists → Telegram HTML messages of at most 4096 characters, split between blocks."""

from __future__ import annotations

import html
import re

from qabot.answer.compose import Answer
from qabot.frontends.render import day, place
from qabot.ingest.passages import Passage

LIMIT = 4096


def escape(text: str) -> str:
    """Text safe inside Telegram's HTML: only &, < and > need it."""
    return html.escape(text, quote=False)


def start_text(articles: list[dict], english: bool) -> str:
    """What /start says: how many articles the bot knows and three questions about them."""
    examples = [f"“{_short(a['title'])}”是怎么回事？" for a in articles[:3]]
    if english:
        head = (f"I answer questions about {len(articles)} news articles, quoting them with numbered citations. "
                "Ask in Chinese or English. For example:")
    else:
        head = f"我根据 {len(articles)} 篇新闻文章回答问题，每句回答都注明出处。可以用中文或英文提问，例如："
    return escape(head) + "\n" + "\n".join(f"• {escape(q)}" for q in examples)


def help_text(english: bool, unknown: bool = False) -> str:
    """What /help says (after "no such command" for a command the bot does not have): one outlet or day is asked
    for in the question's own words, there being no command for it."""
    if english:
        text = ("Send a question as a message. In groups, mention me, reply to me or use /ask question.\n"
                "/sources lists the articles; the buttons under an answer show a cited paragraph in full. To ask "
                "one outlet or day, say so: \"What did Al Jazeera report on 8 January?\"")
    else:
        text = ("直接发送问题即可。在群组里请 @我、回复我的消息，或使用 /ask 问题。\n"
                "/sources 列出文章；回答下方的按钮可查看引用段落的全文。只问某家媒体或某天的报道，在问题里说明即可，"
                "例如：“半岛网1月8日怎么说？”")
    if unknown:
        text = ("I do not know that command. " if english else "没有这个命令。") + text
    return escape(text)


def _short(title: str, limit: int = 18) -> str:
    title = re.split(r"[：:，,？?！!]", title)[0] or title
    return title if len(title) <= limit else title[:limit] + "…"


def answer_messages(answer: Answer) -> list[str]:
    """The answer, then its numbered citations (title, source, date), in as few messages as fit."""
    blocks = [_Block(answer.text)]
    if not answer.answered:
        english = answer.lang == "en"
        blocks.append(_Block("Send /sources to see what the articles cover." if english else "发送 /sources 查看文章列表。", "i"))
    for citation in answer.citations:
        p = citation.passage
        blocks.append(_Block(f"[{citation.n}] ", "b", tail=f"{p.title} — {p.source}, {day(p.date)} · {place(p)}"))
    return pack(blocks)


def paragraph_messages(passage: Passage, parts: list[Passage] | None = None) -> list[str]:
    """A cited paragraph in full, under its article's title, source and date: all its `parts` when it was indexed in
    several (a long paragraph), joined as they were cut (between Latin words, a space)."""
    where = f"{passage.source}, {day(passage.date)} · {place(passage)}"
    text = passage.text
    if parts and len(parts) > 1:
        text = parts[0].text
        for part in parts[1:]:
            text += (" " if re.match(r"[\w,.;:!?]", text[-1:] or " ", re.A) and part.text[:1].isascii() else "") + part.text
    return pack([_Block(passage.title, "b"), _Block(where, "i"), _Block(text)])


def sources_message(articles: list[dict], page: int, per_page: int, lang: str) -> tuple[str, int]:
    """One page of the article list and the number of pages."""
    pages = max(1, -(-len(articles) // per_page))
    page = min(max(page, 0), pages - 1)
    head = f"{len(articles)} articles, page {page + 1}/{pages}" if lang == "en" else \
        f"共 {len(articles)} 篇文章，第 {page + 1}/{pages} 页"
    blocks = [_Block(head, "b")]
    for number, a in enumerate(articles[page * per_page:(page + 1) * per_page], start=page * per_page + 1):
        blocks.append(_Block(f"{number}. ", tail=f"{a['title']} — {a['source']}, {day(a['date'])}"))
    return pack(blocks)[0], pages


class _Block:
    """A paragraph of a message: text (escaped here), optionally wrapped in one tag, and plain text after it."""

    def __init__(self, text: str, tag: str = "", tail: str = ""):
        self.text, self.tag, self.tail = text, tag, tail

    def render(self) -> str:
        head = escape(self.text)
        if self.tag and head:
            head = f"<{self.tag}>{head}</{self.tag}>"
        return head + escape(self.tail)

    def pieces(self, limit: int) -> list[str]:
        """This block cut into rendered pieces of at most `limit` characters, never inside a tag or an escape."""
        whole = self.render()
        if len(whole) <= limit:
            return [whole]
        raw = self.text + self.tail
        tag = "" if self.tail else self.tag  # a split citation loses its bold number, never its text
        room = limit - (2 * len(tag) + 5 if tag else 0)  # "<b>" + "</b>"
        out, start = [], 0
        while start < len(raw):
            end, size = start, 0
            while end < len(raw) and size + len(escape(raw[end])) <= room:
                size += len(escape(raw[end]))
                end += 1
            cut = _natural_cut(raw, start, end)
            out.append(_Block(raw[start:cut], tag).render())
            start = cut
        return out


def pack(blocks: list[_Block], limit: int = LIMIT) -> list[str]:
    """Blocks joined by blank lines into messages of at most `limit` characters; a block is split only if alone it
    is too long."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in block.pieces(limit):
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages or [""]


def _natural_cut(raw: str, start: int, end: int) -> int:
    """The last sentence end (else space) in raw[start:end], so that long text breaks where a reader would."""
    if end >= len(raw):
        return len(raw)
    window = raw[start:end]
    for marks in ("。！？!?.\n", "，,；; "):
        best = max(window.rfind(m) for m in marks)
        if best > len(window) // 2:
            return start + best + 1
    return end
