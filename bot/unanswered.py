"""Questions the bot could not answer with confidence, kept for staff to teach it, without the person's identity.

At the end of every turn the dialogue hands the turn to :meth:`UnansweredQuestions.record`. A typed message
that ended in ``nlu_fallback``, or whose intent the NLU was less than :data:`LOW_CONFIDENCE` sure of, is
kept with its text, language, time and what the NLU guessed: no user id, no channel, nothing that links it
to a conversation. Emergencies and messages written during a handover (a conversation with a counsellor) are
never kept. Each message expires after :data:`RETENTION_SECONDS`; staff assign it to an intent or dismiss it
(:mod:`bot.staff.unanswered`), which removes it at once.

Store layout, namespace ``unanswered``: one value per message under a key that sorts by time.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.messages import Outcome
from bot.store import StateStore
from nlu import FALLBACK_INTENT
from nlu.emergency import EMERGENCY_INTENT
from nlu.languages import CORE_LANGUAGES

if TYPE_CHECKING:
    from bot.dialogue import Understanding

NAMESPACE = "unanswered"
RETENTION_SECONDS = 90 * 24 * 3600.0
LOW_CONFIDENCE = 0.6
"""An answered message whose intent had a lower confidence than this counts as unanswered too."""
MAX_TEXT_LENGTH = 500
"""Longer messages are letters, not questions to learn from; they are not kept."""
MAX_LISTED = 2000
"""The newest this many are listed; older ones wait until these are handled or expire."""


class Reason(StrEnum):
    FALLBACK = "fallback"
    UNSURE = "unsure"


@dataclass(frozen=True)
class UnansweredMessage:
    id: str
    text: str
    language: str
    at: float
    reason: Reason
    guess: str | None
    """The intent the NLU ranked first (the one answered, for an unsure answer)."""
    confidence: float

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> UnansweredMessage:
        fields = json.loads(raw)
        return cls(**{**fields, "reason": Reason(fields["reason"])})


def unanswered_from(understanding: Understanding, outcome: Outcome, at: float) -> UnansweredMessage | None:
    """The message to keep from a finished turn, or None when the turn was answered (or must not be kept)."""
    text = understanding.text
    if not text or len(text) > MAX_TEXT_LENGTH or outcome.handover or understanding.notice is not None:
        return None
    if understanding.intent in {None, EMERGENCY_INTENT}:
        return None
    scores = [(str(score["name"]), float(score["confidence"])) for score in understanding.ranking]
    if understanding.intent == FALLBACK_INTENT:
        reason = Reason.FALLBACK
        guess, confidence = next(((name, value) for name, value in scores if name != FALLBACK_INTENT), (None, 0.0))
    else:
        confidence = next((value for name, value in scores if name == understanding.intent), 1.0)
        if confidence >= LOW_CONFIDENCE:
            return None
        reason, guess = Reason.UNSURE, understanding.intent
    language = understanding.language if understanding.language in CORE_LANGUAGES else outcome.language
    key = f"{at:017.6f}-{secrets.token_hex(4)}"
    return UnansweredMessage(key, text, str(language), at, reason, guess, confidence)


class UnansweredQuestions:
    """The unanswered messages of every worker, in the state store."""

    def __init__(self, store: StateStore, retention_seconds: float = RETENTION_SECONDS) -> None:
        self._store = store
        self._retention_seconds = retention_seconds

    async def record(self, channel: str, understanding: Understanding, outcome: Outcome) -> None:
        """Keep the turn's message if the bot could not answer it with confidence (the channel is not kept)."""
        message = unanswered_from(understanding, outcome, time.time())
        if message is not None:
            await self._store.put(NAMESPACE, message.id, message.to_bytes(), self._retention_seconds)

    async def newest(self, limit: int = MAX_LISTED) -> list[UnansweredMessage]:
        """Up to ``limit`` messages, newest first."""
        keys = (await self._store.keys(NAMESPACE))[-limit:]
        return await self.get(reversed(keys))

    async def count(self) -> int:
        return len(await self._store.keys(NAMESPACE))

    async def get(self, ids: Iterable[str]) -> list[UnansweredMessage]:
        """The messages of ``ids`` that still exist, in the order given."""
        found = []
        for key in ids:
            raw = await self._store.get(NAMESPACE, key)
            if raw is not None:
                found.append(UnansweredMessage.from_bytes(raw))
        return found

    async def remove(self, ids: Iterable[str]) -> None:
        for key in ids:
            await self._store.delete(NAMESPACE, key)
