"""WhatsApp Cloud API notifications as Meta sends them, and their signature."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

_message_ids = itertools.count(1)
DISPLAY_NUMBER = "4966210000"


def signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def encoded(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _wrapped(value: dict[str, Any]) -> dict[str, Any]:
    change = {"value": value, "field": "messages"}
    return {"object": "whatsapp_business_account", "entry": [{"id": "waba1", "changes": [change]}]}


def notification(phone_number_id: str, *messages: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": phone_number_id},
        "contacts": [{"profile": {"name": "Test"}, "wa_id": message["from"]} for message in messages],
        "messages": list(messages),
    }
    return _wrapped(value)


def status_notification(phone_number_id: str, recipient: str) -> dict[str, Any]:
    status = {"id": "wamid.out1", "status": "delivered", "timestamp": str(int(time.time())), "recipient_id": recipient}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": phone_number_id},
        "statuses": [status],
    }
    return _wrapped(value)


def message(sender: str, kind: str, content: dict[str, Any], message_id: str | None = None) -> dict[str, Any]:
    return {
        "from": sender,
        "id": message_id or f"wamid.in{next(_message_ids)}.{time.monotonic_ns()}",
        "timestamp": str(int(time.time())),
        "type": kind,
        **content,
    }


def text_message(sender: str, text: str, message_id: str | None = None) -> dict[str, Any]:
    return message(sender, "text", {"text": {"body": text}}, message_id)


def button_reply(sender: str, choice_id: str, title: str = "Knopf") -> dict[str, Any]:
    interactive = {"type": "button_reply", "button_reply": {"id": choice_id, "title": title}}
    return message(sender, "interactive", {"interactive": interactive})


def list_reply(sender: str, choice_id: str, title: str = "Zeile") -> dict[str, Any]:
    interactive = {"type": "list_reply", "list_reply": {"id": choice_id, "title": title}}
    return message(sender, "interactive", {"interactive": interactive})


def template_reply(sender: str, text: str = "Antworten") -> dict[str, Any]:
    return message(sender, "button", {"button": {"text": text, "payload": "reply_waiting"}})


MEDIA_SAMPLES: dict[str, dict[str, Any]] = {
    "audio": {"audio": {"id": "m1", "mime_type": "audio/ogg; codecs=opus", "voice": True}},
    "image": {"image": {"id": "m2", "mime_type": "image/jpeg", "sha256": "x"}},
    "sticker": {"sticker": {"id": "m3", "mime_type": "image/webp", "animated": False}},
    "document": {"document": {"id": "m4", "mime_type": "application/pdf", "filename": "Bescheid.pdf"}},
    "location": {"location": {"latitude": 50.87, "longitude": 9.71}},
    "reaction": {"reaction": {"message_id": "wamid.out1", "emoji": "👍"}},
}


def media_message(sender: str, kind: str) -> dict[str, Any]:
    return message(sender, kind, MEDIA_SAMPLES[kind])
