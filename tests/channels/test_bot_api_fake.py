"""The fake Bot API refuses what Telegram refuses, so that passing tests mean something."""

from __future__ import annotations

import httpx
import pytest

from tests.fakes.bot_api import FakeBotApi


def call(bot_api: FakeBotApi, method: str, **params: object) -> httpx.Response:
    return httpx.post(f"{bot_api.url}/bot{bot_api.token}/{method}", json=params)


def test_a_plain_message_is_accepted(bot_api: FakeBotApi) -> None:
    assert call(bot_api, "sendMessage", chat_id=1, text="Hallo").json()["ok"] is True


def test_a_wrong_token_is_unauthorized(bot_api: FakeBotApi) -> None:
    response = httpx.post(f"{bot_api.url}/bot1:wrong/sendMessage", json={"chat_id": 1, "text": "x"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": "x" * 4097}, "message is too long"),
        ({"text": "😀" * 2049}, "message is too long"),
        ({"text": "  "}, "message text is empty"),
        (
            {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]}},
            "BUTTON_DATA_INVALID",
        ),
        (
            {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": ""}]]}},
            "BUTTON_DATA_INVALID",
        ),
        ({"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "A", "url": "javascript:x"}]]}}, "is invalid"),
        ({"text": "x", "reply_markup": {"inline_keyboard": [{"text": "A"}]}}, "inline_keyboard"),
    ],
)
def test_what_telegram_refuses_is_refused(bot_api: FakeBotApi, params: dict[str, object], description: str) -> None:
    response = call(bot_api, "sendMessage", chat_id=1, **params)
    assert response.status_code == 400
    assert description in response.json()["description"]


def test_a_button_press_is_answered_only_once(bot_api: FakeBotApi) -> None:
    query_id = bot_api.button_update(1, "/greet")["callback_query"]["id"]
    assert call(bot_api, "answerCallbackQuery", callback_query_id=query_id).status_code == 200
    assert call(bot_api, "answerCallbackQuery", callback_query_id=query_id).status_code == 400
