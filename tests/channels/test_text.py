"""Splitting long answers: every piece within the limit, nothing lost, cut where it reads best."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.text import split_text, utf16_length


def test_a_short_text_stays_one_piece() -> None:
    assert split_text("Hallo! Wie kann ich helfen?", 4096) == ["Hallo! Wie kann ich helfen?"]


def test_a_long_text_is_cut_between_paragraphs() -> None:
    paragraphs = [f"Absatz {number}: " + "Wort " * 150 for number in range(12)]
    pieces = split_text("\n\n".join(paragraph.strip() for paragraph in paragraphs), 2000)
    assert len(pieces) > 1
    for piece in pieces:
        assert piece.startswith("Absatz ") and piece.endswith("Wort")


def test_a_paragraph_longer_than_the_limit_is_cut_between_words() -> None:
    pieces = split_text("Beratung " * 100, 100)
    assert all(piece.split() == ["Beratung"] * len(piece.split()) for piece in pieces)


def test_a_sentence_keeps_its_full_stop() -> None:
    pieces = split_text("Erster Satz hier. " * 20, 60)
    assert all(piece.endswith(".") for piece in pieces)


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    assert split_text("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_emoji_count_twice_in_utf16() -> None:
    pieces = split_text("😀" * 3000, 4096, utf16_length)
    assert [utf16_length(piece) for piece in pieces] == [4096, 1904]


def test_an_empty_text_has_no_pieces() -> None:
    assert split_text(" \n\n ", 10) == []


texts = st.text(alphabet=st.sampled_from([*"ab .\n", "😀", "ب", "\u2066", "\u2069"]), max_size=600)


@settings(max_examples=300, deadline=None)
@given(text=texts, limit=st.integers(min_value=2, max_value=120))
def test_pieces_fit_and_keep_every_character_but_the_space_between_them(text: str, limit: int) -> None:
    pieces = split_text(text, limit, utf16_length)
    assert all(piece and utf16_length(piece) <= limit for piece in pieces)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", text)
