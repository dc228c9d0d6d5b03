"""Whole conversations through ``wegweiser chat --jsonl``, as a newcomer has them."""

from __future__ import annotations

import itertools
import re

import pytest

from bot.policy import load_policy
from tests.conftest import ChatProcess
from tests.dialogue.helpers import ARABIC_SCRIPT, CYRILLIC, catalogue, one_line, payloads, shown

_users = itertools.count()


def new_user() -> str:
    return f"person-{next(_users)}"


def in_language(chat: ChatProcess, language: str) -> str:
    user = new_user()
    chat.press(user, f'/change_language{{"language": "{language}"}}')
    return user


# These three answer with more than their topic's text: a language choice, a town question, the numbers.
TOPIC_INTENTS = [
    intent for intent in load_policy().intents if intent not in {"change_language", "office_locations", "emergency"}
]


@pytest.mark.parametrize("language", ["de", "ar", "fa", "uk"])
@pytest.mark.parametrize("intent", TOPIC_INTENTS)
def test_every_topic_is_answered_from_the_content_store_in_the_chosen_language(
    chat: ChatProcess, language: str, intent: str
) -> None:
    user = in_language(chat, language)
    answer = chat.press(user, f"/{intent}")
    assert answer["language"] == language
    assert answer["intent"] == intent
    expected = catalogue(language).answers[intent].text
    assert one_line(expected) in one_line(shown(answer))


@pytest.mark.parametrize(("language", "script"), [("ar", ARABIC_SCRIPT), ("fa", ARABIC_SCRIPT), ("uk", CYRILLIC)])
def test_answers_are_written_in_the_script_of_the_language(chat: ChatProcess, language: str, script) -> None:
    user = in_language(chat, language)
    text = shown(chat.press(user, "/limea_programme"))
    letters = [character for character in text if character.isalpha()]
    in_script = [character for character in letters if script.match(character)]
    assert len(in_script) > 0.6 * len(letters)


@pytest.mark.parametrize("language", ["de", "en", "ar", "fa", "uk", "ru", "tr"])
def test_programme_answer_names_its_audience_and_offers_a_counsellor_for_missing_contacts(
    chat: ChatProcess, language: str
) -> None:
    user = in_language(chat, language)
    answer = chat.press(user, "/onfit_programme")
    topics = catalogue(language)
    assert one_line(topics.programmes["onfit"].audience) in one_line(shown(answer))
    assert one_line(topics.messages.details_missing) in one_line(shown(answer))
    assert "/human_handover" in payloads(answer)


@pytest.mark.parametrize("language", ["de", "en", "ar", "fa", "uk", "ru", "tr"])
@pytest.mark.parametrize("intent", load_policy().intents)
def test_no_reply_shows_a_placeholder_or_an_empty_field(chat: ChatProcess, language: str, intent: str) -> None:
    user = in_language(chat, language)
    text = shown(chat.press(user, f"/{intent}"))
    for marker in ("TODO", "TBD", "XXX", "lorem", "{", "}", "None"):
        assert marker not in text
    for label in catalogue(language).messages.labels.model_dump().values():
        assert not re.search(rf"{re.escape(label)}:\s*(\n|$)", text), f"empty {label!r} shown"


def test_office_question_without_town_asks_for_the_town_with_buttons(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    answer = chat.press(user, "/office_locations")
    assert one_line(catalogue("de").messages.ask_town) in shown(answer)
    assert '/office_locations{"town": "Bebra"}' in payloads(answer)
    assert '/office_locations{"town": "Bad Hersfeld"}' in payloads(answer)


def test_pressing_a_town_shows_that_towns_counselling_office(chat: ChatProcess) -> None:
    user = in_language(chat, "ar")
    chat.press(user, "/office_locations")
    answer = chat.press(user, '/office_locations{"town": "Bebra"}')
    text = shown(answer)
    assert catalogue("ar").offices["bebra"].name in text
    assert catalogue("ar").offices["bad_hersfeld"].name not in text


def test_a_town_without_office_is_told_where_the_offices_are(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    answer = chat.press(user, '/office_locations{"town": "Heringen"}')
    assert "Heringen" in shown(answer)
    assert "Beratungsstelle Bebra" in shown(answer)


def test_the_language_choice_sticks_for_later_questions_in_another_language(chat: ChatProcess) -> None:
    user = in_language(chat, "uk")
    answer = chat.say(user, "Wo kann ich Deutsch lernen?")
    assert answer["language"] == "uk"
    assert CYRILLIC.search(shown(answer))


def test_language_command_offers_the_seven_languages(chat: ChatProcess) -> None:
    user = new_user()
    answer = chat.say(user, "/language")
    offered = [p for p in payloads(answer) if p.startswith("/change_language")]
    assert len(offered) == 7


def test_switching_language_answers_the_switch_in_the_new_language(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    answer = chat.press(user, '/change_language{"language": "fa"}')
    assert answer["language"] == "fa"
    assert one_line(catalogue("fa").messages.language_changed) in one_line(shown(answer))


def test_help_shows_the_main_menu(chat: ChatProcess) -> None:
    user = in_language(chat, "tr")
    answer = chat.say(user, "/help")
    menu = catalogue("tr").menu
    assert [p for p in payloads(answer)] == [f"/{intent}" for intent in menu]


def test_unknown_button_payload_gets_a_polite_reply(chat: ChatProcess) -> None:
    user = in_language(chat, "de")
    answer = chat.press(user, "/not a payload{")
    assert one_line(catalogue("de").messages.not_understood) in shown(answer)


def test_deleting_data_forgets_the_conversation(chat: ChatProcess) -> None:
    user = in_language(chat, "ar")
    answer = chat.say(user, "/delete")
    assert one_line(catalogue("ar").messages.data_deleted) in shown(answer)
    assert chat.press(user, "/greet")["language"] == "de"


def test_several_users_interleaved_keep_their_own_conversations(chat: ChatProcess) -> None:
    first, second = in_language(chat, "ar"), in_language(chat, "uk")
    assert chat.press(first, "/privacy")["language"] == "ar"
    assert chat.press(second, "/privacy")["language"] == "uk"
    assert chat.press(first, "/greet")["language"] == "ar"
