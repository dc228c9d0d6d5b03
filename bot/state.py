"""A person's conversation state and where it is kept."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from bot.store import StateStore

NAMESPACE = "conversation"
# What a counsellor sees of the conversation before the handover.
RECENT_KEPT = 5


@dataclass
class ConversationState:
    language: str | None = None
    language_chosen: bool = False
    town: str | None = None
    last_intent: str | None = None
    fallback_count: int = 0
    awaiting: str | None = None
    # Mirrors whether a handover ticket is open; the ticket is the truth (staff close it elsewhere).
    handover: bool = False
    recent_texts: list[str] = field(default_factory=list)
    recent_intents: list[str] = field(default_factory=list)
    # The last message answered and its answer (an Outcome's dict), saved in one go with the state the
    # turn left: a worker that dies right after saving cannot leave the turn to be taken twice.
    answered_message: str | None = None
    answer: dict[str, Any] | None = None

    def remember(self, text: str, intent: str | None) -> None:
        if text:
            self.recent_texts = [*self.recent_texts, text][-RECENT_KEPT:]
        if intent:
            self.recent_intents = [*self.recent_intents, intent][-RECENT_KEPT:]

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> ConversationState:
        known = {field.name for field in fields(cls)}
        decoded = json.loads(raw)
        return cls(**{name: value for name, value in decoded.items() if name in known})


class Conversations:
    """Conversation states in a :class:`StateStore`, expiring after ``ttl_seconds`` of silence."""

    def __init__(self, store: StateStore, ttl_seconds: float) -> None:
        self._store = store
        self._ttl = ttl_seconds

    async def load(self, user: str) -> ConversationState:
        raw = await self._store.get(NAMESPACE, user)
        return ConversationState.from_bytes(raw) if raw is not None else ConversationState()

    async def save(self, user: str, state: ConversationState) -> None:
        await self._store.put(NAMESPACE, user, state.to_bytes(), self._ttl)

    async def forget(self, user: str) -> None:
        await self._store.delete(NAMESPACE, user)
