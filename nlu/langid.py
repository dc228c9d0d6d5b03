"""Language identification for short chat messages.

Three kinds of evidence are combined:

- the script, and letters only one candidate language uses (Persian پ چ ژ گ, Ukrainian і ї є ґ, ...);
- lingua's statistical models, good on ordinary sentences in the languages it knows;
- a character n-gram model trained on the project's own examples, which knows chat spellings, greetings and
  Latin-script Farsi (Finglish) and Arabic (Arabizi), which lingua takes for Somali or English.

When a message mixes scripts, the non-Latin words decide: "wo ist Jobcenter مكتب" comes from someone who
writes Arabic and knows a few German words. The confidence is lowered by the share of the other script, so
the dialogue can offer a choice of language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from nlu.classifier import CalibratedSvm, ClassifierSettings
from nlu.features import FeatureSettings, Featurizer
from nlu.languages import DEFAULT_LANGUAGE
from nlu.result import LanguageGuess

LATIN: Final = "latin"
ARABIC: Final = "arabic"
CYRILLIC: Final = "cyrillic"
ETHIOPIC: Final = "ethiopic"

_SCRIPT_RANGES: tuple[tuple[str, int, int], ...] = (
    (ARABIC, 0x0600, 0x06FF),
    (ARABIC, 0x0750, 0x077F),
    (ARABIC, 0x08A0, 0x08FF),
    (ARABIC, 0xFB50, 0xFDFF),
    (ARABIC, 0xFE70, 0xFEFF),
    (CYRILLIC, 0x0400, 0x052F),
    (ETHIOPIC, 0x1200, 0x139F),
    (ETHIOPIC, 0x2D80, 0x2DDF),
    (LATIN, 0x0041, 0x024F),
    (LATIN, 0x1E00, 0x1EFF),
)

_CANDIDATES: dict[str, tuple[str, ...]] = {
    LATIN: ("de", "en", "tr", "fa", "ar", "fr", "so", "ku"),
    ARABIC: ("ar", "fa", "ps", "ckb"),
    CYRILLIC: ("uk", "ru"),
    ETHIOPIC: ("ti",),
}

_LINGUA_LANGUAGES = {
    Language.GERMAN: "de",
    Language.ENGLISH: "en",
    Language.ARABIC: "ar",
    Language.PERSIAN: "fa",
    Language.UKRAINIAN: "uk",
    Language.RUSSIAN: "ru",
    Language.TURKISH: "tr",
    Language.FRENCH: "fr",
    Language.SOMALI: "so",
}


@dataclass(frozen=True, slots=True)
class _Marker:
    """Letters that only ``language`` uses among the candidates of its script."""

    language: str
    letters: frozenset[str]
    weight: float


_MARKERS: tuple[_Marker, ...] = (
    _Marker("ps", frozenset("ټډړږښګڼۍې"), 40.0),
    _Marker("ckb", frozenset("ڕڵۆێە"), 40.0),
    _Marker("fa", frozenset("پچژگیک"), 4.0),
    _Marker("ar", frozenset("ةيكىؤإأ"), 4.0),
    _Marker("uk", frozenset("іїєґ"), 20.0),
    _Marker("ru", frozenset("ыэъё"), 20.0),
    _Marker("ku", frozenset("êîû"), 3.0),
)
# Arabizi writes ع ح ق ء خ as 3 7 9 2 5 inside words: "3ayez", "7abibi", "la2".
_ARABIZI_DIGIT = re.compile(r"[a-z][23579]|[23579][a-z]", re.IGNORECASE)
_ARABIZI_WEIGHT = 6.0
_MAX_MARKER_COUNT = 3
# The domain model knows only the seven languages of the training data and is sure of itself even on others:
# lingua keeps enough weight to call "Bonjour, je cherche un cours d'allemand" French.
_DOMAIN_WEIGHT = 0.55
# Candidates without a model of their own (ps ckb ku ti) start from this share and need marker letters.
_FLOOR = 0.01
_DOMAIN_FEATURES = FeatureSettings(word_ngrams=(1, 1), char_ngrams=(1, 4), word_weight=1.0, prefix_length=0)
# Softly calibrated: a word written in several languages ("ok", "salam") must leave the domain model unsure.
# The SVM alone: _DOMAIN_WEIGHT was chosen against its confidences; with naive Bayes beside it the domain model
# grew less sure of what only this project's data knows, and lingua's Turkish won "salam".
_DOMAIN_CLASSIFIER = ClassifierSettings(c=1.0, balanced=True, calibration_c=0.1, naive_bayes_alpha=None)


def script_of(char: str) -> str | None:
    code = ord(char)
    for script, low, high in _SCRIPT_RANGES:
        if low <= code <= high:
            return script if char.isalpha() else None
    return "other" if char.isalpha() else None


def _letters_by_script(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in text:
        script = script_of(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


def _words_in(text: str, script: str) -> str:
    return " ".join(word for word in text.split() if any(script_of(char) == script for char in word))


def _fold(text: str) -> str:
    # Unlike the intent features, keep the letters that tell Persian from Arabic and Turkish from German.
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def _lingua() -> LanguageDetector:
    # Low-accuracy mode: trigram models only, about 20 MB instead of 300, and the domain model covers what
    # lingua loses on very short texts.
    return (
        LanguageDetectorBuilder.from_languages(*_LINGUA_LANGUAGES)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def _lingua_scores(text: str) -> dict[str, float]:
    return {
        _LINGUA_LANGUAGES[value.language]: value.value for value in _lingua().compute_language_confidence_values(text)
    }


class LanguageIdentifier:
    """Identifies the language of a message; trained on examples labelled with their language."""

    def __init__(self) -> None:
        self._featurizer = Featurizer(_DOMAIN_FEATURES)
        self._model: CalibratedSvm | None = None

    def fit(self, texts: Sequence[str], languages: Sequence[str]) -> LanguageIdentifier:
        """Learns the project's own spellings; with examples of fewer than two languages, lingua decides."""
        if len(set(languages)) >= 2:
            features = self._featurizer.fit_transform([_fold(text) for text in texts])
            self._model = CalibratedSvm(_DOMAIN_CLASSIFIER).fit(features, languages)
        return self

    def _domain_scores(self, text: str) -> dict[str, float]:
        if self._model is None:
            return {}
        row = self._model.probabilities(self._featurizer.transform([_fold(text)]))[0]
        return dict(zip(self._model.classes, (float(p) for p in row), strict=True))

    def identify(self, text: str) -> LanguageGuess:
        text = unicodedata.normalize("NFKC", text)
        counts = _letters_by_script(text)
        total = sum(counts.values())
        known = {script: count for script, count in counts.items() if script in _CANDIDATES}
        if not known:
            return LanguageGuess(DEFAULT_LANGUAGE, 0.0)
        non_latin = {script: count for script, count in known.items() if script != LATIN}
        script = max(non_latin, key=non_latin.__getitem__) if non_latin else LATIN
        share = known[script] / total
        candidates = _CANDIDATES[script]
        if len(candidates) == 1:
            return LanguageGuess(candidates[0], share)
        words = _words_in(text, script)
        scores = self._scores(words, candidates)
        best = max(scores, key=scores.__getitem__)
        return LanguageGuess(best, scores[best] * share)

    def _scores(self, words: str, candidates: tuple[str, ...]) -> dict[str, float]:
        domain = self._domain_scores(words)
        lingua = _lingua_scores(words)
        domain_total = sum(domain.get(code, 0.0) for code in candidates) or 1.0
        lingua_total = sum(lingua.get(code, 0.0) for code in candidates) or 1.0
        domain_weight = _DOMAIN_WEIGHT if domain else 0.0
        scores: dict[str, float] = {}
        for code in candidates:
            combined = (
                domain_weight * domain.get(code, 0.0) / domain_total
                + (1 - domain_weight) * lingua.get(code, 0.0) / lingua_total
            )
            scores[code] = max(combined, _FLOOR) * _evidence(words, code)
        total = sum(scores.values())
        return {code: score / total for code, score in scores.items()}


def _evidence(words: str, code: str) -> float:
    factor = 1.0
    for marker in _MARKERS:
        if marker.language == code:
            count = sum(char in marker.letters for char in words)
            factor *= marker.weight ** min(count, _MAX_MARKER_COUNT)
    if code == "ar" and _ARABIZI_DIGIT.search(words):
        factor *= _ARABIZI_WEIGHT
    return factor
