"""Deleting a person's data: every part that keeps something about a person registers how to forget it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Forget = Callable[[str], Awaitable[None]]


class Forgetting:
    def __init__(self) -> None:
        self._parts: list[Forget] = []

    def register(self, forget: Forget) -> None:
        self._parts.append(forget)

    async def forget(self, user: str) -> None:
        """Remove every trace of ``user`` from every registered part."""
        for forget in self._parts:
            await forget(user)
