"""New and changed passages → their vectors: each distinct text (a passage, a sentence of a passage of several, a
sentence with the person its 他/她 speaks of put in) through the encoder once, in batches, with a progress bar on a
terminal."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import numpy as np

from qabot.ingest.passages import Passage, sentences
from qabot.language.coreference import for_embedding
from qabot.language.words import tokens
from qabot.store.embed import Embedder

BATCH = 16


@dataclass(frozen=True)
class EncoderWork:
    """What one update sent through the encoder: each distinct text once."""

    texts: int = 0  # distinct texts embedded (passages, and the sentences of passages with more than one)
    chars: int = 0  # characters through the encoder
    passage_chars: int = 0  # characters of the passages embedded
    seconds: float = 0.0

    @property
    def passes(self) -> float:
        """Encoder passes a passage, weighted by length: 1.0 is one pass over each passage's text."""
        return self.chars / self.passage_chars if self.passage_chars else 0.0


def derive_vectors(rows: list[Passage], embedder: Embedder, progress: bool | None, encoder=None,
                   meanwhile=None) -> tuple[list[tuple], EncoderWork]:
    """(vector, sentence vectors, BM25 tokens) for each passage, and what it cost. Each distinct text is embedded
    once: a one-sentence passage's sentence vector is its passage vector, and a text that two passages (or a passage
    and a sentence) share is embedded once. `encoder` (default: the embedder) is what runs the model: anything with
    the embedder's `encode_batches`, such as a Ray actor pool (qabot.store.ray_embed).

    The passages go through the encoder on a thread of their own while this one cuts words (BM25 tokens, the person
    a 他/她 sentence speaks of) and runs `meanwhile` (reading the names articles define): jieba's work, and loading
    its dictionaries, overlap the encoder's instead of coming before it. Then the sentences are embedded."""
    from concurrent.futures import ThreadPoolExecutor

    if not rows:
        if meanwhile is not None:
            meanwhile()
        return [], EncoderWork()
    passage_texts = list(dict.fromkeys(p.text for p in rows))
    run = _Run(embedder, encoder or embedder, progress, len(passage_texts))
    with run, ThreadPoolExecutor(1, thread_name_prefix="qabot-encode") as pool:
        first = pool.submit(run.encode, passage_texts)
        try:
            if meanwhile is not None:
                meanwhile()
            # a sentence opening with 他/她 is embedded with the person it speaks of in their place (coreference)
            own = [for_embedding(parts) if len(parts) > 1 else None for parts in (sentences(p.text) for p in rows)]
            words = [tuple(map(sys.intern, tokens(p.text))) for p in rows]  # one copy of each word, however many
            # passages hold it
        except BaseException:
            run.stopped = True  # the encoder thread stops at its next batch instead of embedding the rest
            raise
        passage_vectors = first.result()  # an encoder error is raised here
        slot = {text: i for i, text in enumerate(passage_texts)}
        sentence_texts = [s for s in dict.fromkeys(s for parts in own if parts for s in parts) if s not in slot]
        slot.update({text: len(passage_texts) + i for i, text in enumerate(sentence_texts)})
        vectors = np.concatenate([passage_vectors, run.encode(sentence_texts)])
    texts = passage_texts + sentence_texts
    work = EncoderWork(texts=len(texts), chars=sum(map(len, texts)), passage_chars=sum(len(p.text) for p in rows),
                       seconds=run.seconds)
    out = []
    for passage, parts, tokens_of in zip(rows, own, words, strict=True):
        at = slot[passage.text]
        # Passage vectors stay float32 for FAISS; sentence vectors are kept (and saved) as float16.
        sentence_vectors = (vectors[[slot[s] for s in parts]] if parts else vectors[at:at + 1]).astype(np.float16)
        out.append((vectors[at], sentence_vectors, tokens_of))
    return out, work


class _Run:
    """The encoder's work of one update, shown as it goes: a bar on a terminal, else a line when embedding starts
    and ends."""

    def __init__(self, embedder: Embedder, encoder, progress: bool | None, first: int):
        from tqdm import tqdm

        self.embedder, self.encoder = embedder, encoder
        show = sys.stderr.isatty() if progress is None else progress
        self.lines = progress is None and not show
        self.bar = tqdm(total=first, desc="embedding", unit="text", disable=not show, file=sys.stderr)
        self.started = time.perf_counter()
        self.seconds = 0.0
        self.texts = 0
        self.stopped = False
        if self.lines:
            print(f"qabot: embedding {first} passages, then their sentences, on "
                  f"{getattr(encoder, 'device', embedder.device)}", file=sys.stderr, flush=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.empty((len(texts), self.embedder.dim), dtype=np.float32)
        if not texts:
            return vectors
        if self.texts:  # the passages are counted in the bar already
            self.bar.total += len(texts)
            self.bar.refresh()
        started = time.perf_counter()
        # Texts of about the same length batched together (as sentence-transformers does): the threads that share a
        # batch finish it at about the same time, so less waiting at each batch's end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start, batch in self.encoder.encode_batches([texts[i] for i in order], BATCH):
            if self.stopped:
                break
            vectors[order[start:start + len(batch)]] = batch
            self.bar.update(len(batch))
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.bar.close()
        if self.lines and exc[0] is None:
            print(f"qabot: embedded {self.texts} texts in {self.seconds:.1f} s", file=sys.stderr, flush=True)
