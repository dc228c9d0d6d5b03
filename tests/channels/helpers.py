"""Reading what the fake platforms received as a person would see it."""

from __future__ import annotations

import itertools
import random
from typing import Any

from tests.dialogue.helpers import ISOLATES, one_line
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.server import Recorded

# Ids differ between runs too, so that a reused data directory never mistakes a test's messages for old ones.
_ids = itertools.count(random.randrange(10**6, 10**7) * 1000)


def new_id() -> int:
    return next(_ids)


def readable(text: str) -> str:
    """``text`` without directional isolates, on one line."""
    return one_line(ISOLATES.sub("", text))


def telegram_shown(messages: list[Recorded]) -> str:
    return readable(" ".join(entry.params["text"] for entry in messages))


def telegram_shows(bot_api: FakeBotApi, chat: int, *expected: str) -> list[Recorded]:
    """The messages to ``chat`` once all of ``expected`` has arrived there (as a person reads it)."""
    wanted = [readable(text) for text in expected]
    bot_api.wait_for(lambda _: all(text in telegram_shown(bot_api.sent_messages(chat)) for text in wanted))
    return bot_api.sent_messages(chat)


def telegram_payloads(messages: list[Recorded]) -> list[str]:
    return [
        button["callback_data"]
        for entry in messages
        for row in entry.params.get("reply_markup", {}).get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]


def whatsapp_shown(messages: list[dict[str, Any]]) -> str:
    texts = []
    for message in messages:
        if message["type"] == "text":
            texts.append(message["text"]["body"])
        elif message["type"] == "interactive":
            texts.append(message["interactive"]["body"]["text"])
    return readable(" ".join(texts))


def whatsapp_shows(graph_api: FakeGraphApi, to: str, *expected: str) -> list[dict[str, Any]]:
    """The messages to ``to`` once all of ``expected`` has arrived there (as a person reads it)."""
    wanted = [readable(text) for text in expected]
    graph_api.wait_for(lambda _: all(text in whatsapp_shown(graph_api.accepted(to)) for text in wanted))
    return graph_api.accepted(to)


def whatsapp_choice_ids(message: dict[str, Any]) -> list[str]:
    action = message["interactive"]["action"]
    if "buttons" in action:
        return [button["reply"]["id"] for button in action["buttons"]]
    return [row["id"] for section in action["sections"] for row in section["rows"]]
