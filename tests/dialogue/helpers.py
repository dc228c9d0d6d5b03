"""What tests of conversations need to read replies as a person would."""

from __future__ import annotations

import re
from typing import Any

from bot.config import DEFAULT_CONTENT_DIR
from content.models import Catalogue
from content.store import load_content

ISOLATES = re.compile("[\u2066-\u2069]")
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
CYRILLIC = re.compile("[\u0400-\u04ff]")

CONTENT = load_content(DEFAULT_CONTENT_DIR)


def catalogue(language: str) -> Catalogue:
    return CONTENT.catalogue(language)


def shown(answer: dict[str, Any]) -> str:
    """All reply texts of an answer as a person sees them (directional isolates are invisible)."""
    return ISOLATES.sub("", "\n".join(reply["text"] for reply in answer["replies"]))


def payloads(answer: dict[str, Any]) -> list[str]:
    return [button["payload"] for reply in answer["replies"] for button in reply["buttons"]]


def one_line(text: str) -> str:
    return " ".join(text.split())
