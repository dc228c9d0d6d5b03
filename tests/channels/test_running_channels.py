"""Channels running in this process: connecting, delivering at any time, WhatsApp's 24-hour window.

Both channels run with a real assistant behind their webhooks, so that a test
can call ``deliver`` (as counsellors will) on the very channel that received
the person's messages.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.assembly import Assistant, build_assistant
from bot.channels.delivery import Delivery
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import WhatsAppChannel
from bot.config import Settings
from bot.messages import Button, Reply
from tests.channels.helpers import new_id, readable, telegram_shows, whatsapp_shown, whatsapp_shows
from tests.dialogue.helpers import catalogue
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.graph_api import TEMPLATE, FakeGraphApi
from tests.fakes.server import ServedApp
from tests.fakes.whatsapp_notifications import (
    encoded,
    list_reply,
    notification,
    signature,
    template_reply,
    text_message,
)

APP_SECRET = "delivery-app-secret"
WEBHOOK_URL = "https://wegweiser.example/telegram/webhook"
ANSWER = Reply("Antwort der Beratung: Ihr Termin ist bestätigt.")
TOPICS = (
    "office_locations",
    "opening_hours",
    "privacy",
    "appointment",
    "asylum_services",
    "sgb2_services",
    "wir_programme",
    "onfit_programme",
    "limea_programme",
    "language_courses",
    "job_training",
    "school_transition",
)


class Harness:
    """The channels in a running application; ``call`` runs a coroutine function on its event loop."""

    def __init__(self, served: ServedApp, telegram: TelegramChannel, whatsapp: WhatsAppChannel, number: str) -> None:
        self.served = served
        self.telegram = telegram
        self.whatsapp = whatsapp
        self.number = number
        self.assistant: Assistant | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def call(self, function: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> Any:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(function(*args), self.loop).result(timeout=30)

    def write(self, *messages: dict[str, Any]) -> None:
        """Post ``messages`` to the webhook as Meta does, signed."""
        raw = encoded(notification(self.number, *messages))
        headers = {"X-Hub-Signature-256": signature(APP_SECRET, raw), "content-type": "application/json"}
        assert httpx.post(f"{self.served.url}/whatsapp/webhook", content=raw, headers=headers).status_code == 200


def whatsapp_settings(data_dir: Path, graph_api: FakeGraphApi, **more: str) -> dict[str, Any]:
    return {
        "data_dir": data_dir,
        "whatsapp_token": graph_api.token,
        "whatsapp_app_secret": APP_SECRET,
        "whatsapp_verify_token": "delivery-verify",
        "whatsapp_phone_number_id": graph_api.phone_number_id,
        "whatsapp_api_url": graph_api.api_url,
        **more,
    }


@pytest.fixture(scope="module")
def harness(data_dir: Path, bot_api: FakeBotApi, graph_api: FakeGraphApi) -> Iterator[Harness]:
    settings = Settings(
        telegram_token=bot_api.token,
        telegram_webhook_secret="delivery-secret",
        telegram_api_url=bot_api.url,
        telegram_webhook_url=WEBHOOK_URL,
        **whatsapp_settings(data_dir, graph_api, whatsapp_template_name=TEMPLATE, whatsapp_template_languages="de,ar"),
    )
    telegram, whatsapp = TelegramChannel(settings), WhatsAppChannel(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        harness.loop = asyncio.get_running_loop()
        harness.assistant = assistant = build_assistant(settings)
        await telegram.start(assistant)
        await whatsapp.start(assistant)
        yield
        await whatsapp.stop()
        await telegram.stop()
        await assistant.close()

    served = ServedApp(Starlette(routes=[*telegram.routes(), *whatsapp.routes()], lifespan=lifespan), lifespan=True)
    harness = Harness(served, telegram, whatsapp, graph_api.phone_number_id)
    served.start()
    yield harness
    served.stop()


def new_sender() -> str:
    return f"49160{new_id()}"


def test_the_telegram_webhook_is_registered_with_its_secret(harness: Harness, bot_api: FakeBotApi) -> None:
    (registered,) = bot_api.records("setWebhook")
    assert registered.params["url"] == WEBHOOK_URL
    assert registered.params["secret_token"] == "delivery-secret"
    assert set(registered.params["allowed_updates"]) == {"message", "edited_message", "callback_query"}


def test_an_unreachable_bot_api_leaves_the_channel_waiting_instead_of_failing_the_start(
    harness: Harness, data_dir: Path
) -> None:
    unreachable = TelegramChannel(
        Settings(data_dir=data_dir, telegram_token="1:unreachable", telegram_api_url="http://127.0.0.1:9")
    )
    harness.call(unreachable.start, harness.assistant)
    try:
        assert harness.call(unreachable.deliver, "telegram:1", [ANSWER]) == Delivery.FAILED
    finally:
        harness.call(unreachable.stop)


def test_a_refused_token_turns_the_channel_off(harness: Harness, bot_api: FakeBotApi, data_dir: Path) -> None:
    refused = TelegramChannel(Settings(data_dir=data_dir, telegram_token="1:revoked", telegram_api_url=bot_api.url))
    harness.call(refused.start, harness.assistant)
    try:
        assert harness.call(refused.deliver, "telegram:1", [ANSWER]) == Delivery.FAILED
    finally:
        harness.call(refused.stop)
    assert 401 in {entry.status for entry in bot_api.records("getMe")}


def test_a_telegram_delivery_reaches_the_chat(harness: Harness, bot_api: FakeBotApi) -> None:
    chat = new_id()
    assert harness.call(harness.telegram.deliver, f"telegram:{chat}", [ANSWER]) == Delivery.SENT
    telegram_shows(bot_api, chat, ANSWER.text)


def test_a_telegram_delivery_to_a_chat_that_blocked_the_bot_fails(harness: Harness, bot_api: FakeBotApi) -> None:
    chat = new_id()
    bot_api.blocked.add(chat)
    assert harness.call(harness.telegram.deliver, f"telegram:{chat}", [ANSWER]) == Delivery.FAILED


def test_a_delivery_to_someone_of_another_channel_is_a_mistake(harness: Harness) -> None:
    with pytest.raises(ValueError):
        harness.call(harness.whatsapp.deliver, "telegram:12345", [ANSWER])


def test_within_the_window_an_answer_is_sent_directly(harness: Harness, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    harness.write(text_message(sender, "/privacy"))
    whatsapp_shows(graph_api, sender, catalogue("de").answers["privacy"].text)
    assert harness.call(harness.whatsapp.deliver, f"whatsapp:{sender}", [ANSWER]) == Delivery.SENT
    assert graph_api.accepted(sender)[-1]["text"]["body"] == ANSWER.text


def test_outside_the_window_the_template_goes_out_and_the_answer_follows_the_reply_to_it(
    harness: Harness, graph_api: FakeGraphApi
) -> None:
    sender = new_sender()
    assert harness.call(harness.whatsapp.deliver, f"whatsapp:{sender}", [ANSWER]) == Delivery.HELD
    (template,) = graph_api.accepted(sender)
    assert template["type"] == "template"
    assert template["template"] == {"name": TEMPLATE, "language": {"code": "de"}}
    harness.write(template_reply(sender))
    graph_api.wait_for_accepted(sender, 2)
    assert [message.get("text", {}).get("body") for message in graph_api.accepted(sender)[1:]] == [ANSWER.text]


def test_a_refused_message_because_the_window_closed_becomes_the_template_in_the_persons_language(
    harness: Harness, graph_api: FakeGraphApi
) -> None:
    sender = new_sender()
    harness.write(list_reply(sender, '/change_language{"language": "ar"}'))
    whatsapp_shows(graph_api, sender, catalogue("ar").messages.language_changed)
    graph_api.outside_window.add(sender)
    try:
        assert harness.call(harness.whatsapp.deliver, f"whatsapp:{sender}", [ANSWER]) == Delivery.HELD
    finally:
        graph_api.outside_window.discard(sender)
    assert graph_api.accepted(sender)[-1]["template"]["language"] == {"code": "ar"}
    harness.write(text_message(sender, "/privacy"))
    privacy = catalogue("ar").answers["privacy"].text
    bodies = [whatsapp_shown([message]) for message in whatsapp_shows(graph_api, sender, ANSWER.text, privacy)]
    held_at = next(index for index, body in enumerate(bodies) if readable(ANSWER.text) in body)
    answered_at = next(index for index, body in enumerate(bodies) if readable(privacy) in body)
    assert held_at < answered_at


def test_more_choices_than_a_list_holds_are_numbered_and_answered_by_number(
    harness: Harness, graph_api: FakeGraphApi
) -> None:
    sender = new_sender()
    harness.write(text_message(sender, "/help"))
    whatsapp_shows(graph_api, sender, catalogue("de").messages.menu_prompt)
    topics = catalogue("de").answers
    buttons = tuple(Button(topics[intent].title, f"/{intent}") for intent in TOPICS)
    assert harness.call(harness.whatsapp.deliver, f"whatsapp:{sender}", [Reply("Womit geht es weiter?", buttons)])
    numbered = graph_api.accepted(sender)[-1]["text"]["body"]
    assert f"3. {topics['privacy'].title}" in numbered
    harness.write(text_message(sender, "۳"))
    whatsapp_shows(graph_api, sender, topics["privacy"].text)


def test_without_a_template_a_delivery_outside_the_window_fails(
    harness: Harness, graph_api: FakeGraphApi, data_dir: Path
) -> None:
    untemplated = WhatsAppChannel(Settings(**whatsapp_settings(data_dir, graph_api)))
    harness.call(untemplated.start, harness.assistant)
    sender = new_sender()
    try:
        assert harness.call(untemplated.deliver, f"whatsapp:{sender}", [ANSWER]) == Delivery.FAILED
    finally:
        harness.call(untemplated.stop)
    assert graph_api.accepted(sender) == []
