"""Button payloads too long for a platform's id field, kept in the store under a short reference."""

from __future__ import annotations

import hashlib
import re

from bot.store import StateStore

# Payloads always start with "/", so a reference is never mistaken for one.
PREFIX = "#"
# Long enough that a button in an old message still works when it is pressed weeks later.
REFERENCE_TTL_SECONDS = 90 * 24 * 3600
KEY_LENGTH = 24
_KEY = re.compile(f"[0-9a-f]{{{KEY_LENGTH}}}")


class PayloadRefs:
    def __init__(
        self, store: StateStore, namespace: str, limit_bytes: int, ttl_seconds: float = REFERENCE_TTL_SECONDS
    ) -> None:
        self._store = store
        self._namespace = namespace
        self._limit = limit_bytes
        self._ttl = ttl_seconds

    async def encode(self, payload: str) -> str:
        """``payload`` itself if it fits the limit, else a reference to it."""
        if len(payload.encode()) <= self._limit and not payload.startswith(PREFIX):
            return payload
        key = hashlib.sha256(payload.encode()).hexdigest()[:KEY_LENGTH]
        await self._store.put(self._namespace, key, payload.encode(), self._ttl)
        return PREFIX + key

    async def decode(self, data: str) -> str:
        """The payload that ``data`` stands for; unknown references come back unchanged."""
        key = data.removeprefix(PREFIX)
        if key == data or not _KEY.fullmatch(key):
            return data
        stored = await self._store.get(self._namespace, key)
        return stored.decode() if stored is not None else data
