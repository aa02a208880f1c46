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


def own_indexes(qa, set_files, root: Path = Path(), cache: Path | None = None) -> dict:
    """{set file: a `QA` over its own folder's index} for each set (named relative to `root`) beside an articles
    folder the index of `qa` was not built from; the same embedder answers them all. With `cache`, each folder's index
    is kept there between runs (`cache_folder`) and brought up to date like any index: only new or changed articles
    are embedded again. Without it the indexes lie in a temporary folder that goes when the last of them does."""
    import tempfile

    from qabot.errors import IndexFolderError
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
            report = None
            if cache is not None:
                index_dir = cache_folder(Path(cache), folder, qa.embedder.id)
                try:
                    report = build_index(index_dir, [folder], qa.embedder, progress=False)
                except IndexFolderError as exc:  # cannot be made, read-only, or holds something else
                    logger.warning("cannot keep the sets' indexes in %s (%s): each is built for this run only",
                                   cache, exc)
                    cache = None
            if report is None:
                where = where or tempfile.TemporaryDirectory(prefix="qabot-sets-")
                index_dir = Path(where.name) / f"{len(built):02d}-{folder.parent.name}"
                report = build_index(index_dir, [folder], qa.embedder, progress=False)
            logger.info("%s: its own articles indexed in %s (%d passages, %d articles embedded now)", name,
                        index_dir, report.passages, len(report.added) + len(report.changed))
            built[folder] = QA(load_index(index_dir, qa.embedder.id), qa.embedder)
            if cache is None:
                built[folder].scratch = where  # the folder lives while an index in it is read
        out[name] = built[folder]
    return out


def cache_folder(cache: Path, folder: Path, embedder_id: str) -> Path:
    """The index of one articles folder under `cache`: one per folder path and embedder, named so a person can
    tell which (`english_rail-3f2a9c1d0b7e`)."""
    import hashlib

    key = hashlib.sha256(f"{Path(folder).resolve()}\0{embedder_id}".encode()).hexdigest()[:12]
    return cache / f"{Path(folder).resolve().parent.name}-{key}"
