"""Which words count as known: the training words, their other forms and their misspellings, not keyboard mash."""

from __future__ import annotations

import pytest

from nlu.vocabulary import Vocabulary

VOCABULARY = Vocabulary(["tschuess", "merdiven", "hallo", "bla", "عربی", "notfall"])


def test_a_training_word_is_known() -> None:
    assert "hallo" in VOCABULARY
    assert VOCABULARY.resembles("hallo")


@pytest.mark.parametrize("word", ["tschues", "tschuesss", "notfal"])
def test_a_misspelling_of_a_known_word_resembles_it(word: str) -> None:
    assert VOCABULARY.resembles(word)


def test_another_form_of_a_known_word_resembles_it() -> None:
    assert VOCABULARY.resembles("merdivenden")


def test_a_known_arabic_word_with_a_proclitic_resembles_it() -> None:
    assert VOCABULARY.resembles("بالعربی")


@pytest.mark.parametrize("word", ["hall", "halo", "blub"])
def test_a_short_unknown_word_resembles_nothing(word: str) -> None:
    assert not VOCABULARY.resembles(word)


def test_a_likeness_needs_the_same_first_letter() -> None:
    assert not VOCABULARY.resembles("kschuess")


def test_keyboard_mash_is_not_recognised() -> None:
    assert not VOCABULARY.recognises(["asdf", "qwer"])
    assert not VOCABULARY.recognises(["sdfsdf", "blablabla"])


def test_one_recognised_word_is_enough() -> None:
    assert VOCABULARY.recognises(["asdf", "tschues"])
