"""Sparse text features: TF-IDF of word n-grams and of character n-grams within word boundaries.

Word n-grams carry meaning where the spelling is standard; character n-grams carry it through typos,
inflection, glued Arabic prefixes and the many spellings of Latin-script Farsi and Arabic.
scikit-learn learns the vocabularies and IDF weights; the transform itself is done here, because
``TfidfVectorizer.transform`` spends most of a millisecond on checks for a single short message.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.normalise import normalise
from nlu.tokenize import token_string, tokenize


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 5)
    sublinear_tf: bool = True
    word_weight: float = 0.5
    """Scale of the word block against the character block: characters generalise better to new spellings."""


def feature_text(text: str, language: str) -> str:
    """The normalised tokens of a raw text, the input of :class:`Featurizer`."""
    return token_string(tokenize(normalise(text).text, language))


@dataclass(slots=True)
class _Block:
    vectorizer: TfidfVectorizer
    weight: float
    offset: int = 0


class Featurizer:
    """Fits the vocabularies on training texts (token strings) and turns texts into one sparse matrix."""

    def __init__(self, settings: FeatureSettings | None = None) -> None:
        self.settings = settings or FeatureSettings()
        words = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=self.settings.word_ngrams,
            sublinear_tf=self.settings.sublinear_tf,
        )
        chars = TfidfVectorizer(
            analyzer="char_wb",
            lowercase=False,
            ngram_range=self.settings.char_ngrams,
            sublinear_tf=self.settings.sublinear_tf,
        )
        self._blocks = (_Block(words, self.settings.word_weight), _Block(chars, 1.0))
        self._width = 0

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        offset = 0
        for block in self._blocks:
            block.vectorizer.fit(texts)
            block.offset = offset
            offset += len(block.vectorizer.vocabulary_)
        self._width = offset
        return self.transform(texts)

    @property
    def width(self) -> int:
        return self._width

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        analyzers = [block.vectorizer.build_analyzer() for block in self._blocks]
        indices: list[int] = []
        values: list[float] = []
        row_starts = [0]
        for text in texts:
            for block, analyze in zip(self._blocks, analyzers, strict=True):
                self._add_block(block, analyze(text), indices, values)
            row_starts.append(len(indices))
        matrix = sp.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32), row_starts),
            shape=(len(texts), self._width),
        )
        matrix.sort_indices()
        return matrix

    def _add_block(self, block: _Block, grams: list[str], indices: list[int], values: list[float]) -> None:
        vocabulary: dict[str, int] = block.vectorizer.vocabulary_
        idf: np.ndarray = block.vectorizer.idf_
        found: list[tuple[int, float]] = []
        for gram, count in Counter(grams).items():
            column = vocabulary.get(gram)
            # The space that pads every word is in every text and says nothing about it.
            if column is not None and not gram.isspace():
                tf = 1.0 + math.log(count) if self.settings.sublinear_tf else float(count)
                found.append((column, tf * float(idf[column])))
        norm = math.sqrt(sum(value * value for _, value in found))
        if norm == 0.0:
            return
        scale = block.weight / norm
        for column, value in found:
            indices.append(block.offset + column)
            values.append(value * scale)
