"""Reading what people type: what can be understood, and why the rest cannot."""

import pytest

from bot.inbound import MAX_LENGTH, Readable, Unreadable, read_text


def test_ordinary_text_is_readable_with_whitespace_collapsed() -> None:
    assert read_text("  Wo ist   das Büro?\n") == Readable("Wo ist das Büro?")


def test_persian_zero_width_non_joiner_is_kept() -> None:
    assert read_text("می\u200cخواهم") == Readable("می\u200cخواهم")


def test_bidi_overrides_and_control_characters_are_removed() -> None:
    assert read_text("Bebra\u202e\x07 bitte") == Readable("Bebra bitte")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        (" \t\n", "empty"),
        ("🙏🙏", "no_words"),
        ("?!…", "no_words"),
        ("\x00\x01", "unreadable"),
        ("a" * (MAX_LENGTH + 1), "too_long"),
    ],
)
def test_unreadable_text_names_its_reason(raw: str, reason: str) -> None:
    assert read_text(raw) == Unreadable(reason)  # type: ignore[arg-type]


def test_text_of_exactly_the_limit_is_readable() -> None:
    assert isinstance(read_text("a" * MAX_LENGTH), Readable)


def test_emoji_with_a_word_is_readable() -> None:
    assert read_text("🙏 danke") == Readable("🙏 danke")
