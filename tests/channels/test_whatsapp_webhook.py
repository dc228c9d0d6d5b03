"""WhatsApp end to end: signed notifications posted to ``wegweiser serve``, answers at the fake Graph API."""

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

from tests.channels.helpers import new_id, whatsapp_choice_ids, whatsapp_shows
from tests.conftest import start_server, stop_server
from tests.dialogue.helpers import catalogue
from tests.fakes.graph_api import PHONE_NUMBER_ID, FakeGraphApi, service_unavailable
from tests.fakes.whatsapp_notifications import (
    button_reply,
    encoded,
    list_reply,
    media_message,
    notification,
    signature,
    status_notification,
    text_message,
)

APP_SECRET = "whatsapp-app-secret"
VERIFY_TOKEN = "whatsapp-verify-token"
SILENCE_SECONDS = 1.5


@pytest.fixture(scope="module")
def server(data_dir: Path, graph_api: FakeGraphApi) -> Iterator[str]:
    process, url = start_server(
        data_dir,
        WEGWEISER_WHATSAPP_TOKEN=graph_api.token,
        WEGWEISER_WHATSAPP_APP_SECRET=APP_SECRET,
        WEGWEISER_WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WEGWEISER_WHATSAPP_PHONE_NUMBER_ID=graph_api.phone_number_id,
        WEGWEISER_WHATSAPP_API_URL=graph_api.api_url,
    )
    yield url
    stop_server(process)


def new_sender() -> str:
    return f"49151{new_id()}"


def post(server: str, body: dict[str, Any] | bytes, signed: str | None = APP_SECRET) -> httpx.Response:
    raw = body if isinstance(body, bytes) else encoded(body)
    headers = {"content-type": "application/json"}
    if signed is not None:
        headers["X-Hub-Signature-256"] = signature(signed, raw)
    return httpx.post(f"{server}/whatsapp/webhook", content=raw, headers=headers, timeout=30)


def send(server: str, graph_api: FakeGraphApi, *messages: dict[str, Any]) -> None:
    assert post(server, notification(graph_api.phone_number_id, *messages)).status_code == 200


def choose_language(server: str, graph_api: FakeGraphApi, sender: str, language: str) -> None:
    send(server, graph_api, list_reply(sender, f'/change_language{{"language": "{language}"}}'))
    whatsapp_shows(graph_api, sender, catalogue(language).messages.language_changed)


def test_the_verification_handshake_echoes_the_challenge(server: str) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    response = httpx.get(f"{server}/whatsapp/webhook", params=params)
    assert (response.status_code, response.text) == (200, "1158201444")


@pytest.mark.parametrize("token", ["wrong", "", "ü"])
def test_the_handshake_with_a_wrong_token_is_refused(server: str, token: str) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}
    assert httpx.get(f"{server}/whatsapp/webhook", params=params).status_code == 403


def test_a_greeting_gets_the_menu_as_a_list_and_the_language_choice(server: str, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    send(server, graph_api, text_message(sender, "/start"))
    answers = catalogue("de").answers
    sent = whatsapp_shows(graph_api, sender, answers["greet"].text, answers["change_language"].text)
    interactive = [message for message in sent if message["type"] == "interactive"]
    assert [message["interactive"]["type"] for message in interactive] == ["list", "list"]
    assert interactive[0]["interactive"]["action"]["button"] == answers["bot_capabilities"].title
    assert '/change_language{"language": "fa"}' in whatsapp_choice_ids(interactive[1])


def test_a_chosen_row_switches_the_language_and_a_pressed_button_is_answered_in_it(
    server: str, graph_api: FakeGraphApi
) -> None:
    sender = new_sender()
    choose_language(server, graph_api, sender, "fa")
    send(server, graph_api, button_reply(sender, "/privacy"))
    whatsapp_shows(graph_api, sender, catalogue("fa").answers["privacy"].text)


@pytest.mark.parametrize("kind", ["audio", "image", "sticker", "document", "location"])
def test_what_is_not_text_gets_a_polite_notice_in_the_persons_language(
    server: str, graph_api: FakeGraphApi, kind: str
) -> None:
    sender = new_sender()
    choose_language(server, graph_api, sender, "ru")
    send(server, graph_api, media_message(sender, kind))
    whatsapp_shows(graph_api, sender, catalogue("ru").messages.unsupported_media)


def test_reactions_and_delivery_statuses_get_no_answer(server: str, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    send(server, graph_api, media_message(sender, "reaction"))
    assert post(server, status_notification(graph_api.phone_number_id, sender)).status_code == 200
    time.sleep(SILENCE_SECONDS)
    assert graph_api.accepted(sender) == []


def test_a_message_delivered_twice_is_answered_once(server: str, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    message = text_message(sender, "/privacy", message_id=f"wamid.twice{new_id()}")
    for _ in range(3):
        send(server, graph_api, message)
    once = len(whatsapp_shows(graph_api, sender, catalogue("de").answers["privacy"].text))
    time.sleep(SILENCE_SECONDS)
    assert len(graph_api.accepted(sender)) == once


def test_an_answer_survives_a_brief_outage_of_the_graph_api(server: str, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    graph_api.fail_next(service_unavailable())
    send(server, graph_api, text_message(sender, "/privacy"))
    whatsapp_shows(graph_api, sender, catalogue("de").answers["privacy"].text)
    assert any(entry.status == 503 for entry in graph_api.records("messages"))


@pytest.mark.parametrize(("signed", "status"), [(None, 401), ("another-secret", 403)])
def test_a_missing_or_wrong_signature_is_refused_and_nothing_is_processed(
    server: str, graph_api: FakeGraphApi, signed: str | None, status: int
) -> None:
    sender = new_sender()
    body = notification(graph_api.phone_number_id, text_message(sender, "/start"))
    assert post(server, body, signed=signed).status_code == status
    time.sleep(SILENCE_SECONDS)
    assert graph_api.accepted(sender) == []


def test_a_signature_of_another_body_is_refused(server: str, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    raw = encoded(notification(graph_api.phone_number_id, text_message(sender, "/start")))
    headers = {"X-Hub-Signature-256": signature(APP_SECRET, raw + b" "), "content-type": "application/json"}
    assert httpx.post(f"{server}/whatsapp/webhook", content=raw, headers=headers).status_code == 403


def test_messages_for_another_number_are_not_answered(server: str, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    assert post(server, notification("999999", text_message(sender, "/start"))).status_code == 200
    time.sleep(SILENCE_SECONDS)
    assert graph_api.accepted(sender) == []


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[1, 2]", b'"text"'])
def test_a_signed_body_that_is_no_json_object_gets_400(server: str, body: bytes) -> None:
    assert post(server, body).status_code == 400


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
message_like = st.fixed_dictionaries(
    {"from": st.from_regex(r"\A49[0-9]{9}\Z"), "id": st.text(min_size=1, max_size=40), "type": st.text(max_size=12)},
    optional={"text": json_values, "interactive": json_values, "timestamp": json_values, "button": json_values},
)


def wrapped(messages: list[dict[str, Any]]) -> bytes:
    return json.dumps(notification(PHONE_NUMBER_ID, *messages)).encode()


@settings(max_examples=120, deadline=None)
@given(
    body=st.binary(max_size=200)
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.lists(message_like, max_size=3).map(wrapped)
)
def test_no_signed_body_makes_the_webhook_fail(server: str, body: bytes) -> None:
    assert post(server, body).status_code in {200, 400}


@settings(max_examples=40, deadline=None)
@given(
    body=st.binary(max_size=200),
    header=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=80),
)
def test_no_unsigned_body_gets_through(server: str, body: bytes, header: str) -> None:
    headers = {"X-Hub-Signature-256": header.strip().encode()}
    response = httpx.post(f"{server}/whatsapp/webhook", content=body, headers=headers)
    assert response.status_code == 403


def test_after_all_that_the_server_still_answers(server: str, graph_api: FakeGraphApi) -> None:
    sender = new_sender()
    send(server, graph_api, text_message(sender, "/help"))
    whatsapp_shows(graph_api, sender, catalogue("de").messages.menu_prompt)
