"""The language codes the NLU knows (ISO 639-1 where one exists)."""

from __future__ import annotations

CORE_LANGUAGES: tuple[str, ...] = ("de", "en", "ar", "fa", "uk", "ru", "tr")
"""Languages with training data and answers."""

EXTRA_LANGUAGES: tuple[str, ...] = ("ps", "ku", "ckb", "ti", "so", "fr")
"""Languages recognised so that the dialogue can say which languages it does answer in."""

KNOWN_LANGUAGES: frozenset[str] = frozenset(CORE_LANGUAGES + EXTRA_LANGUAGES)

DEFAULT_LANGUAGE = "de"
"""The answer when a message carries no evidence of its language at all (digits, emoji)."""
