"""Reading WhatsApp notifications: the signature first, then the people's messages and nothing else."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.whatsapp_inbound import Inbound, inbound_messages, valid_signature
from tests.fakes.graph_api import PHONE_NUMBER_ID
from tests.fakes.whatsapp_notifications import (
    button_reply,
    list_reply,
    media_message,
    message,
    notification,
    signature,
    status_notification,
    template_reply,
    text_message,
)

PHONE = PHONE_NUMBER_ID
SENDER = "4915112345678"


def read(*messages: dict[str, Any]) -> list[Inbound]:
    return inbound_messages(notification(PHONE, *messages), PHONE)


def test_the_signature_of_the_raw_body_is_accepted() -> None:
    body = b'{"object": "whatsapp_business_account"}'
    assert valid_signature("app-secret", body, signature("app-secret", body))


def test_a_signature_made_with_another_secret_or_of_another_body_is_refused() -> None:
    body = b'{"object": "whatsapp_business_account"}'
    assert not valid_signature("app-secret", body, signature("other", body))
    assert not valid_signature("app-secret", body + b" ", signature("app-secret", body))
    assert not valid_signature("app-secret", body, signature("app-secret", body).removeprefix("sha256="))
    assert not valid_signature("app-secret", body, "sha256=ü")


def test_a_text_message_is_read_with_sender_and_time() -> None:
    (inbound,) = read(text_message(SENDER, "Wo ist die Beratung?", "wamid.1"))
    assert (inbound.message_id, inbound.sender, inbound.text) == ("wamid.1", SENDER, "Wo ist die Beratung?")
    assert inbound.sent_at is not None


def test_a_pressed_button_and_a_chosen_row_are_choices() -> None:
    pressed, chosen = read(button_reply(SENDER, "/greet"), list_reply(SENDER, "/asylum_services"))
    assert (pressed.choice, chosen.choice) == ("/greet", "/asylum_services")


def test_a_template_button_is_a_template_reply() -> None:
    (inbound,) = read(template_reply(SENDER, "Antworten"))
    assert inbound.template_reply == "Antworten"


def test_media_are_named_by_kind_and_a_voice_note_is_a_voice() -> None:
    found = read(*(media_message(SENDER, kind) for kind in ("audio", "image", "sticker")))
    kinds = [inbound.media for inbound in found]
    assert kinds == ["voice", "image", "sticker"]


def test_reactions_and_delivery_statuses_are_no_messages() -> None:
    assert read(media_message(SENDER, "reaction")) == []
    assert inbound_messages(status_notification(PHONE, SENDER), PHONE) == []


def test_messages_to_another_number_of_the_same_app_are_not_read() -> None:
    assert inbound_messages(notification("555", text_message(SENDER, "Hallo")), PHONE) == []


def test_a_malformed_message_is_skipped_and_the_others_are_read() -> None:
    broken = message("not-a-number", "text", {"text": {"body": "x"}})
    (inbound,) = read(broken, text_message(SENDER, "Hallo"))
    assert inbound.text == "Hallo"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=30,
)
# The field names of real notifications, so that random values land where the parser looks.
NOTIFICATION_FIELDS = ("object", "entry", "changes", "field", "value", "metadata", "phone_number_id", "messages")
MESSAGE_FIELDS = ("from", "id", "timestamp", "type", "text", "body", "interactive", "button_reply", "list_reply")
field_names = st.sampled_from([*NOTIFICATION_FIELDS, *MESSAGE_FIELDS, "button", "audio", "voice"])
shaped = st.recursive(
    st.none() | st.integers() | st.text(max_size=12) | st.sampled_from(["whatsapp_business_account", PHONE, "text"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(field_names, children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(st.text(max_size=10), json_values, max_size=5) | st.dictionaries(field_names, shaped))
def test_any_json_object_is_read_without_an_error(data: dict[str, Any]) -> None:
    found = inbound_messages(json.loads(json.dumps(data)), PHONE)
    assert all(isinstance(inbound, Inbound) for inbound in found)
