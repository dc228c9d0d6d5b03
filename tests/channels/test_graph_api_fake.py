"""The fake Graph API refuses what Meta refuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.fakes.graph_api import TEMPLATE, FakeGraphApi

TO = "4915112345678"


def send(graph_api: FakeGraphApi, message: dict[str, Any], token: str | None = None) -> httpx.Response:
    return httpx.post(
        f"{graph_api.api_url}/{graph_api.phone_number_id}/messages",
        json={"messaging_product": "whatsapp", "to": TO, **message},
        headers={"authorization": f"Bearer {token or graph_api.token}"},
    )


def buttons(*titles: str) -> dict[str, Any]:
    action = {"buttons": [{"type": "reply", "reply": {"id": f"b{n}", "title": t}} for n, t in enumerate(titles)]}
    return {"type": "interactive", "interactive": {"type": "button", "body": {"text": "?"}, "action": action}}


def rows(*titles: str, label: str = "Themen") -> dict[str, Any]:
    action = {"button": label, "sections": [{"rows": [{"id": f"r{n}", "title": t} for n, t in enumerate(titles)]}]}
    return {"type": "interactive", "interactive": {"type": "list", "body": {"text": "?"}, "action": action}}


@pytest.mark.parametrize(
    "message",
    [
        {"type": "text", "text": {"body": "x" * 4097}},
        {"type": "text", "text": {"body": ""}},
        buttons("Eins", "Zwei", "Drei", "Vier"),
        buttons("Ein Titel mit 21 Zeich"),
        buttons("Gleich", "Gleich"),
        rows(*(f"Zeile {n}" for n in range(11))),
        rows("Ein Titel mit fünfundzwanzig Z"),
        rows("Eins", label="Ein Knopf mit 21 Zeich"),
        {"type": "template", "template": {"name": "unknown", "language": {"code": "de"}}},
        {"type": "image", "image": {"id": "1"}},
    ],
)
def test_what_meta_refuses_is_refused(graph_api: FakeGraphApi, message: dict[str, Any]) -> None:
    assert send(graph_api, message).status_code == 400


def test_a_wrong_token_is_refused(graph_api: FakeGraphApi) -> None:
    assert send(graph_api, {"type": "text", "text": {"body": "Hallo"}}, token="stolen").status_code == 401


def test_outside_the_window_only_a_template_is_accepted(graph_api: FakeGraphApi) -> None:
    graph_api.outside_window.add(TO)
    try:
        refused = send(graph_api, {"type": "text", "text": {"body": "Hallo"}})
        template = {"name": TEMPLATE, "language": {"code": "ar"}}
        accepted = send(graph_api, {"type": "template", "template": template})
    finally:
        graph_api.outside_window.clear()
    assert refused.json()["error"]["code"] == 131047
    assert accepted.status_code == 200
