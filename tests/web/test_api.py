"""``POST /api/chat`` and the pages of ``wegweiser serve``, over real HTTP."""

from __future__ import annotations

import httpx
import pytest


def post(url: str, body: object | bytes) -> httpx.Response:
    if isinstance(body, bytes):
        return httpx.post(f"{url}/api/chat", content=body, headers={"content-type": "application/json"}, timeout=30)
    return httpx.post(f"{url}/api/chat", json=body, timeout=30)


def test_a_question_gets_the_chat_jsonl_shape_with_session(live_server: str) -> None:
    answer = post(live_server, {"session": "api-1", "text": "Wo ist die Beratungsstelle in Bebra?"}).json()
    assert set(answer) == {"session", "language", "intent", "replies", "handover"}
    assert answer["session"] == "api-1"
    assert answer["intent"] == "office_locations"
    assert all(set(reply) >= {"text", "buttons"} for reply in answer["replies"])


def test_a_button_press_is_answered(live_server: str) -> None:
    answer = post(live_server, {"session": "api-2", "payload": "/opening_hours"}).json()
    assert answer["intent"] == "opening_hours"


def test_sessions_are_separate_conversations(live_server: str) -> None:
    post(live_server, {"session": "api-3", "payload": '/change_language{"language": "ar"}'})
    assert post(live_server, {"session": "api-4", "payload": "/greet"}).json()["language"] == "de"
    assert post(live_server, {"session": "api-3", "payload": "/greet"}).json()["language"] == "ar"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe\x00",
        b"[1, 2]",
        {"text": "no session"},
        {"session": "", "text": "x"},
        {"session": "s" * 129, "text": "x"},
        {"session": "s"},
        {"session": "s", "text": "x", "payload": "/greet"},
        {"session": "s", "text": 42},
        {"session": ["s"], "text": "x"},
    ],
)
def test_malformed_requests_get_400_with_an_error(live_server: str, body: object) -> None:
    response = post(live_server, body)
    assert response.status_code == 400
    assert isinstance(response.json()["error"], str)


def test_an_oversized_body_gets_413(live_server: str) -> None:
    response = post(live_server, {"session": "s", "text": "x" * 70_000})
    assert response.status_code == 413


def test_a_ten_thousand_character_text_gets_a_polite_answer(live_server: str) -> None:
    response = post(live_server, {"session": "api-5", "text": "ش" * 10_000})
    assert response.status_code == 200
    assert response.json()["replies"]


def test_the_chat_page_is_served_with_a_content_security_policy(live_server: str) -> None:
    response = httpx.get(f"{live_server}/")
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_health_and_readiness(live_server: str) -> None:
    assert httpx.get(f"{live_server}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{live_server}/readyz").json()
    assert ready["ready"] is True
    assert ready["checks"] == {"model": True, "content": True, "store": True}
