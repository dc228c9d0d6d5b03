"""Buttons and the language of the conversation, as every action needs them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.content_access import catalogue
from bot.payload import make_payload
from content.models import Catalogue

DEFAULT_LANGUAGE = "de"


def language_of(tracker: Tracker) -> str:
    """The conversation's language, or German when it has none yet."""
    language = tracker.get_slot("language")
    return language if isinstance(language, str) and language else DEFAULT_LANGUAGE


def catalogue_for(tracker: Tracker) -> Catalogue:
    return catalogue(language_of(tracker))


def topic_button(topics: Catalogue, intent: str, **entities: str) -> dict[str, Any]:
    return {"title": topics.answers[intent].title, "payload": make_payload(intent, **entities)}


def counsellor_button(topics: Catalogue) -> dict[str, Any]:
    return {"title": topics.messages.talk_to_person, "payload": make_payload("human_handover")}


def language_buttons(topics: Catalogue) -> list[dict[str, Any]]:
    return [
        {"title": language.name, "payload": make_payload("change_language", language=code)}
        for code, language in topics.languages.items()
        if language.core
    ]


def menu_buttons(topics: Catalogue) -> list[dict[str, Any]]:
    return [
        counsellor_button(topics) if intent == "human_handover" else topic_button(topics, intent)
        for intent in topics.menu
    ]
