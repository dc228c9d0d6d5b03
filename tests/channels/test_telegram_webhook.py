"""Telegram end to end: updates posted to ``wegweiser serve``'s webhook, answers at the fake Bot API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.channels.helpers import new_id, telegram_payloads, telegram_shown, telegram_shows
from tests.conftest import start_server, stop_server
from tests.dialogue.helpers import ARABIC_SCRIPT, catalogue
from tests.fakes.bot_api import BAD_GATEWAY, FakeBotApi

SECRET = "wegweiser-test-secret_1"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
# How long to watch for an answer that must not come.
SILENCE_SECONDS = 1.5


@pytest.fixture(scope="module")
def server(data_dir: Path, bot_api: FakeBotApi) -> Iterator[str]:
    process, url = start_server(
        data_dir,
        WEGWEISER_TELEGRAM_TOKEN=bot_api.token,
        WEGWEISER_TELEGRAM_WEBHOOK_SECRET=SECRET,
        WEGWEISER_TELEGRAM_API_URL=bot_api.url,
    )
    yield url
    stop_server(process)


def post(server: str, update: dict[str, Any] | bytes, secret: str | None = SECRET) -> httpx.Response:
    headers = {HEADER: secret} if secret is not None else {}
    if isinstance(update, bytes):
        headers["content-type"] = "application/json"
        return httpx.post(f"{server}/telegram/webhook", content=update, headers=headers, timeout=30)
    return httpx.post(f"{server}/telegram/webhook", json=update, headers=headers, timeout=30)


def choose_language(server: str, bot_api: FakeBotApi, chat: int, language: str) -> None:
    post(server, bot_api.button_update(chat, f'/change_language{{"language": "{language}"}}'))
    telegram_shows(bot_api, chat, catalogue(language).messages.language_changed)


def test_start_greets_and_offers_the_languages(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    assert post(server, bot_api.text_update(chat, "/start")).status_code == 200
    answers = catalogue("de").answers
    sent = telegram_shows(bot_api, chat, answers["greet"].text, answers["change_language"].text)
    assert '/change_language{"language": "ar"}' in telegram_payloads(sent)


def test_a_pressed_button_is_acknowledged_and_answered_in_the_chosen_language(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    choose_language(server, bot_api, chat, "uk")
    update = bot_api.button_update(chat, "/language_courses")
    post(server, update)
    telegram_shows(bot_api, chat, catalogue("uk").answers["language_courses"].text)
    answered = [entry.params["callback_query_id"] for entry in bot_api.records("answerCallbackQuery")]
    assert update["callback_query"]["id"] in answered


def test_a_question_in_arabic_is_answered_in_arabic(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    post(server, bot_api.text_update(chat, "أين مكتب الاستشارة في باد هيرسفيلد؟"))
    text = telegram_shown(bot_api.wait_for_messages(chat))
    letters = [character for character in text if character.isalpha()]
    assert sum(bool(ARABIC_SCRIPT.match(character)) for character in letters) > 0.5 * len(letters)


@pytest.mark.parametrize("kind", ["voice", "photo", "sticker", "document", "location"])
def test_what_is_not_text_gets_a_polite_notice_in_the_persons_language(
    server: str, bot_api: FakeBotApi, kind: str
) -> None:
    chat = new_id()
    choose_language(server, bot_api, chat, "tr")
    post(server, bot_api.media_update(chat, kind))
    telegram_shows(bot_api, chat, catalogue("tr").messages.unsupported_media)


def test_an_edited_message_is_answered_as_the_corrected_question(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    post(server, bot_api.text_update(chat, "/privacy", edited=True))
    telegram_shows(bot_api, chat, catalogue("de").answers["privacy"].text)


def test_group_chats_get_no_answer(server: str, bot_api: FakeBotApi) -> None:
    group = -new_id()
    assert post(server, bot_api.text_update(group, "/start", chat_type="supergroup")).status_code == 200
    assert post(server, bot_api.media_update(group, "sticker", chat_type="group")).status_code == 200
    time.sleep(SILENCE_SECONDS)
    assert bot_api.sent_messages(group) == []


def test_a_button_pressed_in_a_group_is_acknowledged_but_not_answered(server: str, bot_api: FakeBotApi) -> None:
    group = -new_id()
    update = bot_api.button_update(group, "/privacy", chat_type="group")
    post(server, update)
    bot_api.wait_for(
        lambda records: any(
            entry.method == "answerCallbackQuery"
            and entry.params["callback_query_id"] == update["callback_query"]["id"]
            for entry in records
        )
    )
    time.sleep(SILENCE_SECONDS)
    assert bot_api.sent_messages(group) == []


def test_a_command_chosen_from_the_menu_with_the_bot_name_is_understood(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    post(server, bot_api.text_update(chat, "/privacy@wegweiser_test_bot"))
    telegram_shows(bot_api, chat, catalogue("de").answers["privacy"].text)


def test_a_repeated_update_is_answered_once(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    update = bot_api.text_update(chat, "/privacy")
    assert [post(server, update).status_code for _ in range(3)] == [200, 200, 200]
    once = len(telegram_shows(bot_api, chat, catalogue("de").answers["privacy"].text))
    time.sleep(SILENCE_SECONDS)
    assert len(bot_api.sent_messages(chat)) == once


def test_an_answer_telegram_could_not_take_is_refused_for_now_and_sent_when_the_update_comes_again(
    server: str, bot_api: FakeBotApi
) -> None:
    chat = new_id()
    update = bot_api.text_update(chat, "/privacy")
    bot_api.fail_next(BAD_GATEWAY)
    assert post(server, update).status_code == 503
    assert post(server, update).status_code == 200
    once = len(telegram_shows(bot_api, chat, catalogue("de").answers["privacy"].text))
    time.sleep(SILENCE_SECONDS)
    assert len(bot_api.sent_messages(chat)) == once


@pytest.mark.parametrize(("secret", "status"), [(None, 401), ("wrong-secret", 403), ("", 403)])
def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_processed(
    server: str, bot_api: FakeBotApi, secret: str | None, status: int
) -> None:
    chat = new_id()
    assert post(server, bot_api.text_update(chat, "/start"), secret=secret).status_code == status
    time.sleep(SILENCE_SECONDS)
    assert bot_api.sent_messages(chat) == []


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[1, 2]", b'{"message": {}}', b'{"update_id": "7"}'])
def test_a_body_that_is_no_update_gets_400(server: str, body: bytes) -> None:
    assert post(server, body).status_code == 400


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
update_fields = st.sampled_from(
    [
        "update_id",
        "message",
        "edited_message",
        "callback_query",
        "chat",
        "text",
        "from",
        "id",
        "type",
        "date",
        "message_id",
        "data",
        "voice",
        "photo",
        "is_bot",
        "first_name",
    ]
)
update_like = st.fixed_dictionaries(
    {"update_id": st.integers(min_value=1, max_value=2**40)},
    optional={
        "message": st.dictionaries(update_fields, json_values, max_size=6),
        "callback_query": st.dictionaries(update_fields, json_values, max_size=6),
    },
)


@settings(max_examples=120, deadline=None)
@given(
    body=st.binary(max_size=200)
    | json_values.map(lambda value: json.dumps(value).encode())
    | update_like.map(lambda update: json.dumps(update).encode())
)
def test_no_body_makes_the_webhook_fail(server: str, body: bytes) -> None:
    assert post(server, body).status_code in {200, 400}


def test_after_all_that_the_server_still_answers(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    post(server, bot_api.text_update(chat, "/help"))
    telegram_shows(bot_api, chat, catalogue("de").messages.menu_prompt)
