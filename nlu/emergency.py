"""The emergency detector: a message of acute danger must never end up as another intent or as "I don't know".

Two independent signals, either of which suffices:

- the ``acute_danger`` lexicon (whole words and phrases after normalisation, in every language);
- a binary classifier "emergency or not" on the intent features, with its own low thresholds: a high-recall
  one on its own, and a lower one for messages the intent classifier is unsure about, where the alternative
  would be a fallback anyway and an unneeded emergency notice costs less than a missed one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from spacy.tokens import Doc

from nlu.classifier import CalibratedSvm, ClassifierSettings
from nlu.gazetteer import Gazetteer, Phrase

EMERGENCY_INTENT = "emergency"
LEXICON_NAME = "acute_danger"
_OTHER = "other"


@dataclass(frozen=True, slots=True)
class EmergencySettings:
    threshold: float = 0.3
    """Detector probability from which a message is an emergency whatever the intent classifier says."""
    uncertain_threshold: float = 0.05
    """Detector probability from which a message the intent classifier would fall back on is an emergency."""


class EmergencyDetector:
    def __init__(self, phrases: Sequence[str], settings: EmergencySettings | None = None) -> None:
        self.settings = settings or EmergencySettings()
        self._lexicon = Gazetteer(Phrase(LEXICON_NAME, phrase, phrase) for phrase in phrases)
        self._model: CalibratedSvm | None = None

    def fit(self, features: sp.csr_matrix, intents: Sequence[str]) -> EmergencyDetector:
        """Trains the classifier; without emergency examples only the lexicon detects."""
        labels = [EMERGENCY_INTENT if intent == EMERGENCY_INTENT else _OTHER for intent in intents]
        if EMERGENCY_INTENT in labels:
            self._model = CalibratedSvm(ClassifierSettings(balanced=True)).fit(features, labels)
        return self

    def probabilities(self, features: sp.csr_matrix) -> np.ndarray:
        if self._model is None:
            return np.zeros(features.shape[0])
        column = self._model.classes.index(EMERGENCY_INTENT)
        return self._model.probabilities(features)[:, column]

    def in_lexicon(self, doc: Doc) -> bool:
        return bool(self._lexicon.find(doc))

    def is_emergency(self, probability: float, in_lexicon: bool, intent_uncertain: bool) -> bool:
        threshold = self.settings.uncertain_threshold if intent_uncertain else self.settings.threshold
        return in_lexicon or probability >= threshold
