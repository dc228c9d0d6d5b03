"""Replies become the WhatsApp message types Meta documents, and the fake Graph API accepts every one."""

from __future__ import annotations

import httpx
import pytest

from bot.channels.whatsapp_outbound import Choice, Composed, compose
from bot.messages import Button, Link, Reply
from tests.fakes.graph_api import FakeGraphApi

TO = "4915112345678"


def choices(*titles: str) -> list[Choice]:
    return [Choice(f"/topic_{number}", title) for number, title in enumerate(titles)]


def accepted_by(graph_api: FakeGraphApi, composed: Composed) -> bool:
    statuses = [
        httpx.post(
            f"{graph_api.api_url}/{graph_api.phone_number_id}/messages",
            json=message.wire(),
            headers={"authorization": f"Bearer {graph_api.token}"},
        ).status_code
        for message in composed.messages
    ]
    return statuses == [200] * len(statuses)


def test_a_reply_without_buttons_is_a_text_message(graph_api: FakeGraphApi) -> None:
    composed = compose(TO, Reply("Hallo!"), [], "Themen")
    assert [message.wire() for message in composed.messages] == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "text",
            "text": {"body": "Hallo!", "preview_url": False},
        }
    ]
    assert accepted_by(graph_api, composed)


def test_up_to_three_short_buttons_are_reply_buttons(graph_api: FakeGraphApi) -> None:
    composed = compose(TO, Reply("Welcher Ort?"), choices("Bad Hersfeld", "Bebra", "Anderer Ort"), "Themen")
    (message,) = composed.messages
    assert message.interactive is not None and message.interactive.type == "button"
    assert accepted_by(graph_api, composed)


def test_four_to_ten_buttons_are_a_list_opened_by_the_label(graph_api: FakeGraphApi) -> None:
    composed = compose(TO, Reply("Wählen Sie ein Thema:"), choices(*(f"Thema {n}" for n in range(10))), "Themen")
    (message,) = composed.messages
    assert message.wire()["interactive"]["type"] == "list"
    assert message.wire()["interactive"]["action"]["button"] == "Themen"
    assert accepted_by(graph_api, composed)


def test_a_title_too_long_for_a_reply_button_moves_the_choice_into_a_list(graph_api: FakeGraphApi) -> None:
    composed = compose(TO, Reply("Was meinen Sie?"), choices("Bürgergeld (SGB II) ⁦x⁩", "Asyl"), "Themen")
    assert composed.messages[0].wire()["interactive"]["type"] == "list"
    assert accepted_by(graph_api, composed)


@pytest.mark.parametrize(
    "titles",
    [
        [f"Thema {n}" for n in range(11)],
        ["Ein Titel, der länger ist als vierundzwanzig Zeichen", "Asyl"],
        ["Asyl", "Asyl"],
    ],
)
def test_choices_that_fit_no_list_become_numbered_lines(graph_api: FakeGraphApi, titles: list[str]) -> None:
    composed = compose(TO, Reply("Wählen Sie:"), choices(*titles), "Themen")
    (message,) = composed.messages
    body = message.wire()["text"]["body"]
    assert body.startswith("Wählen Sie:\n\n1. ")
    assert f"{len(titles)}. {titles[-1]}" in body
    assert composed.numbered == tuple(choice.id for choice in choices(*titles))
    assert accepted_by(graph_api, composed)


def test_text_longer_than_a_body_goes_first_and_the_buttons_come_last(graph_api: FakeGraphApi) -> None:
    text = "\n\n".join(f"Absatz {n}. " + "Beratung " * 60 for n in range(12))
    composed = compose(TO, Reply(text), choices("Ja", "Nein"), "Themen")
    kinds = [message.type for message in composed.messages]
    assert kinds[-1] == "interactive" and set(kinds[:-1]) == {"text"} and len(kinds) >= 3
    assert accepted_by(graph_api, composed)


def test_links_are_written_out_after_the_text() -> None:
    composed = compose(TO, Reply("Mehr dazu:", links=(Link("Landkreis", "https://www.hef-rof.de"),)), [], "x")
    assert composed.messages[0].wire()["text"]["body"] == "Mehr dazu:\n\nLandkreis: https://www.hef-rof.de"


def test_a_list_without_a_label_falls_back_to_numbered_lines() -> None:
    composed = compose(TO, Reply("Sprache?"), choices(*(f"Sprache {n}" for n in range(7))), "")
    assert composed.numbered


def test_buttons_from_the_dialogue_keep_their_payload_as_id() -> None:
    reply = Reply("Sprache?", (Button("Deutsch", '/change_language{"language": "de"}'),))
    composed = compose(TO, reply, [Choice(button.payload, button.title) for button in reply.buttons], "Sprache")
    assert composed.messages[0].wire()["interactive"]["action"]["buttons"][0]["reply"] == {
        "id": '/change_language{"language": "de"}',
        "title": "Deutsch",
    }
