"""Multilingual natural language understanding: language, intent and entities of a newcomer's message."""

from nlu.spacy_import import import_spacy_without_torch

# Before any module of this package imports spaCy (see nlu.spacy_import).
import_spacy_without_torch()

from nlu.backend import NluBackend, load_backend  # noqa: E402
from nlu.result import FALLBACK_INTENT, ParseResult  # noqa: E402

__all__ = ["FALLBACK_INTENT", "NluBackend", "ParseResult", "load_backend"]
