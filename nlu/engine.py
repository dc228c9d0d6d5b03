"""The embedded NLU engine: language, intent with fallback, emergency override and entities for one message.

One intent model serves all languages, so a wrong language guess costs little: the features are the
normalised text's word and character n-grams, whichever language they come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from nlu.augment import with_greetings
from nlu.classifier import CalibratedSvm, ClassifierSettings
from nlu.emergency import EMERGENCY_INTENT, LEXICON_NAME, NEGATION_NAME, EmergencyDetector, EmergencySettings
from nlu.entities import EntityExtractor
from nlu.features import FeatureSettings, Featurizer, feature_text
from nlu.langid import LanguageIdentifier
from nlu.normalise import normalise
from nlu.pipeline_config import FallbackSettings
from nlu.result import FALLBACK_INTENT, IntentScore, ParseResult
from nlu.tokenize import MULTILINGUAL, token_string, tokenize
from nlu.training_data import Example, TrainingData

ENGINE_VERSION = "3"
"""Part of every model's fingerprint: raise it when a change to the code makes stored models stale."""

RANKING_LENGTH = 10


@dataclass(frozen=True, slots=True)
class EngineSettings:
    features: FeatureSettings = field(default_factory=FeatureSettings)
    classifier: ClassifierSettings = field(default_factory=ClassifierSettings)
    emergency: EmergencySettings = field(default_factory=EmergencySettings)
    greeting_share: float = 0.25
    """Share of the examples also trained with a greeting in front (see :mod:`nlu.augment`)."""


class NluEngine:
    def __init__(
        self,
        featurizer: Featurizer,
        intents: CalibratedSvm,
        emergency: EmergencyDetector,
        entities: EntityExtractor,
        languages: LanguageIdentifier,
        fallback: FallbackSettings,
    ) -> None:
        self.featurizer = featurizer
        self.intents = intents
        self.emergency = emergency
        self.entities = entities
        self.languages = languages
        self.fallback = fallback

    def parse(self, text: str) -> ParseResult:
        language = self.languages.identify(text)
        normalised = normalise(text)
        doc = tokenize(normalised.text, language.code)
        features = self.featurizer.transform([token_string(doc)])
        probabilities = self.intents.probabilities(features)[0]
        order = np.argsort(-probabilities)[:RANKING_LENGTH]
        ranking = [IntentScore(self.intents.classes[i], float(probabilities[i])) for i in order]
        # Without a single known word the ranking rests on character sequences alone, which keyboard
        # mashing shares with every intent: "I don't know". The emergency detector still decides, with its
        # low threshold for uncertain messages, because an unknown spelling of danger must not be lost.
        known = features.nnz > 0 and int(features.indices.min()) < self.featurizer.word_columns
        uncertain = not known or self._uncertain(ranking)
        alarm = self.emergency.alarm(features, doc, uncertain)
        if known and ranking[0].name == EMERGENCY_INTENT:
            alarm = max(alarm or 0.0, ranking[0].confidence)
        if alarm is not None:
            intent = IntentScore(EMERGENCY_INTENT, alarm)
            ranking = [intent, *(score for score in ranking if score.name != EMERGENCY_INTENT)]
        elif uncertain:
            intent = IntentScore(FALLBACK_INTENT, self.fallback.threshold)
            ranking = [intent, *ranking]
        else:
            intent = ranking[0]
        return ParseResult(
            text=text,
            intent=intent,
            intent_ranking=tuple(ranking),
            entities=self.entities.extract(text, normalised, doc),
            language=language,
        )

    def _uncertain(self, ranking: list[IntentScore]) -> bool:
        best = ranking[0].confidence
        second = ranking[1].confidence if len(ranking) > 1 else 0.0
        return best < self.fallback.threshold or best - second < self.fallback.ambiguity_threshold


def _feature_texts(examples: Sequence[Example]) -> list[str]:
    return [feature_text(example.text, example.language or MULTILINGUAL) for example in examples]


def train_engine(data: TrainingData, fallback: FallbackSettings, settings: EngineSettings | None = None) -> NluEngine:
    settings = settings or EngineSettings()
    if not data.examples:
        raise ValueError("no training examples")
    examples = [*data.examples, *with_greetings(data.examples, settings.greeting_share)]
    intents = [example.intent for example in examples]
    featurizer = Featurizer(settings.features)
    features = featurizer.fit_transform(_feature_texts(examples))
    labelled = [example for example in data.examples if example.language is not None]
    return NluEngine(
        featurizer=featurizer,
        intents=CalibratedSvm(settings.classifier).fit(features, intents),
        emergency=EmergencyDetector(
            data.lookups.get(LEXICON_NAME, ()), data.lookups.get(NEGATION_NAME, ()), settings.emergency
        ).fit(features, intents),
        entities=EntityExtractor(data),
        languages=LanguageIdentifier().fit(
            [example.text for example in labelled], [str(example.language) for example in labelled]
        ),
        fallback=fallback,
    )
