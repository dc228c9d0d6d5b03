"""The danger lexicon's exceptions: negations before or after a danger word, within its clause, and harmless
phrases that hold a danger word."""

from __future__ import annotations

from nlu.emergency import DangerWords, EmergencyDetector
from nlu.normalise import normalise
from nlu.tokenize import tokenize


def alarms(words: DangerWords, text: str, language: str) -> bool:
    return EmergencyDetector(words).in_lexicon(tokenize(normalise(text).text, language))


def test_a_negation_before_a_danger_word_negates_it() -> None:
    assert not alarms(DangerWords(("Notfall",), negations=("kein",)), "das ist kein Notfall", "de")


def test_a_negation_in_the_clause_before_negates_nothing() -> None:
    words = DangerWords(("will sterben",), negations=("nicht",))
    assert alarms(words, "ich kann nicht mehr, will sterben", "de")


def test_a_negation_after_a_danger_word_negates_it_where_the_language_negates_after() -> None:
    assert not alarms(DangerWords(("acil durum",), negations_after=("değil",)), "acil durum değil", "tr")
    assert not alarms(DangerWords(("اورژانس",), negations_after=("نیست",)), "اورژانس نیست، فقط یک سوال", "fa")


def test_a_negation_that_precedes_what_it_negates_does_not_negate_the_danger_word_before_it() -> None:
    words = DangerWords(("кров ллється",), negations=("не",))
    assert alarms(words, "кров ллється не можу зупинити", "uk")


def test_a_danger_word_inside_a_harmless_phrase_is_no_alarm() -> None:
    words = DangerWords(("yangın",), harmless=("yangın tatbikatı",))
    assert not alarms(words, "yarın okulda yangın tatbikatı var", "tr")


def test_the_same_danger_word_outside_the_harmless_phrase_is_an_alarm() -> None:
    words = DangerWords(("yangın",), harmless=("yangın tatbikatı",))
    assert alarms(words, "evde yangın var, yangın tatbikatı değil", "tr")
