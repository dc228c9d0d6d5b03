"""The 24-hour window, replies held for it, and numbered choices answered by number."""

from __future__ import annotations

import time

import pytest

from bot.channels.whatsapp_state import HeldReplies, NumberedChoices, ServiceWindow, choice_number
from bot.messages import Button, Link, Reply
from bot.store import EmbeddedStore

SENDER = "4915112345678"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


async def test_the_window_is_open_after_the_person_wrote(store: EmbeddedStore) -> None:
    window = ServiceWindow(store)
    await window.opened(SENDER, time.time())
    assert await window.is_open(SENDER)


async def test_the_window_of_someone_who_never_wrote_is_closed(store: EmbeddedStore) -> None:
    assert not await ServiceWindow(store).is_open(SENDER)


async def test_the_window_closes_shortly_before_24_hours(store: EmbeddedStore) -> None:
    clock = Clock()
    window = ServiceWindow(store, clock)
    await window.opened(SENDER, clock.now)
    clock.now += 24 * 3600 - 60
    assert not await window.is_open(SENDER)


async def test_a_message_sent_long_ago_opens_the_window_only_for_what_is_left(store: EmbeddedStore) -> None:
    clock = Clock()
    window = ServiceWindow(store, clock)
    await window.opened(SENDER, clock.now - 23 * 3600)
    assert await window.is_open(SENDER)
    clock.now += 3600
    assert not await window.is_open(SENDER)


async def test_held_replies_come_back_once_in_order_with_buttons_and_links(store: EmbeddedStore) -> None:
    held = HeldReplies(store, 3600)
    first = Reply("Antwort der Beratung", (Button("Danke", "/thank_you"),), (Link("Landkreis", "https://x.de"),))
    assert await held.hold(SENDER, [first])
    assert not await held.hold(SENDER, [Reply("Noch etwas")])
    assert await held.take(SENDER) == [first, Reply("Noch etwas")]
    assert await held.take(SENDER) == []


async def test_a_number_picks_the_offered_choice(store: EmbeddedStore) -> None:
    choices = NumberedChoices(store)
    await choices.offer(SENDER, ["/greet", "/asylum_services", "/privacy"])
    assert await choices.pick(SENDER, " 2. ") == "/asylum_services"
    assert await choices.pick(SENDER, "4") is None
    assert await choices.pick(SENDER, "2 Kinder") is None


@pytest.mark.parametrize(("text", "number"), [("3", 3), ("3)", 3), ("٣", 3), ("۱۰", 10), ("x", None), ("", None)])
def test_numbers_are_read_in_any_script(text: str, number: int | None) -> None:
    assert choice_number(text) == number
