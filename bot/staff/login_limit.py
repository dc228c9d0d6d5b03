"""The sign-in limit: too many failed attempts for one account name or from one address within a window.

Failures are timestamps in queues of the state store (namespace
``staff:login-failures``), so the limit holds across workers. A queue
expires one window after its last failure; the rare queue that keeps
growing under a slow, steady stream of failures is cut back to its newest
entries.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.store import StateStore

NAMESPACE = "staff:login-failures"
# A queue longer than this many times its limit is cut back to the limit's worth of newest failures.
_COMPACT_FACTOR = 8


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    window_seconds: float


class LoginLimit:
    def __init__(self, store: StateStore, limits: LoginLimits) -> None:
        self._store = store
        self._limits = limits

    async def wait_seconds(self, account_key: str, address: str) -> float:
        """How long sign-ins for ``account_key`` or from ``address`` stay refused; 0 when they are allowed."""
        now = time.time()
        waits = [
            await self._wait(queue, limit, now)
            for queue, limit in self._queues(account_key, address)
        ]
        return max(waits)

    async def failed(self, account_key: str, address: str) -> None:
        now = time.time()
        for queue, limit in self._queues(account_key, address):
            length = await self._store.push(
                NAMESPACE, queue, repr(now).encode(), ttl_seconds=self._limits.window_seconds
            )
            if length > limit * _COMPACT_FACTOR:
                newest = await self._store.range(NAMESPACE, queue, -limit, -1)
                await self._store.delete(NAMESPACE, queue)
                for value in newest:
                    await self._store.push(NAMESPACE, queue, value, ttl_seconds=self._limits.window_seconds)

    async def succeeded(self, account_key: str) -> None:
        """Forget the account's failures; the address keeps its count, or one known password would reset it."""
        await self._store.delete(NAMESPACE, _account_queue(account_key))

    def _queues(self, account_key: str, address: str) -> list[tuple[str, int]]:
        return [
            (_account_queue(account_key), self._limits.per_account),
            (f"address:{address}", self._limits.per_address),
        ]

    async def _wait(self, queue: str, limit: int, now: float) -> float:
        recent = [
            at
            for at in (float(value) for value in await self._store.range(NAMESPACE, queue, -limit, -1))
            if at > now - self._limits.window_seconds
        ]
        if len(recent) < limit:
            return 0.0
        return recent[0] + self._limits.window_seconds - now


def _account_queue(account_key: str) -> str:
    return f"account:{account_key}"
