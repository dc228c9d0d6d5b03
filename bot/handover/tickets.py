"""Handover tickets and their transcripts, kept in the state store so that every worker sees them.

A ticket is one conversation handed to a counsellor: who (a user id, never shown
to other services), on which channel, in which language, for which team, and
what happened so far. Its transcript is a queue of :class:`TicketMessage`.
Everything expires after the configured retention and is deleted with the
person's data.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum

from bot.store import StateStore, encode_text

TICKETS = "ticket"
TRANSCRIPTS = "ticket-transcript"
# The open ticket of a user, if any: the dialogue asks this for every message.
OPEN_TICKET = "ticket-open"
CLAIMS = "ticket-claim"
# ``<user>\n<ticket id>``: finds every ticket of a person when the person's data is deleted.
TICKETS_OF_USER = "ticket-user"
TICKET_LOCK = "ticket"
# Watchers of the inbox (every worker's staff pages) compare this topic's version.
INBOX_TOPIC = "inbox"
LOCK_SECONDS = 10.0


class Team(StrEnum):
    """The queues counsellors work from: the two Fachdienste Migration and the programmes."""

    MIGRATION_ASYL = "migration_asyl"
    MIGRATION_SGB2 = "migration_sgb2"
    PROGRAMMES = "programmes"

    @property
    def label(self) -> str:
        return TEAM_LABELS[self]


TEAM_LABELS = {
    Team.MIGRATION_ASYL: "Migration Asyl",
    Team.MIGRATION_SGB2: "Migration SGB II",
    Team.PROGRAMMES: "Programme (WIR, ONnFIT, LIMEA)",
}

# The conversation's topic decides the first queue; staff may move a ticket.
_TEAM_OF_INTENT = {
    "sgb2_services": Team.MIGRATION_SGB2,
    "job_training": Team.MIGRATION_SGB2,
    "wir_programme": Team.PROGRAMMES,
    "onfit_programme": Team.PROGRAMMES,
    "limea_programme": Team.PROGRAMMES,
    "migrant_organisations": Team.PROGRAMMES,
}


def team_for(intents: Sequence[str]) -> Team:
    """The team of the latest topic that belongs to one; Migration Asyl otherwise."""
    for intent in reversed(intents):
        if intent in _TEAM_OF_INTENT:
            return _TEAM_OF_INTENT[intent]
    return Team.MIGRATION_ASYL


class Status(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class Sender(StrEnum):
    USER = "user"
    COUNSELLOR = "counsellor"
    BOT = "bot"
    SYSTEM = "system"


@dataclass(frozen=True)
class Summary:
    """What a counsellor should know before reading: the last topics and the town."""

    intents: tuple[str, ...] = ()
    town: str | None = None

    @property
    def topic(self) -> str | None:
        return next((intent for intent in reversed(self.intents) if intent not in _NO_TOPIC), None)


_NO_TOPIC = {"greet", "goodbye", "thank_you", "human_handover", "nlu_fallback", "bot_capabilities", "change_language"}


@dataclass(frozen=True)
class Ticket:
    id: str
    user: str
    channel: str
    language: str
    team: Team
    created: float
    summary: Summary = field(default_factory=Summary)
    status: Status = Status.OPEN
    counsellor: str | None = None
    claimed: float | None = None
    closed: float | None = None
    outcome: str | None = None

    def to_bytes(self) -> bytes:
        shown = asdict(self)
        shown["summary"]["intents"] = list(self.summary.intents)
        return json.dumps(shown, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Ticket:
        decoded = json.loads(raw)
        summary = decoded.pop("summary")
        return cls(
            **{
                **decoded,
                "team": Team(decoded["team"]),
                "status": Status(decoded["status"]),
                "summary": Summary(tuple(summary["intents"]), summary["town"]),
            }
        )


@dataclass(frozen=True)
class TicketMessage:
    sender: Sender
    text: str
    at: float
    # The counsellor's name for their replies; the person stays anonymous.
    author: str | None = None

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> TicketMessage:
        decoded = json.loads(raw)
        return cls(Sender(decoded["sender"]), decoded["text"], decoded["at"], decoded.get("author"))


_Change = Callable[[Ticket], Ticket]


class ClaimConflict(Exception):
    """Another counsellor holds the ticket."""

    def __init__(self, counsellor: str) -> None:
        super().__init__(f"already claimed by {counsellor}")
        self.counsellor = counsellor


class Tickets:
    """Tickets, transcripts and claims in a :class:`StateStore`, all expiring after ``retention_seconds``."""

    def __init__(self, store: StateStore, retention_seconds: float) -> None:
        self._store = store
        self._retention = retention_seconds

    async def open(
        self, user: str, channel: str, language: str, summary: Summary, recent: Sequence[str]
    ) -> Ticket:
        """A new ticket for ``user`` with ``recent`` messages as the start of its transcript."""
        now = time.time()
        ticket = Ticket(
            id=secrets.token_hex(8),
            user=user,
            channel=channel,
            language=language,
            team=team_for(summary.intents),
            created=now,
            summary=summary,
        )
        await self._save(ticket)
        await self._store.put(OPEN_TICKET, user, ticket.id.encode(), self._retention)
        await self._store.put(TICKETS_OF_USER, f"{user}\n{ticket.id}", b"", self._retention)
        for text in recent:
            message = TicketMessage(Sender.USER, text, now)
            await self._store.push(TRANSCRIPTS, ticket.id, message.to_bytes(), self._retention)
        await self._changed()
        return ticket

    async def get(self, ticket_id: str) -> Ticket | None:
        raw = await self._store.get(TICKETS, ticket_id)
        return Ticket.from_bytes(raw) if raw is not None else None

    async def open_ticket_of(self, user: str) -> Ticket | None:
        ticket_id = await self._store.get(OPEN_TICKET, user)
        return await self.get(ticket_id.decode()) if ticket_id is not None else None

    async def all(self) -> list[Ticket]:
        """Every ticket still kept, newest first."""
        found = [await self.get(ticket_id) for ticket_id in await self._store.keys(TICKETS)]
        return sorted((ticket for ticket in found if ticket is not None), key=lambda ticket: -ticket.created)

    async def append(self, ticket_id: str, message: TicketMessage) -> None:
        await self._store.push(TRANSCRIPTS, ticket_id, message.to_bytes(), self._retention)
        await self._changed()

    async def transcript(self, ticket_id: str) -> list[TicketMessage]:
        return [TicketMessage.from_bytes(raw) for raw in await self._store.range(TRANSCRIPTS, ticket_id)]

    async def claim(self, ticket_id: str, counsellor: str) -> Ticket:
        """Give the ticket to ``counsellor``; :class:`ClaimConflict` when someone else was first."""
        if not await self._store.add(CLAIMS, ticket_id, encode_text(counsellor), self._retention):
            holder = await self._store.get(CLAIMS, ticket_id)
            holder_name = holder.decode() if holder is not None else "?"
            if holder_name != counsellor:
                raise ClaimConflict(holder_name)
        return await self._update(
            ticket_id,
            lambda ticket: ticket
            if ticket.counsellor == counsellor
            else replace(ticket, status=Status.CLAIMED, counsellor=counsellor, claimed=time.time()),
        )

    async def move(self, ticket_id: str, team: Team) -> Ticket:
        return await self._update(ticket_id, lambda ticket: replace(ticket, team=team))

    async def close(self, ticket_id: str, outcome: str) -> Ticket:
        """Close the ticket; the person's conversation belongs to the bot again."""
        ticket = await self._update(
            ticket_id,
            lambda ticket: ticket
            if ticket.status == Status.CLOSED
            else replace(ticket, status=Status.CLOSED, closed=time.time(), outcome=outcome),
        )
        stored = await self._store.get(OPEN_TICKET, ticket.user)
        if stored is not None and stored.decode() == ticket_id:
            await self._store.delete(OPEN_TICKET, ticket.user)
        return ticket

    async def forget(self, user: str) -> None:
        """Delete every ticket, transcript and claim of ``user``."""
        for key in await self._store.keys(TICKETS_OF_USER, f"{user}\n"):
            ticket_id = key.partition("\n")[2]
            for namespace in (TICKETS, TRANSCRIPTS, CLAIMS):
                await self._store.delete(namespace, ticket_id)
            await self._store.delete(TICKETS_OF_USER, key)
        await self._store.delete(OPEN_TICKET, user)
        await self._changed()

    async def version(self) -> int:
        """Changes whenever a ticket or a transcript changes, on any worker."""
        return await self._store.version(INBOX_TOPIC)

    async def _update(self, ticket_id: str, change: _Change) -> Ticket:
        async with self._store.lock(TICKET_LOCK, ticket_id, ttl_seconds=LOCK_SECONDS):
            ticket = await self.get(ticket_id)
            if ticket is None:
                raise KeyError(ticket_id)
            changed = change(ticket)
            if changed != ticket:
                await self._save(changed)
        if changed != ticket:
            await self._changed()
        return changed

    async def _save(self, ticket: Ticket) -> None:
        await self._store.put(TICKETS, ticket.id, ticket.to_bytes(), self._retention)

    async def _changed(self) -> None:
        await self._store.publish(INBOX_TOPIC)

