"""The words of the training data, and whether a message's words are among them or misspellings of them.

A message is understood when one of its words is known: character n-grams alone are shared by keyboard mash
("asdf qwer", "bla bla") and every intent alike. A word of five letters or more also counts as known when it is
another form of a known word, sharing its first five letters ("merdivenden", "kalkamıyor"), and when it is a
misspelling of one, one edit away (two from eight letters on) with the same first letter ("tschüs",
"dankschön", "nodfall"); an Arabic word counts when it is known without a proclitic ("بالبولیس"). Shorter words
have too many neighbours for a likeness to mean anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from nlu.gazetteer import allowed_edits, proclitic_stems

_MIN_LENGTH = 5


class Vocabulary:
    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)
        self._prefixes = frozenset(word[:_MIN_LENGTH] for word in self._words if len(word) >= _MIN_LENGTH)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self._words:
            if len(word) >= _MIN_LENGTH - 1 and word.isalpha():
                by_initial[word[0]].append(word)
        self._by_initial = {initial: tuple(words) for initial, words in by_initial.items()}

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __len__(self) -> int:
        return len(self._words)

    def resembles(self, word: str) -> bool:
        """Whether ``word`` is known, another form or a misspelling of a known word."""
        if word in self._words or any(stem in self._words for stem in proclitic_stems(word)):
            return True
        if len(word) < _MIN_LENGTH or not word.isalpha():
            return False
        if word[:_MIN_LENGTH] in self._prefixes:
            return True
        edits = allowed_edits(len(word))
        candidates = self._by_initial.get(word[0], ())
        return process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=edits) is not None

    def recognises(self, words: Iterable[str]) -> bool:
        return any(self.resembles(word) for word in words)
