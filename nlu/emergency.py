"""The emergency detector: a message of acute danger must never end up as another intent or as "I don't know".

Three signals, any of which suffices:

- the ``acute_danger`` lexicon (whole words and phrases after normalisation, in every language), unless
  negated ("kein Notfall", "not an emergency", "acil durum değil") or part of a harmless phrase from the
  ``harmless_danger_words`` table ("fire exit", "yangın tatbikatı", "first aid course"). A misspelling of a
  long danger word ("Nodfall", "vergewaltikt") counts only where the intent classifier is unsure: many
  ordinary words are one or two letters away from one ("отправилась" from "отравилась", "Einführung" from
  "Entführung", "overcome" from "overdose"), and a message the classifier reads with confidence as another
  intent is that intent;
- the intent classifier's probability of ``emergency``, from a threshold far below that of any other intent;
- for messages the intent classifier is unsure about, a binary classifier "emergency or not" on the intent
  features: there the alternative would be a fallback anyway, and an unneeded emergency notice costs less than
  a missed one. Where the intent classifier is sure of another intent, the binary one is not asked: in
  cross-validation it then caught no emergency the other signals missed, but raised a seventh of the false
  alarms, on single words it had seen in emergencies ("fast", "schnell", "end").

The classifiers speak only about messages with a known word (see :mod:`nlu.vocabulary`): their view of bare
character sequences is noise, and keyboard mash is no emergency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import scipy.sparse as sp
from spacy.tokens import Doc, Token

from nlu.classifier import CalibratedSvm, ClassifierSettings
from nlu.gazetteer import Gazetteer, Phrase, PhraseMatch, compact
from nlu.normalise import normalise
from nlu.vocabulary import Vocabulary

EMERGENCY_INTENT = "emergency"
LEXICON_NAME = "acute_danger"
NEGATION_NAME = "negation"
NEGATION_AFTER_NAME = "negation_after"
HARMLESS_NAME = "harmless_danger_words"
_OTHER = "other"
# A negation negates a danger word up to this many words before it ("not an emergency"); one of the words that
# negate what precedes them (Turkish, Persian) the word right before it. Never across a punctuation mark: in
# "mish 2ader, bade mut" or "кров ллється, не можу зупинити" the negation belongs to another clause.
_NEGATION_BEFORE = 2
_NEGATION_AFTER = 1
_CLAUSE_MARKS = frozenset(".,;:!?…،؛؟")
# Misspelt danger words still count ("Nodfall", "vergewaltikt"), but only long single words: a short word one
# letter away from a danger word is too often another word ("stroke", "strike"), and so is a phrase ("keine
# Luft", "keine Lust").
_FUZZY_MIN_LENGTH = 7


@dataclass(frozen=True, slots=True)
class EmergencySettings:
    intent_threshold: float = 0.25
    """Intent classifier's probability of an emergency from which a message is one. In 4-fold cross-validation
    0.25 lost no emergency that 0.2 caught and raised a fifth fewer false alarms; from 0.28 on, emergencies
    were lost ("help help please quick")."""
    uncertain_threshold: float = 0.3
    """Detector probability from which a message the intent classifier would fall back on is an emergency."""
    classifier: ClassifierSettings = field(default_factory=lambda: ClassifierSettings(c=3.0, tolerance=1e-3))
    """Less regularised than the intent classifier: no ordinary training example may come out as an alarm. Its
    two classes converge slowly to liblinear's default tolerance and gain nothing from it."""


@dataclass(frozen=True, slots=True)
class DangerWords:
    """The lookup tables of the detector."""

    phrases: tuple[str, ...]
    negations: tuple[str, ...] = ()
    """Words that negate a danger word after them."""
    negations_after: tuple[str, ...] = ()
    """Words that negate the danger word right before them."""
    harmless: tuple[str, ...] = ()
    """Phrases that contain a danger word but speak of no danger."""

    @classmethod
    def from_lookups(cls, lookups: Mapping[str, Sequence[str]]) -> DangerWords:
        return cls(
            tuple(lookups.get(LEXICON_NAME, ())),
            tuple(lookups.get(NEGATION_NAME, ())),
            tuple(lookups.get(NEGATION_AFTER_NAME, ())),
            tuple(lookups.get(HARMLESS_NAME, ())),
        )


class EmergencyDetector:
    def __init__(
        self, words: DangerWords, settings: EmergencySettings | None = None, vocabulary: Vocabulary | None = None
    ) -> None:
        """``vocabulary`` holds the words of the training data: only an unknown word can be a misspelt danger
        word, a known one is taken as written."""
        self.settings = settings or EmergencySettings()
        self._lexicon = Gazetteer(
            (Phrase(LEXICON_NAME, phrase, phrase) for phrase in words.phrases),
            frozenset({LEXICON_NAME}),
            fuzzy_min_length=_FUZZY_MIN_LENGTH,
            fuzzy_max_words=1,
        )
        self._harmless = Gazetteer(Phrase(HARMLESS_NAME, phrase, phrase) for phrase in words.harmless)
        self._negations = _keys(words.negations)
        self._negations_after = _keys(words.negations_after)
        self._vocabulary = vocabulary if vocabulary is not None else Vocabulary(())
        self._model: CalibratedSvm | None = None

    def fit(self, features: sp.csr_matrix, intents: Sequence[str]) -> EmergencyDetector:
        """Trains the classifier; without emergency examples only the lexicon detects."""
        labels = [EMERGENCY_INTENT if intent == EMERGENCY_INTENT else _OTHER for intent in intents]
        if EMERGENCY_INTENT in labels:
            self._model = CalibratedSvm(self.settings.classifier).fit(features, labels)
        return self

    def probability(self, features: sp.csr_matrix) -> float:
        """The classifier's probability that the one message of ``features`` is an emergency."""
        if self._model is None or features.nnz == 0:
            return 0.0
        return float(self._model.probabilities(features)[0, self._model.classes.index(EMERGENCY_INTENT)])

    def in_lexicon(self, doc: Doc) -> bool:
        return bool(self.danger_matches(doc))

    def danger_matches(self, doc: Doc) -> list[PhraseMatch]:
        """The danger words and phrases of ``doc``, negated ones and those in harmless phrases left out."""
        harmless = self._harmless.find(doc)
        return [
            match
            for match in self._lexicon.find(doc, self._vocabulary)
            if not self._negated(doc, match) and not any(_within(match, phrase) for phrase in harmless)
        ]

    def _negated(self, doc: Doc, match: PhraseMatch) -> bool:
        before = _clause_words([token for token in doc if token.idx < match.start][::-1])[:_NEGATION_BEFORE]
        after = _clause_words([token for token in doc if token.idx >= match.end])[:_NEGATION_AFTER]
        return bool(self._negations.intersection(before) or self._negations_after.intersection(after))

    def alarm(
        self, features: sp.csr_matrix, doc: Doc, intent_probability: float, intent_uncertain: bool, understood: bool
    ) -> float | None:
        """The confidence that the message is an emergency, or None when it is not one.

        ``intent_probability`` is the intent classifier's probability of an emergency, ``intent_uncertain``
        says that it would answer with the fallback, ``understood`` that the message has a known word.
        """
        matches = self.danger_matches(doc)
        if any(not match.fuzzy for match in matches) or (matches and intent_uncertain):
            return 1.0
        if not understood:
            return None
        if intent_probability >= self.settings.intent_threshold:
            return intent_probability
        if intent_uncertain:
            probability = self.probability(features)
            if probability >= self.settings.uncertain_threshold:
                return probability
        return None


def _keys(words: Sequence[str]) -> frozenset[str]:
    return frozenset(compact(normalise(word).text) for word in words)


def _within(match: PhraseMatch, phrase: PhraseMatch) -> bool:
    return phrase.start <= match.start and match.end <= phrase.end


def _clause_words(tokens: Sequence[Token]) -> list[str]:
    """The compact words of ``tokens`` up to the first punctuation mark between clauses."""
    words: list[str] = []
    for token in tokens:
        if all(char in _CLAUSE_MARKS for char in token.text):
            break
        word = compact(token.text)
        if word:
            words.append(word)
    return words
