"""Replies reach the Bot API as Telegram accepts them: split, with keyboards, at Telegram's pace."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram.ext import ExtBot

from bot.channels.delivery import Delivery
from bot.channels.pacing import Pacer
from bot.channels.payload_refs import PayloadRefs
from bot.channels.telegram_limiter import PacingLimiter
from bot.channels.telegram_outbox import CALLBACK_DATA_BYTES, SentCount, TelegramOutbox, TelegramUnavailable
from bot.messages import Button, Link, Reply
from bot.store import EmbeddedStore
from tests.fakes.bot_api import BAD_GATEWAY, BAD_REQUEST, FakeBotApi, too_many_requests
from tests.fakes.server import Recorded

CHAT = 4242


@pytest.fixture(autouse=True)
def fresh(bot_api: FakeBotApi) -> None:
    bot_api.clear()
    bot_api.blocked.clear()


@asynccontextmanager
async def outbox(
    bot_api: FakeBotApi, store: EmbeddedStore, limiter: PacingLimiter | None = None
) -> AsyncIterator[TelegramOutbox]:
    fast = PacingLimiter(per_chat=Pacer(1000.0, 100), overall=Pacer(1000.0, 100))
    bot = ExtBot(bot_api.token, base_url=f"{bot_api.url}/bot", rate_limiter=limiter or fast)
    async with bot:
        yield TelegramOutbox(bot, PayloadRefs(store, "telegram-payload", CALLBACK_DATA_BYTES))


def keyboard_of(entry: Recorded) -> list[list[dict[str, str]]]:
    return entry.params.get("reply_markup", {}).get("inline_keyboard", [])


async def test_a_long_answer_arrives_in_pieces_cut_between_paragraphs(
    bot_api: FakeBotApi, store: EmbeddedStore
) -> None:
    paragraphs = [f"Absatz {number}. " + "Beratung und Unterstützung " * 40 for number in range(10)]
    text = "\n\n".join(paragraph.strip() for paragraph in paragraphs)
    async with outbox(bot_api, store) as box:
        assert await box.send(CHAT, [Reply(text)]) == Delivery.SENT
    pieces = bot_api.sent_texts(CHAT)
    assert len(pieces) > 1
    assert all(len(piece) <= 4096 and piece.startswith("Absatz") for piece in pieces)
    assert "\n\n".join(pieces) == text


async def test_the_buttons_come_with_the_last_piece(bot_api: FakeBotApi, store: EmbeddedStore) -> None:
    reply = Reply("Wort " * 1000, (Button("Sprachkurse", "/language_courses"),))
    async with outbox(bot_api, store) as box:
        await box.send(CHAT, [reply])
    sent = bot_api.sent_messages(CHAT)
    assert [bool(keyboard_of(entry)) for entry in sent] == [False, True]
    assert keyboard_of(sent[-1]) == [[{"text": "Sprachkurse", "callback_data": "/language_courses"}]]


async def test_short_buttons_sit_two_to_a_row_and_links_open_web_pages(
    bot_api: FakeBotApi, store: EmbeddedStore
) -> None:
    buttons = tuple(Button(title, f"/{title.lower()}") for title in ("Asyl", "Termin", "Vereine"))
    reply = Reply("Themen", buttons, (Link("Landkreis", "https://www.hef-rof.de"),))
    async with outbox(bot_api, store) as box:
        await box.send(CHAT, [reply])
    rows = keyboard_of(bot_api.sent_messages(CHAT)[0])
    assert [[button["text"] for button in row] for row in rows] == [["Asyl", "Termin"], ["Vereine"], ["Landkreis"]]
    assert rows[-1][0]["url"] == "https://www.hef-rof.de"


async def test_a_payload_too_long_for_callback_data_is_pressed_through_a_reference(
    bot_api: FakeBotApi, store: EmbeddedStore
) -> None:
    payload = '/office_locations{"town": "Bad Hersfeld", "note": "' + "ä" * 40 + '"}'
    async with outbox(bot_api, store) as box:
        assert await box.send(CHAT, [Reply("Wo?", (Button("Bad Hersfeld", payload),))]) == Delivery.SENT
    data = keyboard_of(bot_api.sent_messages(CHAT)[0])[0][0]["callback_data"]
    assert len(data.encode()) <= 64
    assert await PayloadRefs(store, "telegram-payload", CALLBACK_DATA_BYTES).decode(data) == payload


async def test_text_full_of_emoji_is_split_as_telegram_counts(bot_api: FakeBotApi, store: EmbeddedStore) -> None:
    async with outbox(bot_api, store) as box:
        assert await box.send(CHAT, [Reply("🙂" * 3000)]) == Delivery.SENT
    assert len(bot_api.sent_texts(CHAT)) == 2


async def test_retry_after_is_waited_out_before_sending_again(bot_api: FakeBotApi, store: EmbeddedStore) -> None:
    async with outbox(bot_api, store) as box:
        bot_api.fail_next(too_many_requests(1))
        assert await box.send(CHAT, [Reply("Hallo")]) == Delivery.SENT
    refused, accepted = bot_api.records("sendMessage")
    assert (refused.status, accepted.status) == (429, 200)
    assert accepted.at - refused.at >= 0.95


async def test_a_chat_gets_about_one_message_a_second_after_a_short_burst(
    bot_api: FakeBotApi, store: EmbeddedStore
) -> None:
    async with outbox(bot_api, store, PacingLimiter()) as box:
        await asyncio.gather(box.send(CHAT, [Reply(f"Nachricht {n}") for n in range(5)]), box.send(7, [Reply("Hallo")]))
    times = [entry.at for entry in bot_api.sent_messages(CHAT)]
    assert times[-1] - times[0] >= 1.9
    assert bot_api.sent_messages(7)[0].at - times[0] < 0.5


async def test_a_chat_that_blocked_the_bot_is_reported_as_failed(bot_api: FakeBotApi, store: EmbeddedStore) -> None:
    bot_api.blocked.add(CHAT)
    async with outbox(bot_api, store) as box:
        assert await box.send(CHAT, [Reply("Hallo"), Reply("Noch etwas")]) == Delivery.FAILED
    assert len(bot_api.records("sendMessage")) == 1


async def test_a_server_error_interrupts_the_answer_before_the_rest_is_sent(
    bot_api: FakeBotApi, store: EmbeddedStore
) -> None:
    async with outbox(bot_api, store) as box:
        bot_api.fail_next(BAD_GATEWAY)
        with pytest.raises(TelegramUnavailable):
            await box.send(CHAT, [Reply("Eins"), Reply("Zwei")])
    assert bot_api.sent_texts(CHAT) == []


async def test_an_interrupted_answer_sent_again_delivers_each_message_once(
    bot_api: FakeBotApi, store: EmbeddedStore
) -> None:
    replies = [Reply("Eins"), Reply("Zwei"), Reply("Drei")]
    sent = SentCount(store, "answer-1", 60)
    async with outbox(bot_api, store) as box:
        await box.send(CHAT, replies[:1], sent)
        bot_api.fail_next(BAD_GATEWAY)
        with pytest.raises(TelegramUnavailable):
            await box.send(CHAT, replies, sent)
        assert await box.send(CHAT, replies, sent) == Delivery.SENT
    assert bot_api.sent_texts(CHAT) == ["Eins", "Zwei", "Drei"]


async def test_a_message_telegram_refuses_as_bad_is_reported_as_failed(
    bot_api: FakeBotApi, store: EmbeddedStore
) -> None:
    async with outbox(bot_api, store) as box:
        bot_api.fail_next(BAD_REQUEST)
        assert await box.send(CHAT, [Reply("Eins"), Reply("Zwei")]) == Delivery.FAILED
    assert bot_api.sent_texts(CHAT) == []
