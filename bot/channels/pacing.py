"""Keeping to a platform's sending rate, and one person's messages in order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

# Keys whose schedule lies in the past are forgotten once this many are known.
_PRUNE_AT = 10_000


class Pacer:
    """Spaces out events per key: on average ``rate`` a second, up to ``burst`` at once.

    Each call reserves its slot before it sleeps (the generic cell rate algorithm),
    so concurrent callers never take the same slot.
    """

    def __init__(self, rate: float, burst: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock
        self._next: dict[Hashable, float] = {}

    def reserve(self, key: Hashable) -> float:
        """Take the next slot for ``key``; the seconds to wait until it comes."""
        now = self._clock()
        if len(self._next) >= _PRUNE_AT:
            self._next = {known: due for known, due in self._next.items() if due > now}
        due = max(self._next.get(key, now), now)
        self._next[key] = due + self._interval
        return max(0.0, due - self._tolerance - now)

    async def wait(self, key: Hashable) -> None:
        delay = self.reserve(key)
        if delay > 0:
            await asyncio.sleep(delay)


@dataclass
class _Holder:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class KeyedLocks:
    """One lock per key (a chat, a phone number), forgotten when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._holders: dict[Hashable, _Holder] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        holder = self._holders.setdefault(key, _Holder())
        holder.users += 1
        try:
            async with holder.lock:
                yield
        finally:
            holder.users -= 1
            if holder.users == 0:
                del self._holders[key]

    def __len__(self) -> int:
        return len(self._holders)
