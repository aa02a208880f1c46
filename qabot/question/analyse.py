"""Question text → `Question`: the one analysis of a question, against one index's words and names. Search, the
fitted models and the composer read it; none of them cuts, classifies or embeds the question again."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, replace

import numpy as np

from qabot.language import english, lexicon
from qabot.language.aliases import Aliases
from qabot.language.dates import days_between
from qabot.language.kinds import asked_unit, differing_kind, given_figures, question_kind
from qabot.language.names import tagged
from qabot.language.words import STOPWORDS, idf_from_counts, language, question_words, token_set, uncounted
from qabot.question.beyond import beyond_reports
from qabot.question.clean import plain_marks
from qabot.question.filters import Filters, asked_section, stated_filters
from qabot.question.focus import FRAME, focus
from qabot.question.parts import question_parts, without_remark

logger = logging.getLogger(__name__)

# The rules of the analysis that `qabot eval --ablate` can switch off (the reader has the others).
ANALYSIS_RULES = ("aliases", "answer_kind", "unspoken", "multi_part", "relative_dates", "stand_ins", "lexicon",
                  "conflicts")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# At most this many query embeddings for one question (more only when it asks more things): a limit on work (the
# issue's "no question pays more than two extra query embeddings"), not a tuned weight.
QUERY_EMBEDDINGS = 3
_NEWEST = re.compile(r"最新|最近|目前|现在|如今|眼下|当前|最后|最终|\b(?:latest|newest|now|currently|recent(?:ly)?|"
                     r"finally|in the end|so far)\b", re.I)
_LIST = re.compile(r"哪些|哪几|些啥|些什么|都有|分别|各自|列举|顺序|经过|还有|以及|[，,].*?(?:多少|几|哪|谁|吗)|"
                   r", and\b|\band (?:how|what|which|who|when)\b", re.I)


@dataclass(frozen=True)
class Wording:
    """One wording of a question that is searched: its words for BM25 and its query vector."""

    text: str
    terms: tuple[str, ...]  # its words, the articles' words its cut split apart, and stand-ins for lone characters
    plain: tuple[str, ...]  # its words as plain BM25 cuts them (what the keyword-only baseline searches)
    vector: np.ndarray | None  # None only inside the analysis, until the question's texts are embedded together


@dataclass(frozen=True)
class Question:
    """A question analysed once: everything later stages read about it."""

    asked: str  # as typed (cleaned)
    text: str  # what is searched: without the source it names as a filter
    filters: Filters | None  # the source and publication days it states, or was given
    lang: str  # "zh" or "en"
    kind: str  # what is asked: number, when, duration, who, where, why, which, define, timeline or ""
    unit: str  # the measure word of "多少人", "几架" ("" when none is named)
    section: str  # the part of an article it asks about: "caption" (a picture), "byline" (who wrote it) or ""
    listing: bool  # asks for several things (哪些, 分别, "…, and how many") or a chronology
    days: tuple | None  # the stretch of days a chronology asks about ((month, day), (month, day)), or None
    newest: bool  # asks about now, the latest state or the final outcome
    weights: dict  # its content words -> idf (how much each counts as evidence)
    unknown: float  # the idf-weighted share of its content words that no passage uses
    known: tuple[str, ...]  # its content words that the articles use (two characters or more, or Latin)
    names: tuple[str, ...]  # the people, places and organisations it names
    unknown_nouns: tuple[str, ...]  # its nouns (and abbreviations, places) that no passage uses: 夫人, 股市
    focus: str  # the noun asked about: 学生 of 有多少学生, 指挥官 of 指挥官是谁, poles of "how many poles"
    wordings: tuple[Wording, ...]  # the question, then the same with a name in the form the articles use more
    forms: dict  # its word -> the other names the articles give the same thing ("csto" -> 集安组织, 集体安全条约组织)
    # and, for an English word, the Chinese words the dictionary gives ("soldiers" -> 士兵, 军人): a text that uses
    # another name or the translation still holds the word
    without_unknown: Wording | None = None  # the question without its unknown nouns (to measure their pull)
    parts: tuple[Question, ...] = ()  # a question asked in several parts: each part, analysed
    differs: bool = False  # remarks that the reports differ ("几家报的数对不上"): each report's version is asked
    figures: tuple = ()  # the counts it gives itself ("那个“16”是啥数", "the 2,030 soldiers"), as ranges of values
    beyond: str = ""  # asks for what no report gives: "forecast", "advice", "writing" or "howto" (`beyond`), else ""
    gloss: str = ""  # asked in the other language than the articles': its words in theirs ("soldiers" → 士兵)
    gloss_vector: np.ndarray | None = None  # the gloss's query vector

    @property
    def vector(self) -> np.ndarray:
        return self.wordings[0].vector

    @functools.cached_property
    def said(self) -> str:
        """The other forms of its words (other names of a thing, an English word's Chinese), which it also says: a
        name among them is no answer to it."""
        return " ".join(f for forms in self.forms.values() for f in forms)


class Analyser:
    """Turns question texts into `Question`s for one index: its vocabulary (which words the articles use, how rare
    each is), the names the articles give in two forms, its sources and days, and the embedding model."""

    def __init__(self, index, embedder, rules: tuple[str, ...] = ANALYSIS_RULES):
        self.index = index
        self.embedder = embedder
        self.rules = frozenset(rules)
        self.idf = idf_from_counts(index.document_frequency, index.size)  # word -> how much it counts as evidence
        self.aliases = Aliases.of_articles(index.manifest["files"])  # names the articles give in two forms
        self.editions = {(a["source"], a["date"]) for a in index.articles()}
        self._compounds: dict[str, list[str]] | None = None  # first character -> two-character words it begins
        self._endings: dict[str, list[str]] = {}  # last character -> two-character words it ends (with _compounds)

    def known(self, word: str) -> bool:
        """Do the articles use this word (in a passage, or in a title: "托卡耶夫定性：未遂政变")?"""
        return self.index.document_frequency(word) > 0 or word in self.titled

    @functools.cached_property
    def titled(self) -> frozenset[str]:
        """The words of the articles' titles, cut once, when a word no passage uses is first looked up: not at start-up,
        which `sources`, `health` and the bot's launch share with answering."""
        files = self.index.manifest["files"].values()
        return frozenset(w for entry in files for w in token_set(entry.get("title") or ""))

    @functools.cached_property
    def english_text(self) -> bool:
        """Are a fifth or more of the articles' words English (some of the articles are in English)?"""
        latin = cjk = 0
        for word in self.index.vocabulary:
            if _CJK_CHAR.match(word):
                cjk += 1
            elif word[:1].isascii() and word[:1].isalpha():
                latin += 1
        return 5 * latin >= latin + cjk > 0

    def __call__(self, text: str, filters: Filters | None = None) -> Question:
        """The question analysed; `filters` given by the user stand, else the ones it states in its own words."""
        asked, text = text, plain_marks(text)
        if filters is None:  # "半岛网怎么说…", "1月8日的报道…": the question's own words narrow the search
            filters, text = stated_filters(text, self.editions)
        differs = False
        if "conflicts" in self.rules:  # "…抓了多少人？我看几家报的数对不上": the remark is no part, and no words
            text, differs = without_remark(text)
        whole = replace(self._one(text, asked, filters), differs=differs)
        whole = replace(whole, kind=differing_kind(whole.kind, text)) if differs else whole  # "I read 27, but…"
        parts = question_parts(text) if "multi_part" in self.rules else [text]
        if len(parts) > 1:
            whole = replace(whole, parts=tuple(replace(self._part(p, parts[:i], filters), differs=differs)
                                               for i, p in enumerate(parts)))
        return self._embedded(whole)

    def _embedded(self, question: Question) -> Question:
        """The question with its wordings' query vectors, from one call of the embedding model on at most
        `QUERY_EMBEDDINGS` texts: each part's own wording, the question's, its gloss (in the articles' language), then
        the wordings without the nouns no passage uses, then the other names' wordings. Beyond the limit, a question
        in parts is searched as a whole by the mean of its parts' vectors, another name's wording by its question's
        vector (its words still searched), and the pull of unknown nouns is not measured."""
        askings = question.parts or (question,)
        texts = [q.wordings[0].text for q in askings] + [question.wordings[0].text]
        texts += [q.gloss for q in (question, *question.parts) if q.gloss]
        texts += [q.without_unknown.text for q in askings if q.without_unknown is not None]
        texts += [w.text for q in askings for w in q.wordings[1:]]
        texts = list(dict.fromkeys(texts))[:max(QUERY_EMBEDDINGS, len(askings))]
        vectors = dict(zip(texts, self.embedder.embed(texts, "query"), strict=True))

        def filled(q: Question, mean: np.ndarray | None = None) -> Question:
            main = vectors.get(q.wordings[0].text, mean)
            wordings = tuple(replace(w, vector=vectors.get(w.text, main)) for w in q.wordings)
            without = q.without_unknown
            if without is not None:
                without = replace(without, vector=vectors[without.text]) if without.text in vectors else None
            return replace(q, wordings=wordings, without_unknown=without, gloss_vector=vectors.get(q.gloss))

        if not question.parts:
            return filled(question)
        parts = tuple(filled(p) for p in question.parts)
        mean = np.mean([p.vector for p in parts], axis=0)
        mean = (mean / (np.linalg.norm(mean) or 1.0)).astype(parts[0].vector.dtype)
        return replace(filled(question, mean), parts=parts)

    def _part(self, part: str, before: list[str], filters: Filters | None) -> Question:
        """One part of a question asked in several, read with the things the parts before it name when it names
        nothing itself or speaks of them ("…断网影响有多大？网后来恢复了吗？", "马西莫夫是啥来头？他那俩副手…",
        "what is the CSTO - when was it set up?"): those are searched too, and what it asks is its own."""
        context = [w for w in self.named_before(before) if w.lower() not in part.lower()]
        if not context or not _elliptical(part, self.known):
            return self._one(part, part, filters)
        sep = " " if part.isascii() else "，"
        return self._one(sep.join(context) + sep + part, part, filters, asks=part)

    def named_before(self, parts: list[str]) -> list[str]:
        """The things earlier parts name: their nouns the articles use (Chinese), or their names and nouns
        (English)."""
        out = []
        for text in parts:
            if text.isascii():
                out += [w for w in re.findall(r"[A-Za-z][A-Za-z\-]+", text)
                        if w.lower() not in STOPWORDS and (w[:1].isupper() or lexicon.is_noun(w.lower()))]
            else:
                out += [w for w, flag in tagged(text) if flag in _NOUNS | _NAMED and len(w) >= 2 and w not in FRAME
                        and self.known(w)]
        return list(dict.fromkeys(out))

    def wording(self, text: str) -> Wording:
        """One text to search, with its words and its query embedding."""
        return replace(self._pending(text), vector=self.embedder.embed([text], "query")[0])

    def _pending(self, text: str) -> Wording:
        """One text to search, with its words; its query vector comes when the question's texts are embedded."""
        plain, words = question_words(text, known=self.known)
        return self._wording(text, plain, words)

    def _one(self, text: str, asked: str, filters: Filters | None, asks: str | None = None) -> Question:
        """`text` analysed as one question; what it asks (kind, unit, list, days, newest, focus) is read from `asks`
        when given (a part searched with the things earlier parts name), else from `text`."""
        asks = text if asks is None else asks
        plain, words = question_words(text, known=self.known)
        wordings = [self._wording(text, plain, words)]
        if "aliases" in self.rules:  # a name the articles also give in another form: searched in it too
            wordings += [self._pending(variant) for variant in self.aliases.variants(text)]
        lang = language(text)
        weights = {w: self.idf(w) for w in words}
        dictionary = lang == "en" and "lexicon" in self.rules
        translated = self.translated(text, weights) if dictionary else \
            self.in_english(weights) if "lexicon" in self.rules and self.english_text else {}
        # An English word weighs what its commonest Chinese form in the articles weighs (a Chinese word over English
        # articles its commonest English form), and keyword search looks for it in that form.
        commonest = {w: min(known, key=self.idf) for w, fs in translated.items()
                     if (known := [f for f in fs if self.known(f)])}
        weights.update({w: self.idf(f) for w, f in commonest.items()})
        held = {w for w in weights if self.known(w) or w in commonest}
        # An English word one of whose Chinese forms is a lone character the articles use (部 of "ministry", 年 of
        # "year": as a word or beginning one), or a source's name (知乎 of "Zhihu"), is no word they never use, though
        # such a character is too common to say which sentence holds the word.
        used = held | {w for w in translated if any(self.uses(f) for f in lexicon.forms(w, lone=True))}
        if commonest:
            terms = wordings[0].terms + tuple(commonest.values())
            wordings[0] = replace(wordings[0], terms=tuple(dict.fromkeys(terms)))
        # A lone Chinese character the articles use only inside two-character words (派 of 派遣, 兵 of 士兵) is a
        # word of theirs, cut short: it weighs what the commonest of those words weighs; a text holding one holds it.
        shortened = {w: within for w in weights if len(w) == 1 and _CJK_CHAR.match(w) and w not in held
                     and w not in STOPWORDS and (within := self.within(w))}
        weights.update({w: min(map(self.idf, within)) for w, within in shortened.items()})
        held |= set(shortened)
        # Over English articles, a Chinese compound the dictionary lacks is no word they never use when its pieces
        # are (质量部: 质量 quality, 部 department), nor a piece of one that is (工厂 of 化工厂): pieces are evidence.
        pieced = {w for w in weights if self.english_text and w not in held and (
            self._pieced(w, held) or any(w in k for k in held if len(k) > len(w)))}
        used |= set(shortened) | pieced
        # Over Chinese articles, an English word the dictionary cannot translate (most names) is no evidence either
        # way; over articles in English, an English word they never use (in any ending) is, as a Chinese word over
        # Chinese articles is ("FIFA", "sourdough" of a question about a chemical spill).
        judged = {w: v for w, v in weights.items()
                  if not dictionary or w in used or w in translated or (self.english_text and w.isascii())}
        total = sum(judged.values())
        unknown = sum(v for w, v in judged.items() if w not in used) / total if total else 0.0
        known_words = [w for w in weights if w in held and (len(w) >= 2 or w.isascii())]
        known_words = [w for w in known_words if not any(w != o and w in o for o in known_words)]  # whole words
        tags = tagged(text)
        plain_count = uncounted(text)
        cut = tagged(plain_count) if plain_count != text else tags  # "家店" of "多少家店" is no noun
        names = tuple(dict.fromkeys(w.lower() for w, flag in cut if len(w) >= 2 and (
            flag in _NAMED and _CJK_CHAR.search(w) or w.isascii() and w[:1].isupper() and w.lower() in held)))
        nouns = tuple(dict.fromkeys(
            w for w, flag in cut if flag in _NOUNS and len(w) >= 2 and _CJK_CHAR.search(w) and not self.known(w)
            and w not in held | pieced  # over English articles, a word the dictionary gives in a form of theirs
            and w not in STOPWORDS  # never a word of the index, so never "known": 一共, 情况 are no topic
            and not any(self.known(p) for p in question_words(w)[0] if p != w and len(p) >= 2 and w.endswith(p))
            # the tagger cuts a name its dictionary lacks in its own way (叶尔|迪斯|巴耶夫 where the plain cut, as
            # the articles were cut, gives 叶尔迪斯|巴耶夫): a piece of a word the articles use is no unknown noun
            and not any(w in k for k in held if len(k) > len(w))))
        nouns += tuple(w for w in translated if w not in used and lexicon.is_noun(w))
        forms = _merged(other_forms(text, weights, self.aliases) if "aliases" in self.rules else {},
                        {**translated, **shortened, **self.endings(weights)})
        self._glossed(weights, forms, wordings)
        kind = question_kind(asks) if "answer_kind" in self.rules else ""
        unit = asked_unit(asks) if "answer_kind" in self.rules else ""
        if "unspoken" not in self.rules:
            unknown, nouns = 0.0, ()
        without = None
        if nouns:  # one more embedding, paid only by a question with nouns no passage uses
            rest = text
            for word in nouns:
                rest = re.sub(rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word), "", rest, flags=re.I)
            without = self._pending(rest) if rest.strip() else None
        return Question(
            asked=asked, text=text, filters=filters, lang=lang, kind=kind, unit=unit, section=asked_section(asks),
            listing=bool(_LIST.search(asks)) or kind == "timeline",
            days=days_between(asks) if kind == "timeline" and "relative_dates" in self.rules else None,
            newest=bool(_NEWEST.search(asks)), weights=weights, unknown=unknown, known=tuple(known_words),
            names=names, unknown_nouns=nouns,
            focus=english.focus(asks) if lang == "en" else focus(tags if asks is text else tagged(asks)),
            wordings=tuple(wordings), forms=forms, without_unknown=without, figures=given_figures(asks),
            beyond=beyond_reports(asks),
            gloss=self.gloss(weights, forms) if "lexicon" in self.rules and (lang == "en") != self.english_text else "")

    def _glossed(self, weights: dict, forms: dict, wordings: list) -> None:
        """A Latin name the articles give once, glossed in brackets, and everywhere else in Chinese ("托卡耶夫
        （Kassym-Jomart Tokayev）"): the question's word weighs what its commonest Chinese form weighs, and keyword
        search looks for that form, not for the one passage that glosses it (which an English question about
        Tokayev otherwise finds first, whatever it asks)."""
        for word in list(weights):
            if not (word.isascii() and self.known(word)):
                continue
            cut = [question_words(f)[0] for f in forms.get(word, ()) if not f.isascii()]  # as the articles were cut
            cut = [pieces for pieces in cut if pieces and all(self.known(p) for p in pieces)]
            weighs = {pieces: max(map(self.idf, pieces)) for pieces in map(tuple, cut)}  # a name by its rarest piece
            commonest = min(weighs, key=weighs.get, default=None)
            if commonest is None or weighs[commonest] >= weights[word]:
                continue
            weights[word] = weighs[commonest]
            terms = [t for w in wordings[0].terms for t in (commonest if w == word else (w,))]
            wordings[0] = replace(wordings[0], terms=tuple(dict.fromkeys(terms)))

    def translated(self, text: str, weights: dict) -> dict[str, tuple[str, ...]]:
        """Each English word of the question that the articles do not use as it is → the Chinese words the dictionary
        gives for it (a phrase's forms first: "world cup" → 世界杯)."""
        runs = lexicon.phrases(text)
        out = {}
        for word in weights:
            if word.isascii() and not word.isdigit() and not self.known(word):
                # an English text writes it with another ending ("record" of "recorded")
                written = tuple(f for f in lexicon.inflections(word) if f != word and self.known(f))
                forms = written + runs.get(word, ()) + lexicon.forms(word)
                forms = tuple(dict.fromkeys(forms + tuple(h for f in forms if (h := self.head(f)))))
                if not any(map(self.known, forms)):  # "western" → 西部片 only: a looser reading's (western part)
                    forms += tuple(f for f in lexicon.looser(word) if self.known(f) and f not in forms)
                if forms:
                    out[word] = forms
        return out

    def in_english(self, weights: dict) -> dict[str, tuple[str, ...]]:
        """Each Chinese word of the question that English articles do not use as it is → the English words the
        dictionary gives for it, as the articles write them ("乘客" → passengers; "公里" → kilometres)."""
        return {word: forms for word in weights if not word.isascii() and not self.known(word)
                and (forms := self.english_forms(word) or self.english_forms(word, narrower=True))}

    def gloss(self, weights: dict, forms: dict) -> str:
        """The question's words in the articles' language, for a question asked in the other: each word they use as it
        is, else its commonest form they use ("soldiers" → 士兵). The embedding model matches across languages less
        surely: how close a passage comes to the gloss is one more thing the passage model reads."""
        words = [w if self.known(w) else min((f for f in forms.get(w, ()) if self.known(f)), key=self.idf, default="")
                 for w in weights]
        return " ".join(dict.fromkeys(w for w in words if w))

    def endings(self, weights: dict) -> dict[str, tuple[str, ...]]:
        """Over English articles, each English word of the question → its other endings that they use ("burning" →
        burned, burns; "injured" → injuries is none): a text that holds one holds the word. Four letters at least, as a
        form is looked for inside a text's words too (die of "audience")."""
        if not self.english_text:
            return {}
        return {w: forms for w in weights if w.isascii() and w.isalpha() and self.known(w)
                and (forms := tuple(f for f in lexicon.inflections(w) if f != w and len(f) >= 4 and self.known(f)))}

    def english_forms(self, word: str, narrower: bool = False) -> tuple[str, ...]:
        """The English words the dictionary gives for a Chinese word, as the articles write them; with `narrower`,
        those of the entries it ends ("电车" → 有轨电车 → trams)."""
        senses = lexicon.narrower(word) if narrower else lexicon.english(word)
        return tuple(dict.fromkeys(f for sense in senses for f in lexicon.inflections(sense) if self.known(f)))

    def _pieced(self, word: str, held: set) -> bool:
        def has(piece: str) -> bool:  # a word of the question's, or one the articles write in English
            return piece in held or bool(self.english_forms(piece))
        return len(word) >= 3 and any(has(word[:k]) and has(word[k:]) for k in range(1, len(word)))

    def uses(self, form: str) -> bool:
        """Do the articles use this dictionary form somewhere, if not as a word of their own: a lone character (with
        a date's digits: 1月) that is a word of theirs or begins one, or the name of one of their sources (知乎)?"""
        bare = form.strip("0123456789")
        if len(bare) == 1:
            return self.known(bare) or bare in self.compounds()
        return any(form in source for source, _ in self.editions)

    def head(self, form: str) -> str:
        """A Chinese compound the articles never use → its longest tail of two characters or more that they do (a
        compound's head comes last: 新闻发言人 → 发言人, 小冲突 → 冲突); "" when none."""
        if len(form) < 3 or self.known(form):
            return ""
        return next((form[-k:] for k in range(len(form) - 1, 1, -1) if self.known(form[-k:])), "")

    def _wording(self, text: str, plain: tuple[str, ...], words: tuple[str, ...]) -> Wording:
        """A wording without its query vector, which `_embedded` gives it."""
        stand_ins = self.stand_ins(words) if "stand_ins" in self.rules else {}
        terms = tuple(dict.fromkeys(words + tuple(w for ws in stand_ins.values() for w in ws)))
        return Wording(text=text, terms=terms, plain=plain, vector=None)

    def stand_ins(self, words) -> dict[str, tuple[str, ...]]:
        """For each lone character among the words that the corpus never has as a word of its own, the two-character
        words it begins: a colloquial "死", "派", "谈" is "死亡", "派遣", "谈判" in news text (measured on the dev set:
        hit@1 0.70 -> 0.72, hit@5 0.88 -> 0.91, mrr@10 0.77 -> 0.81)."""
        lone = [w for w in words if len(w) == 1 and _CJK_CHAR.match(w) and not self.known(w)]
        if not lone:
            return {}
        compounds = self.compounds()
        return {w: tuple(sorted(compounds[w])) for w in lone if w in compounds}

    def compounds(self) -> dict[str, list[str]]:
        """First character -> the two-character words of the vocabulary it begins; built once (about a second for a
        vocabulary of 800,000 words, so a server builds it while warming up)."""
        if self._compounds is None:
            compounds: dict[str, list[str]] = {}
            endings: dict[str, list[str]] = {}
            for word in self.index.vocabulary:
                if len(word) == 2 and _CJK_CHAR.match(word) and _CJK_CHAR.match(word[1]):
                    compounds.setdefault(word[0], []).append(word)
                    endings.setdefault(word[1], []).append(word)
            self._compounds, self._endings = compounds, endings
        return self._compounds

    def within(self, char: str) -> tuple[str, ...]:
        """The articles' two-character words that begin or end with this character (派 → 派遣, 兵 → 士兵): a
        colloquial question's lone character ("派了多少兵") is a word they use, cut shorter."""
        return tuple(self.compounds().get(char, ())) + tuple(self._endings.get(char, ()))


def _merged(first: dict, second: dict) -> dict[str, tuple[str, ...]]:
    out = dict(first)
    for word, forms in second.items():
        out[word] = tuple(dict.fromkeys(out.get(word, ()) + forms))
    return out


def other_forms(text: str, weights: dict, aliases: Aliases) -> dict[str, tuple[str, ...]]:
    """Each of the question's words (`weights`' keys) that is (part of) a name the articles also give in another
    form -> those forms: an English question's "CSTO" is held by a sentence that says 集安组织."""
    out: dict[str, tuple[str, ...]] = {}
    for span, others in aliases.mentions(text):
        for word in question_words(span)[0]:
            if word in weights:
                out[word] = tuple(dict.fromkeys(out.get(word, ()) + tuple(o.lower() for o in others)))
    for word in weights:  # "Tokayev" alone: the surname of a glossed full name
        if word not in out and word in aliases.by_surname:
            out[word] = aliases.by_surname[word]
    return out


_PRONOUN = re.compile(r"他|她|它|其|该|此|这些|那些|"
                      r"\b(?:he|she|it|its|they|them|their|his|her|this|that|these|those|there)\b", re.I)


def _elliptical(part: str, known) -> bool:
    """Does a question's later part lean on the parts before it: it speaks of someone or something with a pronoun,
    or names nothing of its own that the articles use?"""
    if _PRONOUN.search(part):
        return True
    if part.isascii():
        return not any(w[:1].isupper() for w in re.findall(r"[A-Za-z][A-Za-z\-]+", part)[1:])
    return not any(flag in _NOUNS and len(w) >= 2 and w not in FRAME and known(w) for w, flag in tagged(part))


_NAMED = frozenset(["nr", "ns", "nt", "nz", "nrt"])
_NOUNS = frozenset(["n", "nz", "nt", "ns", "j", "nr", "vn"])
