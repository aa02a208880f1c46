"""`Answer` → what people and programs read: plain text with numbered citations, or `ask --json`'s object."""

from __future__ import annotations

from qabot.answer import Answer
from qabot.passages import Passage


def day(date: str) -> str:
    return date[:10] if date else "no date"


def cite_line(n: int, passage: Passage) -> str:
    return f"[{n}] {passage.title} — {passage.source}, {day(passage.date)}"


def to_text(answer: Answer) -> str:
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        lines += [cite_line(c.n, c.passage) for c in answer.citations]
    return "\n".join(lines)


def to_json(answer: Answer) -> dict:
    """Exactly the fields documented for `qabot ask --json`."""
    return {
        "question": answer.question,
        "answered": answer.answered,
        "answer": answer.text,
        "citations": [{"n": c.n, **_passage(c.passage)} for c in answer.citations],
        "passages": [{**_passage(h.passage), "score": round(h.score, 6)} for h in answer.hits],
        "took_ms": round(answer.took_ms, 2),
    }


def sources_table(articles: list[dict]) -> str:
    """One line an article: date, source, title."""
    return "\n".join(f"{day(a['date'])}  {a['source']}  {a['title']}  ({a['doc']})" for a in articles)


def _passage(p: Passage) -> dict:
    return {"doc": p.doc, "paragraph": p.paragraph, "title": p.title, "source": p.source, "date": p.date,
            "text": p.text}
