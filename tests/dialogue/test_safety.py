"""Emergencies are answered in every state; repeated misunderstanding leads to a person."""

from __future__ import annotations

import pytest

from tests.conftest import ChatProcess
from tests.dialogue.helpers import catalogue, one_line, payloads, shown
from tests.dialogue.test_conversation import in_language, new_user

EMERGENCIES = {
    "de": "Hilfe, mein Mann schlägt mich und droht mich umzubringen",
    "ar": "ساعدوني زوجي يضربني الآن",
    "fa": "کمک کنید شوهرم داره منو میزنه",
    "uk": "Допоможіть, мене б'ють",
}
NATIONAL_NUMBERS = ["110", "112", "116 117", "116 016", "0800 111 0 111"]


def assert_emergency_answer(answer: dict) -> None:
    assert answer["intent"] == "emergency"
    for number in NATIONAL_NUMBERS:
        assert number in shown(answer)


@pytest.mark.parametrize("language", sorted(EMERGENCIES))
def test_emergency_gets_the_national_numbers_at_once(chat: ChatProcess, language: str) -> None:
    user = new_user()
    assert_emergency_answer(chat.say(user, EMERGENCIES[language]))


def test_emergency_answer_offers_a_counsellor(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    assert "/human_handover" in payloads(chat.say(user, EMERGENCIES["de"]))


def test_emergency_wins_while_the_bot_waits_for_a_town(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    chat.press(user, "/office_locations")
    assert_emergency_answer(chat.say(user, EMERGENCIES["de"]))


def test_emergency_wins_after_misunderstandings(chat: ChatProcess) -> None:
    user = in_language(chat, "ar")
    chat.say(user, "qwrtz plmok")
    chat.say(user, "asdfgh jkl")
    assert_emergency_answer(chat.say(user, EMERGENCIES["ar"]))


def test_emergency_wins_during_a_handover(chat: ChatProcess) -> None:
    user = in_language(chat, "fa")
    assert chat.say(user, "/human")["handover"] is True
    answer = chat.say(user, EMERGENCIES["fa"])
    assert_emergency_answer(answer)
    assert answer["handover"] is True


def test_emergency_button_answers_even_in_an_unknown_state(chat: ChatProcess) -> None:
    assert_emergency_answer(chat.press(new_user(), "/emergency"))


def test_first_misunderstanding_offers_the_closest_topics(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    answer = chat.say(user, "qwrtz plmok")
    assert answer["intent"] == "nlu_fallback"
    assert one_line(catalogue("de").messages.not_understood) in shown(answer)
    assert payloads(answer) and "/human_handover" not in payloads(answer)


def test_second_misunderstanding_in_a_row_offers_a_counsellor(chat: ChatProcess) -> None:
    user = in_language(chat, "uk")
    chat.say(user, "qwrtz plmok")
    answer = chat.say(user, "asdfgh jkl")
    assert one_line(catalogue("uk").messages.not_understood_again) in one_line(shown(answer))
    assert payloads(answer) == ["/human_handover"]


def test_an_understood_question_resets_the_misunderstandings(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    chat.say(user, "qwrtz plmok")
    chat.press(user, "/privacy")
    answer = chat.say(user, "asdfgh jkl")
    assert one_line(catalogue("de").messages.not_understood) in shown(answer)


def test_asking_for_a_person_starts_a_handover_and_says_what_happens(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    answer = chat.say(user, "/human")
    assert answer["handover"] is True
    assert "110" in shown(answer)


def test_during_a_handover_the_bot_stays_silent(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    chat.say(user, "/human")
    answer = chat.say(user, "Wann hat das Büro offen?")
    assert answer["replies"] == []
    assert answer["handover"] is True


def test_bot_command_gives_the_conversation_back_to_the_bot(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    chat.say(user, "/human")
    answer = chat.say(user, "/bot")
    assert answer["handover"] is False
    assert one_line(catalogue("de").messages.bot_back) in one_line(shown(answer))
