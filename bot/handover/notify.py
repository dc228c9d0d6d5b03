"""Telling counsellors that a ticket is waiting, optionally in a Telegram staff group.

The notice carries the team and a link into the inbox, never the person's
message or identity: a staff group is a less protected place than the inbox.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

import httpx

from bot.handover.tickets import Ticket

logger = logging.getLogger(__name__)

NOTIFY_TIMEOUT_SECONDS = 10.0


class Notifier(Protocol):
    def ticket_opened(self, ticket: Ticket) -> None:
        """Announce ``ticket`` without delaying the person's answer."""
        ...


def notice_text(ticket: Ticket, inbox_url: str) -> str:
    return f"Neue Anfrage an die Beratung – Team {ticket.team.label}.\n{inbox_url}/{ticket.id}"


class TelegramStaffGroup:
    """Posts a notice per new ticket to a Telegram chat through the Bot API's ``sendMessage``."""

    def __init__(self, api_url: str, token: str, chat_id: str, inbox_url: str) -> None:
        self._endpoint = f"{api_url.rstrip('/')}/bot{token}/sendMessage"
        self._chat_id = chat_id
        self._inbox_url = inbox_url.rstrip("/")
        self._pending: set[asyncio.Task[None]] = set()

    def ticket_opened(self, ticket: Ticket) -> None:
        task = asyncio.get_running_loop().create_task(self._send(notice_text(ticket, self._inbox_url)))
        # The loop keeps only weak references to tasks.
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _send(self, text: str) -> None:
        try:
            async with httpx.AsyncClient(timeout=NOTIFY_TIMEOUT_SECONDS) as client:
                notice = {"chat_id": self._chat_id, "text": text, "link_preview_options": {"is_disabled": True}}
                response = await client.post(self._endpoint, json=notice)
            if response.status_code != 200:
                logger.warning("the staff group refused the notice (HTTP %s)", response.status_code)
        except httpx.HTTPError as error:
            logger.warning("cannot notify the staff group: %s", type(error).__name__)
