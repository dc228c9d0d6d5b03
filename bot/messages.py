"""Channel-neutral messages: what comes in from a person and what goes back.

Channels turn their platform's updates into :class:`Incoming` and turn
:class:`Reply` objects into their platform's format; nothing else in the
conversation core knows which channel a person uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    links: tuple[Link, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "text": self.text,
            "buttons": [{"title": button.title, "payload": button.payload} for button in self.buttons],
        }
        if self.links:
            shown["links"] = [{"title": link.title, "url": link.url} for link in self.links]
        return shown


@dataclass(frozen=True)
class Incoming:
    """One message from a person: typed text, a pressed button, or something else (``media``).

    ``message_id`` is the channel's id of the message, when it has one: a message
    delivered twice with the same id is answered once, with the same replies.
    """

    user: str
    channel: str
    text: str | None = None
    payload: str | None = None
    media: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class Outcome:
    """The conversation's answer to one :class:`Incoming`."""

    user: str
    language: str
    intent: str | None
    replies: tuple[Reply, ...] = field(default_factory=tuple)
    handover: bool = False

    def to_dict(self, user_key: str = "user") -> dict[str, Any]:
        return {
            user_key: self.user,
            "language": self.language,
            "intent": self.intent,
            "replies": [reply.to_dict() for reply in self.replies],
            "handover": self.handover,
        }

    @classmethod
    def from_dict(cls, shown: dict[str, Any], user_key: str = "user") -> Outcome:
        replies = tuple(
            Reply(
                reply["text"],
                tuple(Button(button["title"], button["payload"]) for button in reply["buttons"]),
                tuple(Link(link["title"], link["url"]) for link in reply.get("links", [])),
            )
            for reply in shown["replies"]
        )
        return cls(shown[user_key], shown["language"], shown["intent"], replies, shown["handover"])
