"""The model of the shipped training data: emergencies are never lost, greetings do not hide questions, keyboard
mash is not understood."""

from __future__ import annotations

import pytest

from nlu.engine import NluEngine
from nlu.training_data import load_training_data
from tests.nlu.conftest import REAL_DATA

EXAMPLES = load_training_data(REAL_DATA).examples


def test_every_emergency_example_is_an_emergency(real_engine: NluEngine) -> None:
    missed = [
        e.text for e in EXAMPLES if e.intent == "emergency" and real_engine.parse(e.text).intent.name != "emergency"
    ]
    assert missed == []


def test_no_other_example_is_an_emergency(real_engine: NluEngine) -> None:
    alarms = [
        (e.intent, e.text)
        for e in EXAMPLES
        if e.intent != "emergency" and real_engine.parse(e.text).intent.name == "emergency"
    ]
    assert alarms == []


@pytest.mark.parametrize(
    "text",
    ["ich will mich umbringen", "I want to kill myself", "بدي انتحر", "میخوام خودمو بکشم", "хочу покончить с собой",
     "хочу покінчити з собою", "kendimi öldürmek istiyorum", "Hiiilfe mein Mann schlägt mich"],
)  # fmt: skip
def test_acute_danger_in_every_language_is_an_emergency(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize("text", ["Hilfe", "help"])
def test_a_bare_plea_for_help_asks_what_the_assistant_can_do(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "bot_capabilities"


@pytest.mark.parametrize("text", ["Hilfe, er schlägt mich", "help, my husband is hitting me"])
def test_a_plea_for_help_with_a_danger_word_is_an_emergency(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "emergency"


@pytest.mark.parametrize("text", ["bla bla", "asdf qwer", "blub", "qwertz"])
def test_keyboard_mash_is_not_understood(real_engine: NluEngine, text: str) -> None:
    assert real_engine.parse(text).intent.name == "nlu_fallback"


@pytest.mark.parametrize(
    ("text", "intent"), [("tschüs", "goodbye"), ("dankschön", "thank_you"), ("Nodfall", "emergency")]
)
def test_a_misspelt_word_is_understood(real_engine: NluEngine, text: str, intent: str) -> None:
    assert real_engine.parse(text).intent.name == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("سلام، کلاس زبان کجاست؟", "language_courses"),
        ("Hallo, wo ist das Büro in Bebra?", "office_locations"),
        ("Привіт, де офіс у Бебрі?", "office_locations"),
        ("merhaba, Bebra'da ofis nerede?", "office_locations"),
        ("salam, kelas zaban almani kojast?", "language_courses"),
    ],
)
def test_a_greeting_in_front_of_a_question_keeps_the_questions_intent(
    real_engine: NluEngine, text: str, intent: str
) -> None:
    assert real_engine.parse(text).intent.name == intent


def test_mixed_german_and_arabic_gets_a_sensible_answer(real_engine: NluEngine) -> None:
    result = real_engine.parse("wo ist Jobcenter مكتب")
    assert result.language.code == "ar"
    assert result.intent.name in {"office_locations", "sgb2_services", "nlu_fallback"}
