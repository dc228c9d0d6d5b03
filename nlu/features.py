"""Sparse text features: TF-IDF of word n-grams and of character n-grams within word boundaries.

Word n-grams carry meaning where the spelling is standard; character n-grams carry it through typos,
inflection, glued Arabic prefixes and the many spellings of Latin-script Farsi and Arabic.
"""

from __future__ import annotations

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


def feature_text(text: str, language: str) -> str:
    """The normalised tokens of a raw text, the input of :class:`Featurizer`."""
    return token_string(tokenize(normalise(text).text, language))


class Featurizer:
    """Fits the vocabularies on training texts (token strings) and turns texts into one sparse matrix."""

    def __init__(self, settings: FeatureSettings | None = None) -> None:
        self.settings = settings or FeatureSettings()
        self._words = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=self.settings.word_ngrams,
            sublinear_tf=self.settings.sublinear_tf,
            dtype=np.float64,
        )
        self._chars = TfidfVectorizer(
            analyzer="char_wb",
            lowercase=False,
            ngram_range=self.settings.char_ngrams,
            sublinear_tf=self.settings.sublinear_tf,
            dtype=np.float64,
        )

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack(
            [self._words.fit_transform(texts), self._chars.fit_transform(texts)], format="csr"
        )

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack([self._words.transform(texts), self._chars.transform(texts)], format="csr")
