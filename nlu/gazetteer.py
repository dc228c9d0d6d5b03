"""Finding listed phrases (towns, programmes, danger words) in a tokenized, normalised message.

Phrases and messages are compared in a compact form: the normalised tokens of a window joined without spaces
and punctuation, so that "Bad-Hersfeld", "Bad Hersfeld" and "BadHersfeld" are one key whatever a language's
tokenizer does with hyphens or apostrophes. A window always starts and ends at token boundaries, so a phrase
never matches inside a word, except for two kinds of affix people glue onto names: Arabic proclitics
("وبيبرا", "بالعربي") and Turkish case endings after an apostrophe ("Bebra'da").
Typos are matched only for the entity types that ask for it, only on words of five letters or more, only with
the first letter right and at most one edit (two from eight letters on).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import partial

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.tokens import Doc, Token

from nlu.normalise import normalise

# Longest first, so that "وال" is tried before "و". After normalisation ك is ک.
_ARABIC_PROCLITICS = ("وبال", "وال", "بال", "لل", "فال", "وب", "ول", "ال", "و", "ب", "ل", "ف", "ک")
_MIN_STEM = 3
_MAX_WINDOW_TOKENS = 8
_FUZZY_MIN_LENGTH = 5
_FUZZY_TWO_EDITS_LENGTH = 8
_FUZZY_MAX_WINDOW_TOKENS = 2


@dataclass(frozen=True, slots=True)
class Phrase:
    entity: str
    surface: str
    value: str


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A phrase found in a message; ``start``/``end`` index the normalised text."""

    entity: str
    value: str
    start: int
    end: int
    fuzzy: bool = False
    """Found as a misspelling of the phrase, not as written."""


def compact(text: str) -> str:
    return "".join(char for char in text if char.isalnum())


def _is_arabic_letter(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff"


def proclitic_stems(word: str) -> list[str]:
    """``word`` without each Arabic proclitic it may start with: "بالعربی" gives "عربی", "العربی"..."""
    if not word or not _is_arabic_letter(word[0]):
        return []
    return [word[len(p) :] for p in _ARABIC_PROCLITICS if word.startswith(p) and len(word) - len(p) >= _MIN_STEM]


def _phrase_key(surface: str) -> str:
    return compact(normalise(surface).text)


def allowed_edits(length: int) -> int:
    """Edits a fuzzy match of a word of ``length`` letters may differ by."""
    return 2 if length >= _FUZZY_TWO_EDITS_LENGTH else 1


class Gazetteer:
    def __init__(
        self,
        phrases: Iterable[Phrase],
        fuzzy_entities: frozenset[str] = frozenset(),
        fuzzy_min_length: int = _FUZZY_MIN_LENGTH,
        fuzzy_max_words: int = _FUZZY_MAX_WINDOW_TOKENS,
    ) -> None:
        self._fuzzy_min_length = fuzzy_min_length
        self._fuzzy_max_words = fuzzy_max_words
        self._exact: dict[str, tuple[str, str]] = {}
        fuzzy: dict[str, tuple[str, str]] = {}
        for phrase in phrases:
            key = _phrase_key(phrase.surface)
            if not key:
                continue
            self._exact.setdefault(key, (phrase.entity, phrase.value))
            words = len(normalise(phrase.surface).text.split())
            if phrase.entity in fuzzy_entities and len(key) >= fuzzy_min_length and words <= fuzzy_max_words:
                fuzzy.setdefault(key, (phrase.entity, phrase.value))
        self._fuzzy_keys = list(fuzzy)
        self._fuzzy_targets = list(fuzzy.values())

    def find(self, doc: Doc, known: Container[str] = frozenset()) -> list[PhraseMatch]:
        """The phrases in ``doc``; a window of words that are all in ``known`` is matched exactly only: a known
        word is no misspelling."""
        words = [token for token in doc if compact(token.text)]
        matches: list[PhraseMatch] = []
        taken = [False] * len(words)
        for finder in (self._exact_at, partial(self._fuzzy_at, known=known)):
            index = 0
            while index < len(words):
                found = None if taken[index] else finder(words, taken, index)
                if found is None:
                    index += 1
                    continue
                match, width = found
                matches.append(match)
                for covered in range(index, index + width):
                    taken[covered] = True
                index += width
        return sorted(matches, key=lambda match: match.start)

    def _exact_at(self, words: list[Token], taken: list[bool], index: int) -> tuple[PhraseMatch, int] | None:
        last = min(len(words), index + _MAX_WINDOW_TOKENS)
        for end in range(last, index, -1):
            if any(taken[index:end]):
                continue
            window = words[index:end]
            for prefix, suffix in _affix_variants(window):
                texts = [token.text for token in window]
                texts[0] = texts[0][len(prefix) :]
                texts[-1] = texts[-1][: len(texts[-1]) - len(suffix)]
                target = self._exact.get(compact("".join(texts)))
                if target is not None:
                    start = window[0].idx + len(prefix)
                    stop = window[-1].idx + len(window[-1].text) - len(suffix)
                    return PhraseMatch(target[0], target[1], start, stop), len(window)
        return None

    def _fuzzy_at(
        self, words: list[Token], taken: list[bool], index: int, known: Container[str]
    ) -> tuple[PhraseMatch, int] | None:
        if not self._fuzzy_keys:
            return None
        last = min(len(words), index + self._fuzzy_max_words)
        for end in range(last, index, -1):
            if any(taken[index:end]):
                continue
            window = words[index:end]
            if all(token.text in known for token in window):
                continue
            query = compact("".join(token.text for token in window))
            if len(query) < self._fuzzy_min_length or not query.isalpha():
                continue
            best = process.extractOne(query, self._fuzzy_keys, scorer=OSA.distance, score_cutoff=2)
            if best is None:
                continue
            key, distance, position = best
            if key[0] != query[0] or distance > allowed_edits(min(len(key), len(query))):
                continue
            entity, value = self._fuzzy_targets[position]
            start = window[0].idx
            end = window[-1].idx + len(window[-1].text)
            return PhraseMatch(entity, value, start, end, fuzzy=True), len(window)
        return None


def _affix_variants(window: list[Token]) -> list[tuple[str, str]]:
    """(prefix, suffix) pairs to strip from the window's first and last token, the bare window first."""
    first = window[0].text
    last = window[-1].text
    prefixes = ["", *(first[: len(first) - len(stem)] for stem in proclitic_stems(first))]
    suffixes = [""]
    apostrophe = last.find("'")
    if apostrophe > 0 and unicodedata.category(last[0]).startswith("L") and not _is_arabic_letter(last[0]):
        suffixes.append(last[apostrophe:])
    return [(prefix, suffix) for prefix in prefixes for suffix in suffixes]
