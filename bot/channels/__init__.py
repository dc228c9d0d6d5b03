"""Messenger channels mounted in the one web application.

A channel turns its platform's updates into :class:`bot.messages.Incoming`,
hands them to the dialogue, and sends the :class:`bot.messages.Reply` objects
back in its platform's format. Channels know nothing of NLU; of the content
they read at most the labels of their platform's own controls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from starlette.routing import BaseRoute

from bot.channels.delivery import Delivery
from bot.config import Settings
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.assembly import Assistant


class Channel(Protocol):
    name: str

    def routes(self) -> list[BaseRoute]:
        """The HTTP routes (webhooks) this channel adds to the application."""
        ...

    async def start(self, assistant: Assistant) -> None:
        """Connect to the platform; called once the assistant is ready."""
        ...

    async def stop(self) -> None:
        """Finish what is in flight and disconnect."""
        ...

    async def deliver(self, user: str, replies: Sequence[Reply]) -> Delivery:
        """Send ``replies`` to ``user`` (``<channel name>:<id>``) at any time, e.g. a counsellor's answer."""
        ...


def enabled_channels(settings: Settings) -> list[Channel]:
    """The messenger channels whose settings are present."""
    channels: list[Channel] = []
    # A platform's library is imported only when its channel is configured.
    if settings.telegram_token:
        from bot.channels.telegram import TelegramChannel

        channels.append(TelegramChannel(settings))
    if settings.whatsapp_token:
        from bot.channels.whatsapp import WhatsAppChannel

        channels.append(WhatsAppChannel(settings))
    return channels


def channel_for(channels: Sequence[Channel], user: str) -> Channel | None:
    """The channel that reaches ``user``, by the prefix of the user id."""
    name = user.partition(":")[0]
    return next((channel for channel in channels if channel.name == name), None)
