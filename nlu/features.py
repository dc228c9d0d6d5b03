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
    word_weight: float = 0.5
    """Scale of the word block against the character block: characters generalise better to new spellings."""


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
        self._words.fit(texts)
        self._chars.fit(texts)
        return self.transform(texts)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        words = self._words.transform(texts) * self.settings.word_weight
        return sp.hstack([words, self._chars.transform(texts)], format="csr")
