"""What the WhatsApp channel keeps per person: the service window, held replies, numbered choices."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence

from bot.messages import Button, Link, Reply
from bot.store import StateStore

WINDOW_NAMESPACE = "whatsapp-window"
HELD_NAMESPACE = "whatsapp-held"
CHOICES_NAMESPACE = "whatsapp-choices"
WINDOW_SECONDS = 24 * 3600
# Closing the window a little early keeps a message sent at its very end from being refused.
WINDOW_MARGIN_SECONDS = 120
# A number typed more than this long after the numbered list no longer means one of its lines.
CHOICES_TTL_SECONDS = 24 * 3600


class ServiceWindow:
    """WhatsApp's customer-service window: free-form messages only within 24 hours of the person's last one."""

    def __init__(self, store: StateStore, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._clock = clock

    async def opened(self, sender: str, sent_at: float | None) -> None:
        """The person wrote at ``sent_at`` (now, if unknown)."""
        now = self._clock()
        at = min(sent_at, now) if sent_at is not None else now
        remaining = WINDOW_SECONDS - (now - at)
        if remaining > 0:
            await self._store.put(WINDOW_NAMESPACE, sender, str(at).encode(), remaining)

    async def forget(self, sender: str) -> None:
        await self._store.delete(WINDOW_NAMESPACE, sender)

    async def is_open(self, sender: str) -> bool:
        stored = await self._store.get(WINDOW_NAMESPACE, sender)
        if stored is None:
            return False
        return self._clock() - float(stored) < WINDOW_SECONDS - WINDOW_MARGIN_SECONDS


class HeldReplies:
    """Replies waiting for the person to write again, because the window was closed when they were due."""

    def __init__(self, store: StateStore, ttl_seconds: float) -> None:
        self._store = store
        self._ttl = ttl_seconds

    async def hold(self, sender: str, replies: Sequence[Reply]) -> bool:
        """Add ``replies`` to those waiting; True if nothing was waiting before."""
        waiting = await self._load(sender)
        await self._store.put(HELD_NAMESPACE, sender, _dump([*waiting, *replies]), self._ttl)
        return not waiting

    async def take(self, sender: str) -> list[Reply]:
        waiting = await self._load(sender)
        if waiting:
            await self._store.delete(HELD_NAMESPACE, sender)
        return waiting

    async def drop(self, sender: str) -> None:
        await self._store.delete(HELD_NAMESPACE, sender)

    async def _load(self, sender: str) -> list[Reply]:
        stored = await self._store.get(HELD_NAMESPACE, sender)
        return _load(stored) if stored is not None else []


class NumberedChoices:
    """The ids behind the numbered lines last sent, so that "2" presses the second."""

    def __init__(self, store: StateStore) -> None:
        self._store = store

    async def offer(self, sender: str, ids: Sequence[str]) -> None:
        await self._store.put(CHOICES_NAMESPACE, sender, json.dumps(list(ids)).encode(), CHOICES_TTL_SECONDS)

    async def pick(self, sender: str, text: str) -> str | None:
        """The id chosen by ``text`` if it is just the number of an offered line."""
        number = choice_number(text)
        if number is None:
            return None
        stored = await self._store.get(CHOICES_NAMESPACE, sender)
        ids: list[str] = json.loads(stored) if stored is not None else []
        return ids[number - 1] if 1 <= number <= len(ids) else None

    async def drop(self, sender: str) -> None:
        await self._store.delete(CHOICES_NAMESPACE, sender)


def choice_number(text: str) -> int | None:
    """``"2"``, ``"2."``, ``" 2) "`` or ``"٢"`` as 2; None for anything else."""
    digits = text.strip().rstrip(".)").strip()
    # isdecimal also takes Arabic-Indic and Persian digits, which int() reads.
    if not digits or len(digits) > 3 or not digits.isdecimal():
        return None
    return int(digits)


def _dump(replies: Sequence[Reply]) -> bytes:
    return json.dumps([reply.to_dict() for reply in replies], ensure_ascii=False).encode()


def _load(stored: bytes) -> list[Reply]:
    return [
        Reply(
            shown["text"],
            tuple(Button(button["title"], button["payload"]) for button in shown.get("buttons", [])),
            tuple(Link(link["title"], link["url"]) for link in shown.get("links", [])),
        )
        for shown in json.loads(stored)
    ]
