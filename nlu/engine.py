"""The embedded NLU engine: language, intent with fallback, emergency override and entities for one message.

One intent model serves all languages, so a wrong language guess costs little: the features are the
normalised text's word and character n-grams, whichever language they come from.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from nlu.augment import with_greetings
from nlu.classifier import CalibratedSvm, ClassifierSettings
from nlu.emergency import EMERGENCY_INTENT, DangerWords, EmergencyDetector, EmergencySettings
from nlu.entities import EntityExtractor
from nlu.features import FeatureSettings, Featurizer, feature_text
from nlu.langid import LanguageIdentifier
from nlu.normalise import normalise
from nlu.pipeline_config import FallbackSettings
from nlu.result import FALLBACK_INTENT, IntentScore, ParseResult
from nlu.tokenize import MULTILINGUAL, token_string, tokenize
from nlu.training_data import Example, TrainingData
from nlu.vocabulary import Vocabulary

ENGINE_VERSION = "9"
"""Part of every model's fingerprint: raise it when a change to the code makes stored models stale."""

RANKING_LENGTH = 10


@dataclass(frozen=True, slots=True)
class EngineSettings:
    features: FeatureSettings = field(default_factory=FeatureSettings)
    classifier: ClassifierSettings = field(default_factory=ClassifierSettings)
    emergency: EmergencySettings = field(default_factory=EmergencySettings)
    greeting_share: float = 0.1
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
        vocabulary: Vocabulary,
    ) -> None:
        self.featurizer = featurizer
        self.vocabulary = vocabulary
        self.intents = intents
        self.emergency = emergency
        self.entities = entities
        self.languages = languages
        self.fallback = fallback

    def parse(self, text: str) -> ParseResult:
        language = self.languages.identify(text)
        normalised = normalise(text)
        doc = tokenize(normalised.text, language.code)
        tokens = token_string(doc)
        features = self.featurizer.transform([tokens])
        probabilities = self.intents.probabilities(features)[0]
        order = np.argsort(-probabilities)[:RANKING_LENGTH]
        ranking = [IntentScore(self.intents.classes[i], float(probabilities[i])) for i in order]
        # Without a single known or misspelt known word the ranking rests on character sequences alone, which
        # keyboard mash shares with every intent: "I don't know", unless the danger lexicon speaks.
        understood = self.vocabulary.recognises(tokens.split())
        uncertain = not understood or self._uncertain(ranking)
        classes = self.intents.classes
        emergency = float(probabilities[classes.index(EMERGENCY_INTENT)]) if EMERGENCY_INTENT in classes else 0.0
        alarm = self.emergency.alarm(features, doc, emergency, uncertain, understood)
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
    labelled = [example for example in data.examples if example.language is not None]
    texts, languages = [example.text for example in labelled], [str(example.language) for example in labelled]
    # Training only needs joblib (see nlu.classifier).
    from joblib import Parallel, delayed

    # The three classifiers train at once. The language identifier, which needs none of the intent features,
    # trains in a worker process while this one builds them (a joblib generator starts its task at once); then
    # the fits of the intent classifier and the emergency detector run in worker processes too (see
    # nlu.classifier), started from two threads. With a single process, everything runs in this one, one fit
    # after another, as liblinear's shared random generator needs: the generator then runs on ``next``.
    processes = settings.classifier.processes
    identifier = Parallel(processes, return_as="generator")(
        delayed(LanguageIdentifier().fit)(texts, languages) for _ in range(1)
    )
    with ThreadPoolExecutor(2 if processes > 1 else 1) as threads:
        featurizer = Featurizer(settings.features)
        features = featurizer.fit_transform(_feature_texts(examples))
        vocabulary = Vocabulary(featurizer.words())
        detector = EmergencyDetector(DangerWords.from_lookups(data.lookups), settings.emergency, vocabulary)
        classifier = threads.submit(CalibratedSvm(settings.classifier).fit, features, intents)
        emergency = threads.submit(detector.fit, features, intents)
        return NluEngine(
            featurizer=featurizer,
            intents=classifier.result(),
            emergency=emergency.result(),
            entities=EntityExtractor(data),
            languages=next(identifier),
            fallback=fallback,
            vocabulary=vocabulary,
        )
