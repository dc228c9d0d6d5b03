"""What arrives from the WhatsApp Cloud API: signed notifications holding people's messages.

The signature is checked on the raw body before anything is parsed. Parsing is
lenient per item: a malformed entry, change or message is skipped, the rest of
the notification still counts; delivery statuses are not messages and are skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ModelT = TypeVar("ModelT", bound="BaseModel")

SIGNATURE_PREFIX = "sha256="
# Messages that are no request to the assistant: a reaction to one of its answers, a
# notice that the person changed their number.
SILENT_TYPES = {"reaction", "system", "ephemeral"}


def valid_signature(app_secret: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is ``sha256=`` and the HMAC-SHA256 of ``body`` under ``app_secret``."""
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    given = header.removeprefix(SIGNATURE_PREFIX) if header.startswith(SIGNATURE_PREFIX) else ""
    return hmac.compare_digest(given.encode("latin-1"), expected.encode())


@dataclass(frozen=True)
class Inbound:
    """One message a person sent; exactly one of the optional fields says what it holds."""

    message_id: str
    sender: str
    sent_at: float | None
    text: str | None = None
    # The id of a pressed reply button or chosen list row.
    choice: str | None = None
    # The person pressed a quick-reply button of a template.
    template_reply: str | None = None
    media: str | None = None


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Text(_Lenient):
    body: str


class _Choice(_Lenient):
    id: str = Field(min_length=1)


class _Interactive(_Lenient):
    type: str
    button_reply: _Choice | None = None
    list_reply: _Choice | None = None


class _QuickReply(_Lenient):
    text: str = ""
    payload: str = ""


class _Audio(_Lenient):
    voice: bool = False


class _Message(_Lenient):
    sender: str = Field(alias="from", pattern=r"^[0-9]{5,20}$")
    id: str = Field(min_length=1, max_length=256)
    timestamp: str | None = None
    type: str
    text: _Text | None = None
    interactive: _Interactive | None = None
    button: _QuickReply | None = None
    audio: _Audio | None = None


class _Metadata(_Lenient):
    phone_number_id: str


class _Value(_Lenient):
    metadata: _Metadata
    messages: list[Any] = Field(default_factory=list)


class _Change(_Lenient):
    field: str
    value: Any = None


class _Entry(_Lenient):
    changes: list[Any] = Field(default_factory=list)


class _Notification(_Lenient):
    object: str
    entry: list[Any] = Field(default_factory=list)


def inbound_messages(data: dict[str, Any], phone_number_id: str) -> list[Inbound]:
    """The people's messages in a notification addressed to ``phone_number_id``."""
    notification = _valid(_Notification, data)
    if notification is None or notification.object != "whatsapp_business_account":
        return []
    found: list[Inbound] = []
    for raw_entry in notification.entry:
        entry = _valid(_Entry, raw_entry)
        for raw_change in entry.changes if entry is not None else []:
            change = _valid(_Change, raw_change)
            if change is None or change.field != "messages":
                continue
            value = _valid(_Value, change.value)
            # One app may serve several numbers; the others' messages are not for this one.
            if value is None or value.metadata.phone_number_id != phone_number_id:
                continue
            for raw_message in value.messages:
                message = _valid(_Message, raw_message)
                inbound = _inbound(message) if message is not None else None
                if inbound is not None:
                    found.append(inbound)
    return found


def _valid(model: type[ModelT], raw: Any) -> ModelT | None:
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


def _inbound(message: _Message) -> Inbound | None:
    known = Inbound(message.id, message.sender, _sent_at(message.timestamp))
    if message.type in SILENT_TYPES:
        return None
    if message.type == "text" and message.text is not None:
        return _with(known, text=message.text.body)
    if message.type == "interactive" and message.interactive is not None:
        chosen = message.interactive.button_reply or message.interactive.list_reply
        if chosen is not None:
            return _with(known, choice=chosen.id)
        # A filled-in form (WhatsApp Flows) or another interactive answer the assistant cannot read.
        return _with(known, media=message.interactive.type)
    if message.type == "button" and message.button is not None:
        return _with(known, template_reply=message.button.text or message.button.payload)
    if message.type == "audio" and message.audio is not None and message.audio.voice:
        return _with(known, media="voice")
    return _with(known, media=message.type)


def _with(known: Inbound, **content: str) -> Inbound:
    return Inbound(known.message_id, known.sender, known.sent_at, **content)


def _sent_at(timestamp: str | None) -> float | None:
    """The sending time, if it is a plausible Unix time (not in the future)."""
    if timestamp is None or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return None
    sent = float(timestamp)
    return sent if sent <= time.time() else None
