"""spaCy's tokenizers as the engine keeps them in a serving process."""

from __future__ import annotations

from nlu.tokenize import MAX_WORDS_KEPT, blank_pipeline, tokenize


def test_a_language_pipeline_is_made_anew_once_it_has_kept_too_many_words() -> None:
    for start in range(0, MAX_WORDS_KEPT + 100, 50):
        tokenize(" ".join(f"wort{number}" for number in range(start, start + 50)), "de")
    assert len(blank_pipeline("de").vocab) <= MAX_WORDS_KEPT + 50


def test_the_tokens_of_a_text_do_not_depend_on_the_words_seen_before() -> None:
    before = [token.text for token in tokenize("Wo ist das Büro in Bad-Hersfeld?", "de")]
    for start in range(0, MAX_WORDS_KEPT + 100, 50):
        tokenize(" ".join(f"wort{number}" for number in range(start, start + 50)), "de")
    assert [token.text for token in tokenize("Wo ist das Büro in Bad-Hersfeld?", "de")] == before
