"""Replies as WhatsApp Cloud API messages, within the limits Meta documents.

Up to three buttons with short titles become reply buttons, up to ten a list;
anything else becomes numbered lines that the person answers with the number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from bot.channels.text import split_text
from bot.messages import Reply

MAX_TEXT = 4096
MAX_BODY = 1024
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_LIST_LABEL = 20
# Ids of list rows may be 200 characters, of reply buttons 256; the smaller limit serves both.
MAX_CHOICE_ID_BYTES = 200
# A body is required next to buttons; a reply made of buttons alone gets this pointer.
BLANK = "👇"


class _Wire(BaseModel):
    """A part of a Graph API request; absent fields are left out when sent."""


class TextBody(_Wire):
    body: str
    preview_url: bool = False


class InteractiveBody(_Wire):
    text: str


class ReplyButtonChoice(_Wire):
    id: str
    title: str


class ReplyButton(_Wire):
    type: Literal["reply"] = "reply"
    reply: ReplyButtonChoice


class ButtonAction(_Wire):
    buttons: list[ReplyButton]


class ListRow(_Wire):
    id: str
    title: str


class ListSection(_Wire):
    rows: list[ListRow]


class ListAction(_Wire):
    button: str
    sections: list[ListSection]


class Interactive(_Wire):
    type: Literal["button", "list"]
    body: InteractiveBody
    action: ButtonAction | ListAction


class TemplateLanguage(_Wire):
    code: str


class Template(_Wire):
    name: str
    language: TemplateLanguage


class OutgoingMessage(_Wire):
    messaging_product: Literal["whatsapp"] = "whatsapp"
    recipient_type: Literal["individual"] = "individual"
    to: str
    type: Literal["text", "interactive", "template"]
    text: TextBody | None = None
    interactive: Interactive | None = None
    template: Template | None = None

    def wire(self) -> dict[str, object]:
        return self.model_dump(exclude_none=True)


@dataclass(frozen=True)
class Choice:
    """A button as WhatsApp carries it: the id that comes back when it is pressed, and its title."""

    id: str
    title: str


@dataclass(frozen=True)
class Composed:
    messages: tuple[OutgoingMessage, ...]
    # The ids of numbered choices, in order, when the buttons became numbered lines.
    numbered: tuple[str, ...] = ()


def text_message(to: str, text: str) -> OutgoingMessage:
    return OutgoingMessage(to=to, type="text", text=TextBody(body=text))


def template_message(to: str, name: str, language: str) -> OutgoingMessage:
    template = Template(name=name, language=TemplateLanguage(code=language))
    return OutgoingMessage(to=to, type="template", template=template)


def compose(to: str, reply: Reply, choices: Sequence[Choice], list_label: str) -> Composed:
    """The messages that show ``reply`` (with its buttons as ``choices``) to ``to``."""
    text = _with_links(reply)
    if not choices:
        return Composed(tuple(text_message(to, piece) for piece in split_text(text, MAX_TEXT)))
    if _fit_buttons(choices):
        return _interactive(to, text, ButtonAction(buttons=[_reply_button(choice) for choice in choices]), "button")
    if _fit_list(choices) and 0 < len(list_label.strip()) <= MAX_LIST_LABEL:
        rows = [ListRow(id=choice.id, title=choice.title) for choice in choices]
        return _interactive(to, text, ListAction(button=list_label, sections=[ListSection(rows=rows)]), "list")
    lines = "\n".join(f"{number}. {choice.title}" for number, choice in enumerate(choices, start=1))
    numbered = f"{text}\n\n{lines}" if text else lines
    messages = tuple(text_message(to, piece) for piece in split_text(numbered, MAX_TEXT))
    return Composed(messages, tuple(choice.id for choice in choices))


def _with_links(reply: Reply) -> str:
    links = "\n".join(f"{link.title}: {link.url}" for link in reply.links)
    return "\n\n".join(part for part in (reply.text.strip(), links) if part)


def _unique(choices: Sequence[Choice]) -> bool:
    return len({choice.id for choice in choices}) == len({choice.title for choice in choices}) == len(choices)


def _fits(choices: Sequence[Choice], most: int, title_limit: int) -> bool:
    return (
        len(choices) <= most
        and _unique(choices)
        and all(0 < len(choice.title.strip()) <= title_limit for choice in choices)
        and all(0 < len(choice.id.encode()) <= MAX_CHOICE_ID_BYTES for choice in choices)
    )


def _fit_buttons(choices: Sequence[Choice]) -> bool:
    return _fits(choices, MAX_REPLY_BUTTONS, MAX_BUTTON_TITLE)


def _fit_list(choices: Sequence[Choice]) -> bool:
    return _fits(choices, MAX_LIST_ROWS, MAX_ROW_TITLE)


def _reply_button(choice: Choice) -> ReplyButton:
    return ReplyButton(reply=ReplyButtonChoice(id=choice.id, title=choice.title))


def _interactive(to: str, text: str, action: ButtonAction | ListAction, kind: Literal["button", "list"]) -> Composed:
    """Text beyond what an interactive body holds goes first as plain messages; the buttons come last."""
    pieces = split_text(text, MAX_TEXT)
    last = split_text(pieces.pop(), MAX_BODY) if pieces else []
    body = last.pop() if last else BLANK
    leading = [text_message(to, piece) for piece in (*pieces, *last)]
    interactive = Interactive(type=kind, body=InteractiveBody(text=body), action=action)
    return Composed((*leading, OutgoingMessage(to=to, type="interactive", interactive=interactive)))
