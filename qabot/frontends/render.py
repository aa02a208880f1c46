"""`Answer` → what people and programs read: plain text with numbered citations, or `ask --json`'s object."""

from __future__ import annotations

from dataclasses import replace

from qabot.answer.compose import Answer
from qabot.ingest.passages import BYLINE, CAPTION, Passage


def day(date: str) -> str:
    return date[:10] if date else "no date"


def place(passage: Passage) -> str:
    """Where in its article a passage stands: its paragraph ("¶12"), a picture's caption, or the byline: two
    citations of one article are told apart."""
    return {CAPTION: f"caption after ¶{passage.paragraph}", BYLINE: "byline"}.get(passage.section,
                                                                             f"¶{passage.paragraph}")


def cite_line(n: int, passage: Passage) -> str:
    return f"[{n}] {passage.title} — {passage.source}, {day(passage.date)} · {place(passage)}"


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
        "confidence": round(answer.confidence, 4),
        "answer": answer.text,
        "citations": [{"n": c.n, **_passage(c.passage)} for c in answer.citations],
        "passages": [{**_passage(h.passage), "score": round(h.score, 6)} for h in answer.hits],
        "took_ms": round(answer.took_ms, 2),
    }


def sources_table(articles: list[dict]) -> str:
    """One line an article: date, source, title."""
    return "\n".join(f"{day(a['date'])}  {a['source']}  {a['title']}  ({a['doc']})" for a in articles)


def filter_flags(filters) -> str:
    """The active filters as the flags that set them: '--source 半岛网 --since 2022-01-09'."""
    given = (("source", filters.source), ("since", filters.since), ("until", filters.until))
    return " ".join(f"--{name} {value}" for name, value in given if value)


def filter_mismatch(articles: list[dict], filters) -> str | None:
    """None when some article passes the filters; else one line naming them, with the sources there are (when no
    source matches) or the days the matching source's articles span."""
    if not filters or any(filters.allows_article(a["source"], a["date"]) for a in articles):
        return None
    by_source = replace(filters, since="", until="")
    kept = [a for a in articles if by_source.allows_article(a["source"], a["date"])]
    if not kept:
        sources = sorted({a["source"] for a in articles})
        return f"no article matches {filter_flags(filters)}: the sources are {', '.join(sources)}"
    days = sorted(a["date"][:10] for a in kept if a["date"])
    whose = f"the articles of {filters.source}" if filters.source else "the articles"
    span = f"date from {days[0]} to {days[-1]}" if days else "have no date"
    return f"no article matches {filter_flags(filters)}: {whose} {span}"


def _passage(p: Passage) -> dict:
    return {"doc": p.doc, "paragraph": p.paragraph, "section": p.section, "title": p.title, "source": p.source,
            "date": p.date, "text": p.text}
