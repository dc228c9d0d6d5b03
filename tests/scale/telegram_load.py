"""Telegram's side of the load tests: updates pushed to the workers' webhooks as Telegram pushes them.

Telegram delivers one chat's updates in order, the next once the previous was
acknowledged with 200, and delivers an update again (to whichever worker the
load balancer picks) until it is. What each chat received is read at the fake
Bot API and compared with what a twin on the web chat, with the same messages,
was answered.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.channels.telegram_outbox import BLANK
from tests.fakes.bot_api import FakeBotApi
from tests.scale.load import MAX_ATTEMPTS, RETRY_PAUSE_SECONDS, Person

SECRET = "scale-test-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram opens at most this many connections to a webhook at once (setWebhook's default max_connections).
CONNECTIONS = 40


@dataclass
class Chat:
    """One person on Telegram, writing what their web twin writes."""

    chat_id: int
    twin: Person
    interrupted: set[int] = field(default_factory=set)
    """Positions of the messages whose webhook call broke off after it reached a worker."""


def update_for(bot_api: FakeBotApi, chat_id: int, message: dict[str, str]) -> dict[str, Any]:
    if "payload" in message:
        return bot_api.button_update(chat_id, message["payload"])
    return bot_api.text_update(chat_id, message["text"])


async def push_updates(
    chats: Sequence[Chat], bot_api: FakeBotApi, workers: Callable[[], Sequence[str]], rng: random.Random
) -> None:
    """Every chat writes its whole script at once; Telegram hands the updates to the webhooks one by one."""
    gate = asyncio.Semaphore(CONNECTIONS)
    async with httpx.AsyncClient(timeout=60) as client:

        async def deliver(chat: Chat, position: int, update: dict[str, Any]) -> None:
            for _ in range(MAX_ATTEMPTS):
                url = rng.choice(list(workers()))
                try:
                    async with gate:
                        response = await client.post(
                            f"{url}/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET}
                        )
                    if response.status_code == 200:
                        return
                    # A refusal after the worker began (the store went away) may come after a message went out.
                    chat.interrupted.add(position)
                except httpx.ConnectError:
                    pass
                except httpx.TransportError:
                    chat.interrupted.add(position)
                await asyncio.sleep(RETRY_PAUSE_SECONDS)
            raise AssertionError(f"chat {chat.chat_id} update {position} was never acknowledged")

        async def live(chat: Chat) -> None:
            updates = [update_for(bot_api, chat.chat_id, message) for message in chat.twin.script]
            for position, update in enumerate(updates):
                await deliver(chat, position, update)

        await asyncio.gather(*(live(chat) for chat in chats))


def expected_messages(twin: Person) -> list[tuple[int, str]]:
    """The Telegram messages that answer the twin's script: (position of the message answered, text)."""
    return [
        (position, reply["text"] or BLANK)
        for position, answer in enumerate(twin.answers)
        for reply in answer["replies"]
    ]


def received_violations(chat: Chat, received: Sequence[str]) -> list[str]:
    """What the chat received that breaks exactly-once, in-order answering.

    The one exception Telegram forces: a worker that dies (or loses the store) right after Telegram took a
    message, before it could note so, leaves the message to be sent again by the next delivery, as an
    immediate repetition, and only for a message whose webhook call broke off.
    """
    expected = expected_messages(chat.twin)
    matched = 0
    for text in received:
        if matched < len(expected) and text == expected[matched][1]:
            matched += 1
        elif matched and text == expected[matched - 1][1] and expected[matched - 1][0] in chat.interrupted:
            continue
        else:
            return [
                f"chat {chat.chat_id}: {text[:40]!r} after {matched} of {len(expected)} expected messages; "
                f"expected {[(position, reply[:25]) for position, reply in expected]}, "
                f"received {[reply[:25] for reply in received]}, interrupted {sorted(chat.interrupted)}"
            ]
    if matched < len(expected):
        return [f"chat {chat.chat_id}: {len(expected) - matched} of {len(expected)} messages missing"]
    return []

