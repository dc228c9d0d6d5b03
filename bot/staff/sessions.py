"""Staff sign-ins: a random token in a cookie, the session record in the state store with a TTL.

The store keeps only the SHA-256 of the token, so a copy of the store (a
backup, a Redis dump) holds no usable session. The record carries the
session's CSRF token and the account's credentials version at sign-in: a
password change or disabling the account ends every older session.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass

from bot.staff.accounts import Account
from bot.store import StateStore

NAMESPACE = "staff:sessions"
COOKIE = "wegweiser_staff"
_MAX_TOKEN_LENGTH = 128


@dataclass(frozen=True)
class StaffSession:
    account: str
    csrf_token: str
    credentials_version: int
    expires_at: float

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> StaffSession:
        return cls(**json.loads(raw))


class Sessions:
    def __init__(self, store: StateStore, lifetime_seconds: float) -> None:
        self._store = store
        self.lifetime_seconds = lifetime_seconds

    async def start(self, account: Account) -> str:
        """A new session for ``account``; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        session = StaffSession(
            account.key, secrets.token_urlsafe(32), account.credentials_version, time.time() + self.lifetime_seconds
        )
        await self._store.put(NAMESPACE, _key(token), session.to_bytes(), ttl_seconds=self.lifetime_seconds)
        return token

    async def find(self, token: str) -> StaffSession | None:
        if not token or len(token) > _MAX_TOKEN_LENGTH:
            return None
        raw = await self._store.get(NAMESPACE, _key(token))
        if raw is None:
            return None
        session = StaffSession.from_bytes(raw)
        return session if session.expires_at > time.time() else None

    async def end(self, token: str) -> None:
        if token and len(token) <= _MAX_TOKEN_LENGTH:
            await self._store.delete(NAMESPACE, _key(token))


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
