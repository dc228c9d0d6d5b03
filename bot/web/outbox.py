"""Messages for web chat users that do not answer a request of theirs (a counsellor's reply).

A web page cannot be called, so the page asks for what arrived since the last
reply it showed; the queue lives in the state store so any worker can answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.channels.delivery import Delivery
from bot.messages import Reply
from bot.store import StateStore

NAMESPACE = "web-outbox"


class WebOutbox:
    def __init__(self, store: StateStore, ttl_seconds: float) -> None:
        self._store = store
        self._ttl = ttl_seconds

    async def deliver(self, user: str, replies: Sequence[Reply]) -> Delivery:
        for reply in replies:
            await self._store.push(NAMESPACE, user, json.dumps(reply.to_dict(), ensure_ascii=False).encode(), self._ttl)
        return Delivery.SENT

    async def since(self, user: str, seen: int) -> tuple[list[dict[str, object]], int]:
        """The replies after the first ``seen`` and the number there are now."""
        if not 0 <= seen <= await self._store.length(NAMESPACE, user):
            # The page counts from an outbox that was deleted since (the person's data): start again.
            seen = 0
        waiting = await self._store.range(NAMESPACE, user, seen)
        return [json.loads(raw) for raw in waiting], seen + len(waiting)

    async def forget(self, user: str) -> None:
        await self._store.delete(NAMESPACE, user)
