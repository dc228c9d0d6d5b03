"""The custom actions, unchanged, in a standard Rasa action server spoken to over HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from bot.action_runner import DOMAIN
from bot.policy import load_policy
from tests.conftest import PROJECT_ROOT
from tests.dialogue.helpers import catalogue, one_line
from tests.net import free_port


@pytest.fixture(scope="module")
def action_server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the action server did not start")
    yield url
    process.terminate()
    process.wait(timeout=20)


def action_call(action: str, slots: dict[str, Any], entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A request exactly as Rasa's server sends it to ``/webhook``."""
    return {
        "next_action": action,
        "sender_id": "person-1",
        "tracker": {
            "sender_id": "person-1",
            "slots": slots,
            "latest_message": {"text": "", "intent": {"name": "", "confidence": 1.0}, "entities": entities or []},
            "events": [],
            "paused": False,
            "latest_action_name": "action_listen",
        },
        "domain": DOMAIN,
        "version": "3.6.0",
    }


def test_the_action_server_lists_every_action_of_the_policy(action_server: str) -> None:
    listed = {entry["name"] for entry in httpx.get(f"{action_server}/actions").json()}
    assert set(load_policy().rules.values()) <= listed


def test_an_answer_action_replies_in_the_slots_language(action_server: str) -> None:
    response = httpx.post(f"{action_server}/webhook", json=action_call("action_limea_programme", {"language": "ar"}))
    assert response.status_code == 200
    (reply,) = response.json()["responses"]
    assert one_line(catalogue("ar").answers["limea_programme"].text) in one_line(reply["text"])


def test_office_lookup_without_town_asks_and_sets_the_awaited_slot(action_server: str) -> None:
    response = httpx.post(f"{action_server}/webhook", json=action_call("action_office_locations", {"language": "de"}))
    body = response.json()
    assert {"event": "slot", "name": "awaiting", "value": "town"} in [
        {key: event[key] for key in ("event", "name", "value")} for event in body["events"]
    ]
    assert body["responses"][0]["text"] == catalogue("de").messages.ask_town


def test_language_change_returns_the_language_slot(action_server: str) -> None:
    call = action_call("action_change_language", {"language": "de"}, [{"entity": "language", "value": "uk"}])
    events = httpx.post(f"{action_server}/webhook", json=call).json()["events"]
    assert [(event["name"], event["value"]) for event in events] == [("language", "uk")]


def test_unknown_action_is_refused_with_rasas_error_shape(action_server: str) -> None:
    response = httpx.post(f"{action_server}/webhook", json=action_call("action_does_not_exist", {}))
    assert response.status_code == 404
    assert response.json()["action_name"] == "action_does_not_exist"
