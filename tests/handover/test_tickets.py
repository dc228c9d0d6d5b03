"""Handover tickets in the state store: opening, transcripts, claims, closing, deletion."""

from __future__ import annotations

import asyncio

import pytest

from bot.handover.tickets import (
    ClaimConflict,
    Sender,
    Status,
    Summary,
    Team,
    Ticket,
    TicketMessage,
    Tickets,
)
from bot.store import StateStore
from tests.state.conftest import StoreOpener

pytestmark = pytest.mark.asyncio(loop_scope="session")

DAY = 24 * 3600.0


@pytest.fixture
def tickets(store: StateStore) -> Tickets:
    return Tickets(store, DAY)


async def open_one(tickets: Tickets, user: str = "web:anna", intents: tuple[str, ...] = ("asylum_services",)) -> Ticket:
    return await tickets.open(user, "web", "fa", Summary(intents, "Bebra"), ["سلام", "می‌خواهم با مشاور صحبت کنم"])


async def test_a_new_ticket_is_the_users_open_ticket(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    assert (await tickets.open_ticket_of("web:anna")) == ticket


async def test_the_recent_messages_start_the_transcript(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    assert [message.text for message in await tickets.transcript(ticket.id)] == [
        "سلام",
        "می‌خواهم با مشاور صحبت کنم",
    ]


async def test_messages_are_kept_in_the_order_they_came(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    for number in range(20):
        await tickets.append(ticket.id, TicketMessage(Sender.USER, f"message {number}", float(number)))
    texts = [message.text for message in await tickets.transcript(ticket.id)][2:]
    assert texts == [f"message {number}" for number in range(20)]


async def test_the_first_counsellor_to_claim_gets_the_ticket(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    claimed = await tickets.claim(ticket.id, "berater.a")
    with pytest.raises(ClaimConflict) as conflict:
        await tickets.claim(ticket.id, "berater.b")
    assert (claimed.status, claimed.counsellor, conflict.value.counsellor) == (Status.CLAIMED, "berater.a", "berater.a")


async def test_two_simultaneous_claims_have_one_winner(stores: StoreOpener, tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    rivals = [Tickets(stores.open(), DAY) for _ in range(2)]
    results = await asyncio.gather(
        *(rival.claim(ticket.id, f"berater.{number}") for number, rival in enumerate(rivals)), return_exceptions=True
    )
    winners = [result for result in results if not isinstance(result, BaseException)]
    losers = [result for result in results if isinstance(result, ClaimConflict)]
    assert (len(winners), len(losers)) == (1, 1)
    assert (await tickets.get(ticket.id)).counsellor == winners[0].counsellor


async def test_claiming_again_is_harmless_for_the_holder(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    first = await tickets.claim(ticket.id, "berater.a")
    assert await tickets.claim(ticket.id, "berater.a") == first


async def test_staff_can_move_a_ticket_to_another_team(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    assert (await tickets.move(ticket.id, Team.PROGRAMMES)).team == Team.PROGRAMMES


async def test_a_closed_ticket_is_no_longer_the_users_open_ticket(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    closed = await tickets.close(ticket.id, "answered")
    assert (closed.status, closed.outcome, await tickets.open_ticket_of("web:anna")) == (
        Status.CLOSED,
        "answered",
        None,
    )


async def test_every_change_moves_the_inbox_version(tickets: Tickets) -> None:
    before = await tickets.version()
    ticket = await open_one(tickets)
    after_open = await tickets.version()
    await tickets.append(ticket.id, TicketMessage(Sender.USER, "noch da?", 1.0))
    assert len({before, after_open, await tickets.version()}) == 3


async def test_forgetting_a_user_deletes_tickets_and_transcripts(tickets: Tickets) -> None:
    ticket = await open_one(tickets)
    other = await open_one(tickets, user="web:bob")
    await tickets.close(ticket.id, "answered")
    await open_one(tickets)
    await tickets.forget("web:anna")
    remaining = await tickets.all()
    assert [(kept.id, kept.user) for kept in remaining] == [(other.id, "web:bob")]
    assert await tickets.transcript(ticket.id) == []


async def test_all_lists_newest_first(tickets: Tickets) -> None:
    first = await open_one(tickets, user="web:1")
    await asyncio.sleep(0.01)
    second = await open_one(tickets, user="web:2")
    assert [ticket.id for ticket in await tickets.all()] == [second.id, first.id]


async def test_tickets_expire_after_the_retention(store: StateStore) -> None:
    short = Tickets(store, 0.2)
    ticket = await open_one(short)
    await asyncio.sleep(0.4)
    assert (await short.get(ticket.id), await short.transcript(ticket.id), await short.all()) == (None, [], [])
