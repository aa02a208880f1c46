"""New and changed passages → their vectors: each distinct text (a passage, a sentence of a passage of several, a
sentence with the person its 他/她 speaks of put in) through the encoder once, in batches, with a progress bar on a
terminal; the model's sparse latent terms for passages only."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import asdict, dataclass

import numpy as np

from qabot.ingest.passages import Passage, sentences
from qabot.language.coreference import for_embedding
from qabot.language.words import tokens
from qabot.store.embed import Embedder

logger = logging.getLogger(__name__)

BATCH = 16
SPARSE_TERMS = 128  # latent terms kept per passage


@dataclass(frozen=True)
class EncoderWork:
    """What one update sent through the encoder: each distinct text once, latent terms for passages only."""

    texts: int = 0  # distinct texts embedded (passages, and the sentences of passages with more than one)
    latent: int = 0  # distinct passages given latent terms
    chars: int = 0  # characters through the encoder, every pass counted
    passage_chars: int = 0  # characters of the passages embedded
    seconds: float = 0.0

    @property
    def passes(self) -> float:
        """Encoder passes a passage, weighted by length: 1.0 is one pass over each passage's text."""
        return self.chars / self.passage_chars if self.passage_chars else 0.0


def derive_vectors(rows: list[Passage], embedder: Embedder, progress: bool | None,
                   encoder=None) -> tuple[list[tuple], EncoderWork]:
    """(vector, sentence vectors, sparse row or None, BM25 tokens) for each passage, and what it cost. Each distinct
    text is embedded once: a one-sentence passage's sentence vector is its passage vector, a text that two passages
    (or a passage and a sentence) share is embedded once, and latent terms are computed for passages only (search
    reads them per candidate passage). `encoder` (default: the embedder) is what runs the model: anything with
    the embedder's `encode_batches`, such as a Ray actor pool (qabot.store.ray_embed)."""
    if not rows:
        return [], EncoderWork()
    split = [sentences(p.text) for p in rows]
    # a sentence opening with 他/她 is embedded with the person it speaks of in their place (coreference)
    own = [for_embedding(parts) if len(parts) > 1 else None for parts in split]
    slot = {text: i for i, text in enumerate(dict.fromkeys(
        [p.text for p in rows] + [s for parts in own if parts for s in parts]))}
    texts = list(slot)
    # the distinct passage texts come first in `texts`: each is flagged for latent terms
    passage_texts = len(set(p.text for p in rows)) if embedder.has_sparse else 0
    latent = [i < passage_texts for i in range(len(texts))]
    work = EncoderWork(texts=len(texts), latent=sum(latent),
                       chars=sum(map(len, texts)) + sum(len(t) for t, f in zip(texts, latent, strict=True) if f),
                       passage_chars=sum(len(p.text) for p in rows))
    vectors, sparse, seconds = _encode(texts, latent, embedder, encoder or embedder, progress)
    work = EncoderWork(**{**asdict(work), "seconds": seconds})
    latent_row = {}
    if sparse is not None:
        latent_row = {text: r for r, text in enumerate(t for t, f in zip(texts, latent, strict=True) if f)}
    out = []
    for passage, parts in zip(rows, own, strict=True):
        at = slot[passage.text]
        # Passage vectors stay float32 for FAISS; sentence vectors are kept (and saved) as float16.
        sentence_vectors = (vectors[[slot[s] for s in parts]] if parts else vectors[at:at + 1]).astype(np.float16)
        row = sparse[latent_row[passage.text]] if sparse is not None else None
        words = tuple(map(sys.intern, tokens(passage.text)))  # one copy of each word, however many passages hold it
        out.append((vectors[at], sentence_vectors, row, words))
    return out, work


def _encode(texts: list[str], latent: list[bool], embedder: Embedder, encoder, progress: bool | None):
    """(vectors of every text, latent terms of the flagged texts or None, seconds): a bar on a terminal, else a line
    when embedding starts and ends."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    lines = progress is None and not show
    started = time.perf_counter()
    if lines:
        print(f"qabot: embedding {len(texts)} texts ({sum(latent)} with latent terms) on "
              f"{getattr(encoder, 'device', embedder.device)}",
              file=sys.stderr, flush=True)
    vectors = np.empty((len(texts), embedder.dim), dtype=np.float32)
    parts = []
    with tqdm(total=len(texts), desc="embedding", unit="text", disable=not show, file=sys.stderr) as bar:
        for start, batch, terms in encoder.encode_batches(texts, latent, BATCH, SPARSE_TERMS):
            vectors[start:start + len(batch)] = batch
            if terms is not None:
                parts.append(terms)
            bar.update(len(batch))
    seconds = time.perf_counter() - started
    if lines:
        print(f"qabot: embedded in {seconds:.1f} s", file=sys.stderr, flush=True)
    sparse = stack_sparse(parts) if parts and any(latent) else None
    return vectors, sparse, seconds


def stack_sparse(parts):
    from scipy.sparse import vstack

    return vstack(parts, format="csr")
