"""Question sets about folders of their own: a set file beside an `articles/` folder (`tests/data/english_spill/
questions.jsonl` beside `tests/data/english_spill/articles/`) is asked of an index of those articles alone, built for
the run, unless the index being evaluated holds that folder already. So one `qabot fit` or `qabot eval --folds` pools
questions about the seeds with questions about other articles, in other languages, each over its own index."""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

ARTICLES = "articles"  # the folder beside a set file that holds the articles it asks about


def own_folder(set_file: str | Path, root: Path = Path()) -> Path | None:
    """The articles folder a set file (relative to `root`) asks about, if it sits beside one."""
    folder = (Path(root) / set_file).resolve().parent / ARTICLES
    return folder.resolve() if folder.is_dir() else None


def own_indexes(qa, set_files, root: Path = Path()) -> dict:
    """{set file: a `QA` over its own folder's index} for each set (named relative to `root`) beside an articles
    folder the index of `qa` was not built from; the same embedder answers them all. The indexes lie in a temporary
    folder that goes when the last of them does."""
    import tempfile

    from qabot.qa import QA
    from qabot.store.build import build_index
    from qabot.store.folder import load_index, read_manifest

    held = set()
    if getattr(qa.index, "dir", None) is not None:
        held = {str(Path(c).resolve()) for c in (read_manifest(qa.index.dir) or {}).get("corpus", ())}
    out, built, where = {}, {}, None
    for name in set_files:
        folder = own_folder(name, root)
        if folder is None or str(folder) in held:
            continue
        if folder not in built:
            where = where or tempfile.TemporaryDirectory(prefix="qabot-sets-")
            index_dir = Path(where.name) / f"{len(built):02d}-{folder.parent.name}"
            report = build_index(index_dir, [folder], qa.embedder, progress=False)
            logger.info("%s: its own %d articles indexed for the run (%d passages)", name, len(report.added),
                        report.passages)
            built[folder] = QA(load_index(index_dir, qa.embedder.id), qa.embedder)
            built[folder].scratch = where  # the folder lives while an index in it is read
        out[name] = built[folder]
    return out
