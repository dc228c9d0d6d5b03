"""Normalising what people type, before anything tries to understand it.

Channels deliver whatever the platform sends: empty strings, emoji, pasted
documents, control characters. This module decides whether a text can be read
and cleans it; the reasons it gives become polite replies, never errors.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

MAX_LENGTH = 4000

# Persian and Kurdish need the zero-width (non-)joiner; it is not noise there.
_KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}

UnreadableReason = Literal["empty", "no_words", "too_long", "unreadable"]


@dataclass(frozen=True)
class Readable:
    text: str


@dataclass(frozen=True)
class Unreadable:
    reason: UnreadableReason


def read_text(raw: str) -> Readable | Unreadable:
    """Clean ``raw`` for understanding, or say why it cannot be read."""
    if len(raw) > MAX_LENGTH:
        return Unreadable("too_long")
    if not raw.strip():
        return Unreadable("empty")
    cleaned = " ".join("".join(_keep(character) for character in raw).split())
    if not cleaned:
        return Unreadable("unreadable")
    if not any(unicodedata.category(character)[0] in "LN" for character in cleaned):
        return Unreadable("no_words")
    return Readable(cleaned)


def _keep(character: str) -> str:
    category = unicodedata.category(character)
    if category in {"Cc", "Cs", "Co", "Cn"}:
        return " " if character in "\n\r\t" else ""
    if category == "Cf" and character not in _KEPT_FORMAT_CHARACTERS:
        return ""
    return character
