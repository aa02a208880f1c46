"""Ingest: article files → `Article` → `Passage`s. Reads Markdown, HTML or text with YAML (or other) front
matter in their many small variants; splits the body into paragraphs, picture captions and sentences, each passage
with a stable id (`<file>#<paragraph>`) that a citation keeps across rebuilds."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "articles": ["Article", "corpus_files", "read_article"],
    "passages": ["Passage", "passages", "sentences"],
})
