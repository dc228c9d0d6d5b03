"""What parsing a message yields, in Rasa's parse shape plus the detected language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FALLBACK_INTENT = "nlu_fallback"
_DIGITS = 4


@dataclass(frozen=True, slots=True)
class IntentScore:
    name: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "confidence": round(self.confidence, _DIGITS)}


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity with its canonical ``value``; ``start``/``end`` index the original message, ``text`` is it."""

    entity: str
    value: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "value": self.value, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "confidence": round(self.confidence, _DIGITS)}


@dataclass(frozen=True, slots=True)
class ParseResult:
    text: str
    intent: IntentScore
    intent_ranking: tuple[IntentScore, ...]
    entities: tuple[Entity, ...]
    language: LanguageGuess

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intent": self.intent.to_dict(),
            "intent_ranking": [score.to_dict() for score in self.intent_ranking],
            "entities": [entity.to_dict() for entity in self.entities],
            "language": self.language.to_dict(),
        }
