"""Button payloads and slash commands, in Rasa's payload form ``/intent{"entity": "value"}``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_PAYLOAD = re.compile(r"^/([a-z][a-z0-9_]{0,63})(\{.*\})?$", re.DOTALL)

DELETE_DATA = "delete_data"
BACK_TO_BOT = "back_to_bot"

# Commands people type (Telegram's menu offers them); each stands for an intent
# or for one of the conversation's own operations.
COMMANDS: dict[str, str] = {
    "start": "greet",
    "help": "bot_capabilities",
    "menu": "bot_capabilities",
    "language": "change_language",
    "human": "human_handover",
    "privacy": "privacy",
    "delete": DELETE_DATA,
    "bot": BACK_TO_BOT,
}


@dataclass(frozen=True)
class Command:
    intent: str
    entities: dict[str, str] = field(default_factory=dict)


def parse_payload(payload: str) -> Command | None:
    """The intent and entities of a payload or slash command, or None if it is not one."""
    match = _PAYLOAD.match(payload.strip())
    if match is None:
        return None
    name, raw_entities = match.groups()
    entities: dict[str, str] = {}
    if raw_entities:
        try:
            decoded = json.loads(raw_entities)
        except json.JSONDecodeError:
            return None
        if not isinstance(decoded, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in decoded.items()
        ):
            return None
        entities = decoded
    return Command(COMMANDS.get(name, name), entities)


def make_payload(intent: str, **entities: str) -> str:
    """The payload of a button that stands for ``intent`` with ``entities``."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"
