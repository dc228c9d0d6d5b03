"""Entity extraction: towns, programmes, course levels and language names, with canonical values.

Lookup tables and annotated examples feed a :class:`~nlu.gazetteer.Gazetteer` on the normalised text; the
``regex`` tables are applied case-sensitively to the text as typed. Values are canonical through the synonym
table, offsets index the original text.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from nlu.gazetteer import Gazetteer, Phrase
from nlu.normalise import NormalisedText, normalise
from nlu.result import Entity
from nlu.training_data import TrainingData

ENTITY_TYPES: tuple[str, ...] = ("town", "programme", "course_level", "language")
_FUZZY_ENTITY_TYPES = frozenset({"town", "programme"})
# Annotated words shorter than this are left to the lookup and regex tables: "wir" is a German pronoun.
_MIN_ANNOTATION_KEY = 4


class EntityExtractor:
    def __init__(self, data: TrainingData) -> None:
        # Normalised surface form -> canonical value.
        self._synonyms = {normalise(variant).text: value for variant, value in data.synonyms.items()}
        self._gazetteer = Gazetteer(self._phrases(data), _FUZZY_ENTITY_TYPES)
        self._regexes = [
            (name, re.compile(pattern))
            for name, patterns in data.regexes.items()
            if name in ENTITY_TYPES
            for pattern in patterns
        ]

    def _canonical(self, surface: str) -> str:
        return self._synonyms.get(normalise(surface).text, surface)

    def _phrases(self, data: TrainingData) -> list[Phrase]:
        phrases = [
            Phrase(name, surface, self._canonical(surface))
            for name, surfaces in data.lookups.items()
            if name in ENTITY_TYPES
            for surface in surfaces
        ]
        for example in data.examples:
            for annotation in example.entities:
                surface = example.text[annotation.start : annotation.end]
                if annotation.entity in ENTITY_TYPES and len(normalise(surface).text) >= _MIN_ANNOTATION_KEY:
                    phrases.append(Phrase(annotation.entity, surface, self._canonical(annotation.value)))
        return phrases

    def extract(self, text: str, normalised: NormalisedText, doc: Doc) -> tuple[Entity, ...]:
        """Entities of ``text``; ``doc`` is the tokenized ``normalised`` form of it."""
        candidates = []
        for match in self._gazetteer.find(doc):
            start, end = normalised.original_span(match.start, match.end)
            candidates.append(Entity(match.entity, match.value, start, end, text[start:end]))
        candidates += [
            Entity(name, self._canonical(found.group()), found.start(), found.end(), found.group())
            for name, pattern in self._regexes
            for found in pattern.finditer(text)
        ]
        # Longest first, so that "WIR-OnFIT" is one programme and not "WIR" plus a remainder.
        candidates.sort(key=lambda entity: (entity.start - entity.end, entity.start))
        chosen: list[Entity] = []
        for candidate in candidates:
            if all(candidate.end <= kept.start or candidate.start >= kept.end for kept in chosen):
                chosen.append(candidate)
        return tuple(sorted(chosen, key=lambda entity: entity.start))
