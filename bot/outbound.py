"""Reaching a person outside a reply: a counsellor's answer, the notice that a handover ended.

Each channel registers how it delivers when it starts; the user id's prefix
(``telegram:``, ``whatsapp:``, ``web:``) picks the channel.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.channels.delivery import Delivery
from bot.messages import Reply

logger = logging.getLogger(__name__)

Deliver = Callable[[str, Sequence[Reply]], Awaitable[Delivery]]


class Outbound:
    def __init__(self) -> None:
        self._channels: dict[str, Deliver] = {}

    def register(self, channel: str, deliver: Deliver) -> None:
        self._channels[channel] = deliver

    async def deliver(self, user: str, replies: Sequence[Reply]) -> Delivery:
        """Send ``replies`` to ``user``; FAILED when the user's channel is not running here."""
        deliver = self._channels.get(user.partition(":")[0])
        if deliver is None:
            return Delivery.FAILED
        try:
            return await deliver(user, replies)
        except Exception:
            logger.exception("delivery failed")
            return Delivery.FAILED
