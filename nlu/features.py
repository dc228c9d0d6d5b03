"""Sparse text features: sublinear TF-IDF of word n-grams, of character n-grams within word boundaries and of
word beginnings, each block L2-normalised and weighted.

Word n-grams carry meaning where the spelling is standard; character n-grams carry it through typos,
inflection, glued Arabic prefixes and the many spellings of Latin-script Farsi and Arabic; word beginnings tie
the inflected forms of Russian, Ukrainian, Turkish and German words together.
Written out here rather than taken from scikit-learn's ``TfidfVectorizer``: that one spends most of a
millisecond on checks for a single short message, and a serving process should not need scikit-learn.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain

import numpy as np
import scipy.sparse as sp

from nlu.normalise import normalised_text
from nlu.tokenize import token_string, tokenize


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 5)
    word_weight: float = 0.5
    """Scale of the word block against the character block: characters generalise better to new spellings."""
    prefix_length: int = 4
    """Words cut to this many letters, a crude stem across inflections ("Beratungsstelle", "Beratungen"); 0: none."""
    prefix_weight: float = 0.5


def feature_text(text: str, language: str) -> str:
    """The normalised tokens of a raw text, the input of :class:`Featurizer`."""
    return token_string(tokenize(normalised_text(text), language))


def word_ngrams(text: str, sizes: tuple[int, int]) -> list[str]:
    words = text.split()
    low, high = sizes
    return [" ".join(words[i : i + n]) for n in range(low, high + 1) for i in range(len(words) - n + 1)]


def prefixes(text: str, length: int) -> list[str]:
    """The first ``length`` letters of each word: inflected forms of a word share them."""
    return [word[:length] for word in text.split() if any(c.isalnum() for c in word)]


def char_ngrams(text: str, sizes: tuple[int, int]) -> list[str]:
    """Character n-grams of each word padded with one space on either side, as scikit-learn's ``char_wb``.

    The padding space alone is left out: it is in every text and says nothing about any.
    """
    return [gram for word in text.split() for gram in _word_char_ngrams(word, sizes)]


@lru_cache(maxsize=4096)
def _word_char_ngrams(word: str, sizes: tuple[int, int]) -> tuple[str, ...]:
    # Cached: most words of a message, and nearly all of the training data's, have been seen before. A few
    # thousand words hold the frequent ones; each costs a few kilobytes of n-grams in a serving process.
    low, high = sizes
    padded = f" {word} "
    return tuple(
        padded[i : i + n]
        for n in range(low, min(high, len(padded)) + 1)
        for i in range(len(padded) - n + 1)
        if not padded[i : i + n].isspace()
    )


def ngram_keys(grams: Iterable[str]) -> np.ndarray:
    """A 64-bit key per n-gram, the same in every process: Python's own hash of a string changes with each.

    Two checksums of different kinds side by side; n-grams that share both are as good as unheard of.
    """
    encoded = [gram.encode() for gram in grams]
    return np.fromiter(((zlib.crc32(gram) << 32) | zlib.adler32(gram) for gram in encoded), np.uint64, len(encoded))


@dataclass(slots=True)
class _Block:
    """One kind of n-gram: its vocabulary, inverse document frequencies and place in the feature vector.

    The vocabulary is kept as sorted 64-bit keys of the n-grams with their columns, not as a dictionary of
    strings: a few hundred thousand n-grams take 5 MB instead of 40 in every serving process.
    """

    grams: Callable[[str], list[str]]
    weight: float
    keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    columns: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    offset: int = 0

    @property
    def size(self) -> int:
        return len(self.idf)

    def fit_transform(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
        """Learns the vocabulary and inverse document frequencies; returns the texts' values as :meth:`add`
        computes them, but finding each text's n-grams only once and weighting them all at once, and the
        n-grams learnt, in column order."""
        found = [Counter(self.grams(text)) for text in texts]
        # Columns in order of first appearance, each text's n-grams in the order Counter found them.
        vocabulary = {gram: column for column, gram in enumerate(dict.fromkeys(chain.from_iterable(found)))}
        flat = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(found)), np.int64)
        values = np.fromiter(chain.from_iterable(counter.values() for counter in found), np.float64, len(flat))
        row_starts = np.cumsum([0, *map(len, found)])
        documents = np.bincount(flat, minlength=len(vocabulary))
        keys = ngram_keys(vocabulary)
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.columns = order.astype(np.int32)
        # Smoothed as in scikit-learn: as if one more document contained every n-gram once.
        idf = np.log((1 + len(texts)) / (1 + documents)) + 1
        self.idf = idf.astype(np.float32)
        values = (1.0 + np.log(values)) * idf[flat]
        matrix = sp.csr_matrix((values, flat, row_starts), shape=(len(texts), len(vocabulary)))
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        scale = np.divide(self.weight, norms, out=np.zeros_like(norms), where=norms > 0)
        return sp.csr_matrix(sp.diags(scale) @ matrix), list(vocabulary)

    def add(self, text: str, indices: list[int], values: list[float]) -> None:
        """Appends the text's L2-normalised, sublinear TF-IDF values, scaled by the block's weight."""
        keys, counts = np.unique(ngram_keys(self.grams(text)), return_counts=True)
        if not len(keys) or not len(self.keys):
            return
        positions = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        known = self.keys[positions] == keys
        columns = self.columns[positions[known]]
        found = (1.0 + np.log(counts[known])) * self.idf[columns].astype(np.float64)
        norm = math.sqrt(float(np.dot(found, found)))
        if norm == 0.0:
            return
        indices.extend((columns + self.offset).tolist())
        values.extend((found * (self.weight / norm)).tolist())


class Featurizer:
    """Learns the vocabularies from training texts (token strings) and turns texts into one sparse matrix."""

    def __init__(self, settings: FeatureSettings | None = None) -> None:
        self.settings = settings or FeatureSettings()
        blocks = [
            _Block(partial(word_ngrams, sizes=self.settings.word_ngrams), self.settings.word_weight),
            _Block(partial(char_ngrams, sizes=self.settings.char_ngrams), 1.0),
        ]
        if self.settings.prefix_length:
            blocks.append(_Block(partial(prefixes, length=self.settings.prefix_length), self.settings.prefix_weight))
        self._blocks = tuple(blocks)
        self._words: tuple[str, ...] = ()
        self.width = 0

    def words(self) -> list[str]:
        """The single words the word block learnt, punctuation left out."""
        return list(self._words)

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        parts = []
        offset = 0
        for block in self._blocks:
            matrix, grams = block.fit_transform(texts)
            parts.append(matrix)
            if block is self._blocks[0]:
                self._words = tuple(gram for gram in grams if " " not in gram and any(c.isalnum() for c in gram))
            block.offset = offset
            offset += block.size
        self.width = offset
        matrix = sp.hstack(parts, format="csr", dtype=np.float32)
        matrix.sort_indices()
        return matrix

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        indices: list[int] = []
        values: list[float] = []
        row_starts = [0]
        for text in texts:
            for block in self._blocks:
                block.add(text, indices, values)
            row_starts.append(len(indices))
        matrix = sp.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32), row_starts),
            shape=(len(texts), self.width),
        )
        matrix.sort_indices()
        return matrix
