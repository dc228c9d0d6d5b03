"""Language identification on short, mixed and romanised messages, with the model of the real data."""

from __future__ import annotations

import pytest

from nlu.engine import NluEngine
from nlu.langid import LanguageIdentifier
from nlu.languages import DEFAULT_LANGUAGE
from nlu.result import LanguageGuess


@pytest.fixture(scope="module")
def languages(real_engine: NluEngine) -> LanguageIdentifier:
    return real_engine.languages


@pytest.mark.parametrize(
    ("greeting", "code"), [("hallo", "de"), ("hello", "en"), ("привіт", "uk"), ("привет", "ru"), ("merhaba", "tr")]
)
def test_one_word_greetings(languages: LanguageIdentifier, greeting: str, code: str) -> None:
    assert languages.identify(greeting).code == code


def test_salam_is_farsi_or_arabic_and_not_certain(languages: LanguageIdentifier) -> None:
    guess = languages.identify("salam")
    assert guess.code in {"fa", "ar"}
    assert guess.confidence < 0.6


@pytest.mark.parametrize(
    "text", ["man mikham almani yad begiram", "kelas zaban almani kojast?", "salam, daftar moshavere koja hast?"]
)
def test_farsi_in_latin_letters_is_farsi(languages: LanguageIdentifier, text: str) -> None:
    assert languages.identify(text).code == "fa"


@pytest.mark.parametrize("text", ["ana bdi 2a3mel maw3ad", "marhaba, wen el maktab?", "shukran ktir 7abibi"])
def test_arabic_in_latin_letters_is_arabic(languages: LanguageIdentifier, text: str) -> None:
    assert languages.identify(text).code == "ar"


def test_persian_letters_tell_farsi_from_arabic(languages: LanguageIdentifier) -> None:
    assert languages.identify("کلاس زبان آلمانی کجاست؟").code == "fa"
    assert languages.identify("أين مكتب الاستشارة؟").code == "ar"


def test_mixed_german_and_arabic_is_arabic_with_less_confidence(languages: LanguageIdentifier) -> None:
    mixed = languages.identify("wo ist Jobcenter مكتب")
    pure = languages.identify("أين مكتب الجوب سنتر")
    assert (mixed.code, pure.code) == ("ar", "ar")
    assert mixed.confidence < pure.confidence


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Хочу поговорити з живою людиною", "uk"),
        ("Хочу поговорить с живым человеком", "ru"),
        ("Ich möchte einen Termin in Bebra", "de"),
        ("Bebra'da randevu almak istiyorum", "tr"),
        ("Bonjour, je cherche un cours d'allemand", "fr"),
        ("ما غواړم چې الماني ژبه زده کړم", "ps"),
        ("ኣነ ሓገዝ የድልየኒ", "ti"),
    ],
)
def test_sentences(languages: LanguageIdentifier, text: str, code: str) -> None:
    assert languages.identify(text).code == code


def test_a_message_without_letters_has_no_confidence(languages: LanguageIdentifier) -> None:
    assert languages.identify("112 👍") == LanguageGuess(DEFAULT_LANGUAGE, 0.0)


def test_a_clear_sentence_is_more_certain_than_one_ambiguous_word(languages: LanguageIdentifier) -> None:
    assert languages.identify("Ich brauche einen Deutschkurs in Bebra").confidence > 0.8
    assert languages.identify("ok").confidence < 0.8
