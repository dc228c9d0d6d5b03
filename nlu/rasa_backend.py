"""The ``rasa`` backend: a Rasa server's ``POST /model/parse`` answers, our language identifier adds the
language Rasa does not report."""

from __future__ import annotations

from typing import Any

import httpx

from nlu.langid import LanguageIdentifier
from nlu.result import FALLBACK_INTENT, Entity, IntentScore, LanguageGuess, ParseResult


class NluUnavailable(RuntimeError):
    """The Rasa server could not be reached or did not answer with a parse result."""


class RasaNlu:
    def __init__(self, url: str, timeout_seconds: float, languages: LanguageIdentifier) -> None:
        self.endpoint = f"{url.rstrip('/')}/model/parse"
        self.timeout_seconds = timeout_seconds
        self.languages = languages

    async def parse(self, text: str) -> ParseResult:
        try:
            async with httpx.AsyncClient(timeout=self.timeout_seconds) as client:
                response = await client.post(self.endpoint, json={"text": text})
        except httpx.TimeoutException as error:
            raise NluUnavailable(
                f"Rasa server at {self.endpoint} did not answer within {self.timeout_seconds} s"
            ) from error
        except httpx.HTTPError as error:
            raise NluUnavailable(f"Rasa server at {self.endpoint} is unreachable: {error}") from error
        if response.status_code != httpx.codes.OK:
            raise NluUnavailable(f"Rasa server at {self.endpoint} answered HTTP {response.status_code}")
        try:
            body = response.json()
            return parse_rasa_answer(body, text, self.languages.identify(text))
        except (ValueError, TypeError, KeyError) as error:
            raise NluUnavailable(
                f"Rasa server at {self.endpoint} answered something that is not a parse result: {error}"
            ) from error


def parse_rasa_answer(body: Any, text: str, language: LanguageGuess) -> ParseResult:
    """A :class:`ParseResult` from Rasa's JSON; raises ValueError, TypeError or KeyError on another shape."""
    if not isinstance(body, dict):
        raise TypeError("the answer is not a JSON object")
    intent = _intent(body.get("intent")) or IntentScore(FALLBACK_INTENT, 0.0)
    ranking = tuple(_intent(item) or intent for item in body.get("intent_ranking") or [])
    entities = tuple(_entity(item, text) for item in body.get("entities") or [])
    return ParseResult(text, intent, ranking or (intent,), entities, language)


def _intent(item: Any) -> IntentScore | None:
    if item is None:
        return None
    if not isinstance(item, dict) or not isinstance(item["name"], str):
        raise TypeError(f"an intent must be an object with a name: {item!r}")
    return IntentScore(item["name"], float(item["confidence"]))


def _entity(item: Any, text: str) -> Entity:
    if not isinstance(item, dict):
        raise TypeError(f"an entity must be an object: {item!r}")
    start, end = int(item["start"]), int(item["end"])
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"entity offsets {start}..{end} lie outside the message")
    return Entity(str(item["entity"]), str(item["value"]), start, end, text[start:end])
