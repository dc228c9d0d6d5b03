"""Running custom actions in-process, through rasa_sdk's own executor.

The request and response are those of Rasa's action-server protocol, so the
same ``actions`` package answers here and in ``python -m rasa_sdk``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.executor import ActionExecutor

import actions

# The domain the actions see; they read content from the content store, not from here.
DOMAIN: dict[str, Any] = {
    "slots": {name: {"type": "any"} for name in ("language", "town", "fallback_count", "awaiting", "handover")},
}


@dataclass(frozen=True)
class ActionResult:
    responses: list[dict[str, Any]]
    slots: dict[str, Any] = field(default_factory=dict)


class ActionRunner:
    def __init__(self) -> None:
        self._executor = ActionExecutor()
        self._executor.register_package(actions)

    @property
    def action_names(self) -> set[str]:
        return set(self._executor.actions)

    async def run(
        self, action: str, sender: str, slots: dict[str, Any], latest_message: dict[str, Any]
    ) -> ActionResult:
        call = {
            "next_action": action,
            "sender_id": sender,
            "tracker": {
                "sender_id": sender,
                "slots": slots,
                "latest_message": latest_message,
                "events": [],
                "paused": False,
                "latest_action_name": "action_listen",
            },
            "domain": DOMAIN,
            "version": "3.6.0",
        }
        result = await self._executor.run(call)
        assert result is not None
        slots_set = {event["name"]: event["value"] for event in result.events if event.get("event") == "slot"}
        return ActionResult(result.responses, slots_set)
