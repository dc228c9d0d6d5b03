"""Messenger channels mounted in the one web application.

A channel turns its platform's updates into :class:`bot.messages.Incoming`,
hands them to the dialogue, and sends the :class:`bot.messages.Reply` objects
back in its platform's format. Channels know nothing of NLU or content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from starlette.routing import BaseRoute

from bot.config import Settings

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


def enabled_channels(settings: Settings) -> list[Channel]:
    """The messenger channels whose settings are present."""
    return []
