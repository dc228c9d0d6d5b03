"""Telegram in polling mode, as in development: updates fetched with getUpdates are answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.channels.helpers import new_id, telegram_shows
from tests.conftest import start_server, stop_server
from tests.dialogue.helpers import catalogue
from tests.fakes.bot_api import FakeBotApi


@pytest.fixture(scope="module")
def server(data_dir: Path, bot_api: FakeBotApi) -> Iterator[str]:
    process, url = start_server(
        data_dir, WEGWEISER_TELEGRAM_TOKEN=bot_api.token, WEGWEISER_TELEGRAM_API_URL=bot_api.url
    )
    yield url
    stop_server(process)


def test_an_update_fetched_by_polling_is_answered(server: str, bot_api: FakeBotApi) -> None:
    chat = new_id()
    bot_api.queue_update(bot_api.text_update(chat, "/privacy"))
    telegram_shows(bot_api, chat, catalogue("de").answers["privacy"].text)


def test_polling_removes_a_webhook_first(server: str, bot_api: FakeBotApi) -> None:
    assert bot_api.records("deleteWebhook")


def test_without_a_secret_the_webhook_accepts_nothing(server: str, bot_api: FakeBotApi) -> None:
    update = bot_api.text_update(new_id(), "/start")
    response = httpx.post(
        f"{server}/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "anything"}
    )
    assert response.status_code == 403
