"""Normalisation: one spelling per word across keyboards and scripts, offsets back into the original."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlu.normalise import normalise, normalised_text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("مَدْرَسَة", "مدرسه"),  # diacritics removed, ta marbuta as ha
        ("مـــدرسة", "مدرسه"),  # tatweel removed
        ("كيف", "کیف"),  # Arabic kaf and ya as the Persian letters
        ("أحمد إلى آخر", "احمد الی اخر"),  # alef forms and alef maqsura
        ("می\u200cخواهم", "می خواهم"),  # zero-width non-joiner as the space phones type
        ("ب\u200dه", "به"),  # zero-width joiner removed
        ("١٢٣ ۴۵۶", "123 456"),  # Arabic-Indic and Persian digits
        ("أين؟ هنا، هناك", "این? هنا, هناک"),  # Arabic punctuation as ASCII
    ],
)
def test_arabic_script_variants_become_one_spelling(typed: str, expected: str) -> None:
    assert normalise(typed).text == expected


@pytest.mark.parametrize("typed", ["м'ясо", "м’ясо", "мʼясо", "м`ясо", "М'ЯСО"])
def test_ukrainian_apostrophe_variants_become_one(typed: str) -> None:
    assert normalise(typed).text == "м'ясо"


@pytest.mark.parametrize(
    ("first", "second"),
    [("Büro", "Buero"), ("Straße", "STRASSE"), ("Öffnungszeiten", "oeffnungszeiten"), ("Ärztin", "aerztin")],
)
def test_german_umlaut_and_sharp_s_spellings_match(first: str, second: str) -> None:
    assert normalise(first).text == normalise(second).text


@pytest.mark.parametrize(
    ("typed", "expected"), [("İSTANBUL", "istanbul"), ("ılık", "ilik"), ("Şehir Çağ", "sehir cag")]
)
def test_turkish_letters_match_their_ascii_typing(typed: str, expected: str) -> None:
    assert normalise(typed).text == expected


def test_whitespace_is_collapsed_and_trimmed() -> None:
    assert normalise("  wo \t ist\n\n das   Büro  ").text == "wo ist das buero"


def test_letters_repeated_for_emphasis_are_shortened() -> None:
    assert normalise("hiiiiilfe سلاااام").text == "hiilfe سلاام"


def test_compatibility_forms_are_unified() -> None:
    assert normalise("ＡＢＣ ﻻ").text == "abc لا"


def test_offsets_lead_back_to_the_original_text() -> None:
    original = "  Wo ist das Büro in Bad Hersfeld?"
    normalised = normalise(original)
    start = normalised.text.index("bad hersfeld")
    begin, end = normalised.original_span(start, start + len("bad hersfeld"))
    assert original[begin:end] == "Bad Hersfeld"


def test_offsets_cover_removed_diacritics_of_the_original() -> None:
    original = "في بِيبْرَا"
    normalised = normalise(original)
    start = normalised.text.index("بیبرا")
    begin, end = normalised.original_span(start, start + len("بیبرا"))
    assert original[begin:end] == "بِيبْرَا"


def test_an_umlaut_spelled_out_maps_to_its_one_original_letter() -> None:
    original = "Büro"
    normalised = normalise(original)
    assert normalised.text == "buero"
    assert normalised.original_span(1, 3) == (1, 2)


# Letters, digits, marks, joiners, tatweel, whitespace and characters NFKC or case folding expand.
_TRICKY = st.sampled_from("aA1 _\u0640\u064e\u0301\u200c\u200bßİıüي٣½²ⅧسلامÄ\t\n")


@given(st.text(alphabet=_TRICKY, max_size=40) | st.text())
def test_the_fast_normalised_text_is_the_normalised_texts_text(text: str) -> None:
    assert normalised_text(text) == normalise(text).text
