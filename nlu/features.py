"""Sparse text features: TF-IDF of word n-grams and of character n-grams within word boundaries.

Word n-grams carry meaning where the spelling is standard; character n-grams carry it through typos,
inflection, glued Arabic prefixes and the many spellings of Latin-script Farsi and Arabic.
Written out here rather than taken from scikit-learn's ``TfidfVectorizer``: that one spends most of a
millisecond on checks for a single short message, and a serving process should not need scikit-learn.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import scipy.sparse as sp

from nlu.normalise import normalise
from nlu.tokenize import token_string, tokenize


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 5)
    word_weight: float = 0.5
    """Scale of the word block against the character block: characters generalise better to new spellings."""


def feature_text(text: str, language: str) -> str:
    """The normalised tokens of a raw text, the input of :class:`Featurizer`."""
    return token_string(tokenize(normalise(text).text, language))


def word_ngrams(text: str, sizes: tuple[int, int]) -> list[str]:
    words = text.split()
    low, high = sizes
    return [" ".join(words[i : i + n]) for n in range(low, high + 1) for i in range(len(words) - n + 1)]


def char_ngrams(text: str, sizes: tuple[int, int]) -> list[str]:
    """Character n-grams of each word padded with one space on either side, as scikit-learn's ``char_wb``.

    The padding space alone is left out: it is in every text and says nothing about any.
    """
    low, high = sizes
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(low, min(high, len(padded)) + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return [gram for gram in grams if not gram.isspace()]


@dataclass(slots=True)
class _Block:
    """One kind of n-gram: its vocabulary, inverse document frequencies and place in the feature vector."""

    grams: Callable[[str], list[str]]
    weight: float
    vocabulary: dict[str, int] = field(default_factory=dict)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    offset: int = 0

    def fit(self, texts: Sequence[str], offset: int) -> None:
        frequency: Counter[str] = Counter()
        for text in texts:
            frequency.update(set(self.grams(text)))
        self.vocabulary = {gram: index for index, gram in enumerate(sorted(frequency))}
        documents = np.array([frequency[gram] for gram in self.vocabulary], dtype=np.float64)
        # Smoothed as in scikit-learn: as if one more document contained every n-gram once.
        self.idf = np.log((1 + len(texts)) / (1 + documents)) + 1
        self.offset = offset

    def add(self, text: str, indices: list[int], values: list[float]) -> None:
        """Appends the text's L2-normalised, sublinear TF-IDF values, scaled by the block's weight."""
        found: list[tuple[int, float]] = []
        for gram, count in Counter(self.grams(text)).items():
            column = self.vocabulary.get(gram)
            if column is not None:
                found.append((column, (1.0 + math.log(count)) * float(self.idf[column])))
        norm = math.sqrt(sum(value * value for _, value in found))
        if norm == 0.0:
            return
        scale = self.weight / norm
        for column, value in found:
            indices.append(self.offset + column)
            values.append(value * scale)


class Featurizer:
    """Learns the vocabularies from training texts (token strings) and turns texts into one sparse matrix."""

    def __init__(self, settings: FeatureSettings | None = None) -> None:
        self.settings = settings or FeatureSettings()
        self._blocks = (
            _Block(partial(word_ngrams, sizes=self.settings.word_ngrams), self.settings.word_weight),
            _Block(partial(char_ngrams, sizes=self.settings.char_ngrams), 1.0),
        )
        self.width = 0

    @property
    def word_columns(self) -> int:
        """The word n-gram block comes first: columns below this number are known words."""
        return len(self._blocks[0].vocabulary)

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        offset = 0
        for block in self._blocks:
            block.fit(texts, offset)
            offset += len(block.vocabulary)
        self.width = offset
        return self.transform(texts)

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
