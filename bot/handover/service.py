"""The handover: a person's conversation goes to a counsellor and comes back to the bot.

The dialogue opens a ticket and passes on what the person writes meanwhile;
staff claim, answer and close through the inbox. A counsellor writes German;
the person receives the machine translation into their language with the
German original below it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.channels.delivery import Delivery
from bot.handover.hours import OfficeHours, Reopening
from bot.handover.notify import Notifier
from bot.handover.tickets import Sender, Status, Summary, Ticket, TicketMessage, Tickets
from bot.messages import Reply
from bot.metrics import Metrics
from bot.outbound import Outbound
from bot.render import isolate_ltr
from content.models import Catalogue

logger = logging.getLogger(__name__)

STAFF_LANGUAGE = "de"
# How a ticket ended, as staff choose it when closing (the person's own /bot is "returned_to_bot").
OUTCOMES = {
    "answered": "Beantwortet",
    "appointment": "Termin vereinbart",
    "referred": "Weitervermittelt",
    "no_reply": "Keine Antwort der Person",
    "returned_to_bot": "Zurück zum Bot",
}


class Translated(Protocol):
    text: str
    machine: bool


class Translates(Protocol):
    async def translate(self, text: str, source: str, target: str) -> Translated: ...


@dataclass(frozen=True)
class Started:
    ticket: Ticket
    # Set when nobody answers now: the next time counsellors are back.
    reopening: Reopening | None


class Handover:
    def __init__(
        self,
        tickets: Tickets,
        translator: Translates,
        outbound: Outbound,
        catalogue: Callable[[str], Catalogue],
        metrics: Metrics,
        hours: OfficeHours | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.tickets = tickets
        self._translator = translator
        self._outbound = outbound
        self._catalogue = catalogue
        self._metrics = metrics
        self._hours = hours
        self._notifier = notifier

    async def open_ticket_of(self, user: str) -> Ticket | None:
        return await self.tickets.open_ticket_of(user)

    async def start(self, user: str, channel: str, language: str, summary: Summary, recent: Sequence[str]) -> Started:
        """Open a ticket (or keep the one already open) and tell counsellors about it."""
        ticket = await self.tickets.open_ticket_of(user)
        if ticket is None:
            ticket = await self.tickets.open(user, channel, language, summary, recent)
            self._metrics.handovers.inc()
            if self._notifier is not None:
                self._notifier.ticket_opened(ticket)
        now = datetime.now(UTC)
        closed = self._hours is not None and not self._hours.is_open(now)
        return Started(ticket, self._hours.next_opening(now) if closed and self._hours else None)

    async def user_wrote(self, user: str, text: str) -> bool:
        """Add what the person wrote to their open ticket; False when none is open."""
        ticket = await self.tickets.open_ticket_of(user)
        if ticket is None:
            return False
        await self.tickets.append(ticket.id, TicketMessage(Sender.USER, text, time.time()))
        return True

    async def bot_said(self, user: str, text: str) -> None:
        """Record an answer the bot gave during the handover (an emergency answer), so counsellors see it."""
        ticket = await self.tickets.open_ticket_of(user)
        if ticket is not None:
            await self.tickets.append(ticket.id, TicketMessage(Sender.BOT, text, time.time()))

    async def user_returned(self, user: str) -> bool:
        """The person went back to the bot (``/bot``); False when no ticket was open."""
        ticket = await self.tickets.open_ticket_of(user)
        if ticket is None:
            return False
        await self.tickets.append(ticket.id, TicketMessage(Sender.SYSTEM, OUTCOMES["returned_to_bot"], time.time()))
        await self.tickets.close(ticket.id, "returned_to_bot")
        return True

    async def claim(self, ticket_id: str, counsellor: str) -> Ticket:
        ticket = await self.tickets.claim(ticket_id, counsellor)
        if ticket.claimed is not None and ticket.counsellor == counsellor:
            self._metrics.handover_wait.observe(max(0.0, ticket.claimed - ticket.created))
        return ticket

    async def reply(self, ticket_id: str, counsellor: str, text: str) -> Delivery:
        """Send a counsellor's German ``text`` to the person, translated, with the original below."""
        ticket = await self._ticket(ticket_id)
        if ticket.status == Status.CLOSED:
            return Delivery.FAILED
        await self.tickets.append(ticket_id, TicketMessage(Sender.COUNSELLOR, text, time.time(), counsellor))
        return await self._outbound.deliver(ticket.user, [await self._for_person(ticket, text)])

    async def close(self, ticket_id: str, counsellor: str, outcome: str) -> Ticket:
        """Close the ticket and tell the person that the bot answers again."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        ticket = await self._ticket(ticket_id)
        if ticket.status == Status.CLOSED:
            return ticket
        await self.tickets.append(ticket_id, TicketMessage(Sender.SYSTEM, OUTCOMES[outcome], time.time(), counsellor))
        closed = await self.tickets.close(ticket_id, outcome)
        messages = self._catalogue(ticket.language).messages
        await self._outbound.deliver(
            ticket.user, [self._shown(ticket, f"{messages.handover_ended}\n{messages.bot_back}")]
        )
        return closed

    async def queue_lengths(self) -> dict[str, int]:
        """Open tickets nobody has claimed yet, per team."""
        waiting: dict[str, int] = {}
        for ticket in await self.tickets.all():
            if ticket.status == Status.OPEN:
                waiting[ticket.team.value] = waiting.get(ticket.team.value, 0) + 1
        return waiting

    async def _ticket(self, ticket_id: str) -> Ticket:
        ticket = await self.tickets.get(ticket_id)
        if ticket is None:
            raise KeyError(ticket_id)
        return ticket

    async def _for_person(self, ticket: Ticket, german: str) -> Reply:
        if ticket.language == STAFF_LANGUAGE:
            return Reply(german)
        translated = await self._translator.translate(german, STAFF_LANGUAGE, ticket.language)
        if not translated.machine:
            return Reply(german)
        label = self._catalogue(ticket.language).messages.counsellor_original
        return self._shown(ticket, f"{translated.text}\n\n{label}:\n{german}")

    def _shown(self, ticket: Ticket, text: str) -> Reply:
        language = self._catalogue(ticket.language).languages.get(ticket.language)
        right_to_left = language is not None and language.direction == "rtl"
        return Reply(isolate_ltr(text) if right_to_left else text)
