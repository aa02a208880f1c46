"""passages.jsonl on disk → a read-only sequence of `Passage`s, parsed when asked for, with a per-row article column.

A million passages as Python objects cost gigabytes; here they cost the page cache of one memory-mapped file, an
array of line offsets and one small integer a row saying which article (and so which source and date) it is from.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from qabot.ingest.passages import Passage

OFFSETS, DOCS, DOC_NAMES = "passage_offsets.npy", "passage_docs.npy", "passage_docs.json"


def write_columns(folder: Path, rows: Sequence[Passage], offsets: list[int]) -> None:
    """Save the line offsets (one more than rows: the end) and each row's article beside passages.jsonl."""
    names = list(dict.fromkeys(p.doc for p in rows))
    code = {name: i for i, name in enumerate(names)}
    np.save(folder / OFFSETS, np.asarray(offsets, dtype=np.int64))
    np.save(folder / DOCS, np.asarray([code[p.doc] for p in rows], dtype=np.int32))
    (folder / DOC_NAMES).write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")


class PassageTable(Sequence):
    """Row → Passage, read from passages.jsonl on demand; `doc_of` and `doc_names` answer filters without parsing."""

    def __init__(self, folder: Path):
        path = folder / "passages.jsonl"
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if path.stat().st_size else b""
        if isinstance(self._map, mmap.mmap):
            self._map.madvise(mmap.MADV_RANDOM)  # rows are read one at a time, wherever the answers are
        if (folder / OFFSETS).exists():
            self._offsets = np.load(folder / OFFSETS, allow_pickle=False)
            self.doc_of = np.load(folder / DOCS, allow_pickle=False)
            self.doc_names = json.loads((folder / DOC_NAMES).read_text(encoding="utf-8"))
        else:  # an index written before these columns existed: find them by reading every line once
            self._offsets, self.doc_of, self.doc_names = _scan(self._map)
        if self._offsets[-1] != len(self._map) or len(self.doc_of) != len(self):
            raise ValueError(f"{path} does not match its row offsets")
        self._parse = lru_cache(maxsize=4096)(self._read)
        self._codes: dict[str, int] | None = None  # article name -> its code in doc_of, made on first use

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        row = int(row)
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._parse(row)

    def __iter__(self) -> Iterator[Passage]:
        for row in range(len(self)):
            yield self._read(row)  # not through the cache: a full pass would only evict what questions use

    def rows_of(self, docs) -> np.ndarray:
        """The rows of these articles' passages, in order."""
        if self._codes is None:
            self._codes = {name: i for i, name in enumerate(self.doc_names)}
        codes = [self._codes[doc] for doc in set(docs) if doc in self._codes]
        if len(codes) == 1:  # one article (a 他/她 read back into it): one comparison, not a set lookup a row
            return np.flatnonzero(self.doc_of == codes[0]).astype(np.int64)
        return np.flatnonzero(np.isin(self.doc_of, codes)).astype(np.int64)

    def _read(self, row: int) -> Passage:
        return Passage(**json.loads(self._map[self._offsets[row]:self._offsets[row + 1]]))


def _scan(data) -> tuple[np.ndarray, np.ndarray, list[str]]:
    offsets, docs, names = [0], [], {}
    for line in data[:].splitlines(keepends=True):
        if line.strip():
            docs.append(names.setdefault(json.loads(line)["doc"], len(names)))
            offsets.append(offsets[-1] + len(line))
        else:
            offsets[-1] += len(line)
    return np.asarray(offsets, dtype=np.int64), np.asarray(docs, dtype=np.int32), list(names)
