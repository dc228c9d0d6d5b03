"""Multilingual natural language understanding: language, intent and entities of a newcomer's message."""

from nlu.backend import NluBackend, load_backend
from nlu.result import FALLBACK_INTENT, ParseResult

__all__ = ["FALLBACK_INTENT", "NluBackend", "ParseResult", "load_backend"]
