"""Ingest: article files → `Article` → `Passage`s. Reads Markdown, HTML or text with YAML (or other) front
matter in their many small variants; splits the body into paragraphs, picture captions and sentences, each passage
with a stable id (`<file>#<paragraph>`) that a citation keeps across rebuilds."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "Article": "qabot.ingest.articles",
    "corpus_files": "qabot.ingest.articles",
    "read_article": "qabot.ingest.articles",
    "Passage": "qabot.ingest.passages",
    "passages": "qabot.ingest.passages",
    "sentences": "qabot.ingest.passages",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
