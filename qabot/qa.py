"""Settings → a ready question answerer: opens (building or refreshing) the index, then `answer(question)`."""

from __future__ import annotations

import collections
import functools
import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

from qabot.answer.compose import Answer
from qabot.errors import CorpusError, IndexFolderError
from qabot.ingest.passages import BYLINE, Passage, sentences
from qabot.language.coreference import people
from qabot.question.clean import MAX_QUESTION, clean_question  # noqa: F401 (MAX_QUESTION: read from here too)
from qabot.question.filters import Filters
from qabot.search.searcher import Searcher
from qabot.settings import Settings, default_corpus
from qabot.store.build import BuildReport, build_index
from qabot.store.embed import Embedder, embedder_id, make_embedder
from qabot.store.folder import Index, check_compatible, load_index, read_manifest, stale_reason

logger = logging.getLogger(__name__)


class QA:
    """Answers questions from one index; the front ends (CLI, REPL, Telegram) all go through `answer`."""

    def __init__(self, index: Index, embedder: Embedder, cache_size: int = 0):
        self.embedder = embedder
        self.cache_size = cache_size  # answers kept for repeated questions (a bot hears the same ones often)
        self._cache: collections.OrderedDict = collections.OrderedDict()
        self._pending: dict[tuple, threading.Event] = {}
        self._lock = threading.Lock()
        self._open(index)

    @classmethod
    def open(cls, settings: Settings, *, refresh: bool = True, progress: bool | None = None,
             cache_size: int = 0) -> QA:
        """Load the index, building it on first use and bringing it up to date when its folders changed (never with
        `settings.read_only`)."""
        refresh = refresh and not settings.read_only
        if settings.store == "milvus":
            return cls._open_milvus(settings, refresh, progress, cache_size)
        manifest = _manifest(settings.index_dir)
        if manifest is not None:  # refuse a foreign index before spending time on loading a model
            check_compatible(settings.index_dir, manifest, embedder_id(settings.embedder))
        embedder = make_embedder(settings.embedder)
        if refresh:
            ensure_index(settings, embedder, progress=progress)
        return cls(load_index(settings.index_dir, embedder.id), embedder, cache_size=cache_size)

    @classmethod
    def _open_milvus(cls, settings: Settings, refresh: bool, progress: bool | None, cache_size: int) -> QA:
        """The index held in Milvus: built when missing (and refreshed when this machine has its corpus folders)."""
        from qabot.errors import IndexFolderError
        from qabot.store.milvus import open_milvus

        embedder = make_embedder(settings.embedder)
        try:
            index = open_milvus(settings.milvus_uri, embedder.id, token=settings.milvus_token,
                                name=settings.milvus_name)
        except IndexFolderError:
            if not refresh:
                raise
            index = None
        if refresh and (index is None or _milvus_stale(settings, index)):
            report = build_milvus_for(settings, embedder, progress=progress, known=index)
            logger.warning("index: %s", summary(report))
            index = open_milvus(settings.milvus_uri, embedder.id, token=settings.milvus_token,
                                name=settings.milvus_name)
        return cls(index, embedder, cache_size=cache_size)

    def _open(self, index: Index) -> None:
        from qabot.search.milvus import MilvusSearcher
        from qabot.store.milvus import MilvusIndex

        self.index = index
        self._manifest_stamp = self._stamp()
        self.searcher = (MilvusSearcher if isinstance(index, MilvusIndex) else Searcher)(index, self.embedder)
        from qabot.answer.reader import Reader

        self.reader = Reader(self.searcher, self.embedder, article=_articles(index))
        self.analyser = self.reader.analyser  # question text -> `Question`, once per answer

    @functools.cached_property
    def params(self):
        """The fitted models of each search mode (`qabot/answer/params.json`)."""
        from qabot.answer.model import load

        return load()

    def warm_up(self) -> None:
        """Pay the first-question costs (jieba's dictionaries and tagger, the model's buffers, the stand-in table, the
        bilingual dictionary) before users come."""
        from qabot.language import lexicon

        self._answer("预热：这是谁？ Who is it?", 5, "hybrid", None, time.perf_counter())
        self.analyser.compounds()
        lexicon.load(english=self.analyser.english_text)  # that is a pass over the vocabulary, as compounds() is

    def _stamp(self):
        if self.index.dir is None:  # Milvus: the live generation, asked at most every few seconds
            return self.index.stamp()
        try:
            return (self.index.dir / "manifest.json").stat().st_mtime_ns
        except OSError:
            return 0

    def reload_if_changed(self) -> bool:
        """Pick up an index rebuilt by another process (a new data generation in the manifest). Cheap when nothing
        changed: one stat of the manifest (with Milvus: one small query every few seconds)."""
        if self.index.dir is None:
            if self.index.stamp() == self.index.generation:
                return False
            from qabot.errors import QabotError
            from qabot.store.milvus import open_milvus

            index = self.index
            try:
                fresh = open_milvus(index.uri, self.embedder.id, token=index.token, name=index.name)
            except QabotError as exc:  # keep answering from the generation at hand; the next check tries again
                logger.warning("not reloading the Milvus index yet: %s", exc)
                return False
            self._open(fresh)
            logger.info("loaded the updated Milvus index %s", self.index.generation)
            return True
        try:
            stamp = (self.index.dir / "manifest.json").stat().st_mtime_ns
        except OSError:
            return False
        if stamp == self._manifest_stamp:
            return False
        self._manifest_stamp = stamp
        manifest = read_manifest(self.index.dir)
        if manifest and manifest.get("data") != self.index.generation:
            self._open(load_index(self.index.dir, self.embedder.id))
            logger.info("loaded the rebuilt index %s", self.index.generation)
            return True
        return False

    def answer(self, question: str, *, k: int = 10, mode: str = "hybrid", filters: Filters | None = None) -> Answer:
        started = time.perf_counter()
        question = clean_question(question)
        key = (question, k, mode, filters, self.index.generation)
        if not self.cache_size:
            return self._answer(question, k, mode, filters, started)
        with self._lock:
            cached = self._cache.get(key)
            waiting = self._pending.get(key) if cached is None else None
            if cached is None and waiting is None:
                self._pending[key] = threading.Event()
        if waiting is not None:  # the same question is being answered right now: wait for that answer
            waiting.wait()
            with self._lock:
                cached = self._cache.get(key)
            if cached is None:  # that attempt failed: try on our own
                return self._answer(question, k, mode, filters, started)
        if cached is not None:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
            return replace(cached, took_ms=(time.perf_counter() - started) * 1000)
        try:  # we are the one answering this question now
            answer = self._answer(question, k, mode, filters, started)
            with self._lock:
                self._cache[key] = answer
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            return answer
        finally:
            with self._lock:
                done = self._pending.pop(key, None)
            if done is not None:
                done.set()

    def _answer(self, text: str, k: int, mode: str, filters: Filters | None, started: float) -> Answer:
        question = self.analyser(text, filters)  # the one analysis every later stage reads
        trace = self.reader.trace(question, mode)
        answer = self.reader.decide(trace, self.params[mode], k)
        # the passages found, as many as asked (the reading looks at five at least, to name the closest articles)
        answer = replace(answer, hits=answer.hits[:k], took_ms=(time.perf_counter() - started) * 1000)
        logger.debug("answered=%s (confidence %.2f) in %.1f ms", answer.answered, answer.confidence, answer.took_ms)
        return answer


def ensure_index(settings: Settings, embedder: Embedder, *, progress: bool | None = None) -> BuildReport | None:
    """Build the index when it is missing, refresh it when its corpus folders changed; else do nothing."""
    manifest = _manifest(settings.index_dir)
    if manifest is not None:
        check_compatible(settings.index_dir, manifest, embedder.id)
        if settings.corpus and [str(Path(c).resolve()) for c in settings.corpus] != manifest.get("corpus"):
            reason = "other corpus folders were given"
        else:
            reason = stale_reason(manifest)
        if reason is None:
            return None
        if not os.access(settings.index_dir, os.W_OK):  # someone else's index, or a read-only mount: serve it
            logger.warning("the index at %s is out of date (%s) but read-only: answering from it as it stands "
                           "(QABOT_READ_ONLY=1 says this is meant)", settings.index_dir, reason)
            return None
        logger.warning("updating the index at %s: %s", settings.index_dir, reason)
        corpus = settings.corpus or corpus_of(settings.index_dir)
    else:
        corpus = settings.corpus or corpus_of(settings.index_dir)
        logger.warning("building the index at %s from %s (first use)", settings.index_dir, ", ".join(corpus))
    report = build_index(settings.index_dir, corpus, embedder, progress=progress)
    logger.warning("index: %s", summary(report))
    return report


def corpus_of(index_dir: Path) -> tuple[str, ...]:
    """The article folders the index at `index_dir` was built from, as its manifest names them; the shipped seeds
    for a folder that holds no index yet. Never the seeds for an index whose manifest cannot say: that would switch
    someone's index to another corpus unasked."""
    index_dir = Path(index_dir)
    manifest = _manifest(index_dir)
    if manifest is None:
        if _held_an_index(index_dir):
            raise CorpusError(_ask_for_corpus(index_dir, "its manifest.json is missing"))
        return (default_corpus(),)
    folders = manifest.get("corpus")
    if not isinstance(folders, list) or not folders or not all(isinstance(f, str) and f for f in folders):
        raise CorpusError(_ask_for_corpus(index_dir, "its manifest.json names none"))
    return tuple(folders)


def _manifest(index_dir: Path) -> dict | None:
    """The index's manifest, or None when there is none; one that cannot be read is an error that asks for the
    article folders, since only the manifest names them."""
    try:
        return read_manifest(index_dir)
    except IndexFolderError as exc:
        raise IndexFolderError(_ask_for_corpus(index_dir, "its manifest.json is damaged")) from exc


def _ask_for_corpus(index_dir: Path, why: str) -> str:
    return (f"the index at {index_dir} cannot say which article folders it was built from ({why}): rebuild it "
            f"from yours with: qabot index --index {index_dir} --rebuild --corpus DIR")


def _held_an_index(index_dir: Path) -> bool:
    """Does the folder hold the data of an index (whose manifest is gone)? A new folder, or one with only a README,
    does not."""
    try:
        return any(entry.name.startswith("data-") for entry in index_dir.iterdir())
    except OSError:
        return False


def build_milvus_for(settings: Settings, embedder: Embedder, *, rebuild: bool = False, progress: bool | None = None,
                     known=None, encoder=None) -> BuildReport:
    """Build or update the Milvus-held index from the settings' corpus folders, else the ones it was built from,
    else the seeds."""
    from qabot.errors import QabotError
    from qabot.store.milvus import build_milvus, open_milvus

    if known is None and not settings.corpus:  # keep the folders the index was built from
        try:
            known = open_milvus(settings.milvus_uri, embedder.id, token=settings.milvus_token,
                                name=settings.milvus_name)
        except QabotError:
            known = None
    corpus = settings.corpus or (tuple(known.meta.get("corpus", ())) if known is not None else ()) or \
        (default_corpus(),)
    return build_milvus(settings.milvus_uri, corpus, embedder, token=settings.milvus_token,
                        name=settings.milvus_name, rebuild=rebuild, progress=progress, encoder=encoder)


def _milvus_stale(settings: Settings, index) -> bool:
    """Should this process update the Milvus index? Only when it was given corpus folders that differ from the
    index's, or holds the index's own folders and a file there changed. A reader without them (a bot replica)
    never does: one indexer keeps the collection current."""
    wanted = [str(Path(c).resolve()) for c in settings.corpus]
    if wanted and wanted != index.meta.get("corpus"):
        return True
    folders = index.meta.get("corpus", [])
    if not folders or not all(Path(f).is_dir() for f in folders):
        return False
    return stale_reason(index.manifest) is not None


def summary(report: BuildReport) -> str:
    parts = [f"{len(report.added)} added", f"{len(report.changed)} changed", f"{len(report.removed)} removed"]
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    embedded = f"{report.embedded} embedded"
    if report.embedded:
        embedded += f", {report.passes:.1f} encoder passes each, on {report.device}"
    return f"{', '.join(parts)}; {report.passages} passages ({embedded}) in {report.seconds:.1f} s"


def _articles(index: Index):
    """passage -> (the sentences of its article before it, the names the article gives as people's): what a 他/她
    in it may speak of (its byline is not the story: the writer is no one it speaks of). Each article is read once
    (its passages from the index) and kept."""
    @functools.lru_cache(maxsize=256)
    def read(doc: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], frozenset[str]]:
        passages = [p for p in index.passages_of(doc) if p.section != BYLINE]
        texts = tuple(sentences(p.text) for p in passages)
        return tuple(p.id for p in passages), texts, frozenset(people([s for text in texts for s in text]))

    def article(passage: Passage) -> tuple[list[str], frozenset[str]]:
        ids, texts, names = read(passage.doc)
        at = ids.index(passage.id) if passage.id in ids else 0
        return [s for text in texts[:at] for s in text], names

    return article
