"""Messages the bot cannot read get a clear, polite reply, never an error."""

from __future__ import annotations

import pytest

from tests.conftest import ChatProcess
from tests.dialogue.helpers import catalogue, one_line, shown
from tests.dialogue.test_conversation import in_language


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty_message"),
        ("   \n\t ", "empty_message"),
        ("😀😀🙏", "no_words"),
        ("!!! ???", "no_words"),
        ("x" * 4001, "too_long"),
        ("\x00\x01\x02\x1b", "unreadable"),
    ],
)
def test_unreadable_message_gets_the_matching_polite_reply(chat: ChatProcess, text: str, message: str) -> None:
    user = in_language(chat, "de")
    answer = chat.say(user, text)
    expected = getattr(catalogue("de").messages, message).replace("{limit}", "4000")
    assert one_line(expected) in one_line(shown(answer))


def test_too_long_message_is_answered_in_the_persons_language(chat: ChatProcess) -> None:
    user = in_language(chat, "fa")
    answer = chat.say(user, "س" * 5000)
    assert answer["language"] == "fa"
    assert "4000" in shown(answer)


def test_control_characters_inside_a_question_are_ignored(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    answer = chat.say(user, "Wo\x00 ist\x1b die Beratungsstelle\u202e in Bebra?")
    assert answer["intent"] == "office_locations"


def test_malformed_input_line_gets_an_error_object_and_the_next_line_is_answered(chat: ChatProcess) -> None:
    answer = chat.send({"text": "no user given"})
    assert "error" in answer
    assert chat.press("after-bad-line", "/greet")["intent"] == "greet"
