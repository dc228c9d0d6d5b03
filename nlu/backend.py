"""The NLU as the rest of the assistant sees it: ``await backend.parse(text)``."""

from __future__ import annotations

from typing import Protocol

from bot.config import Settings
from nlu.engine import NluEngine
from nlu.model_store import ensure_model
from nlu.rasa_backend import RasaNlu
from nlu.result import ParseResult


class NluBackend(Protocol):
    async def parse(self, text: str) -> ParseResult: ...


class EmbeddedNlu:
    """The engine in this process. Parsing takes about a millisecond, so it runs on the event loop."""

    def __init__(self, engine: NluEngine) -> None:
        self.engine = engine

    async def parse(self, text: str) -> ParseResult:
        return self.engine.parse(text)

    def replace_engine(self, engine: NluEngine) -> None:
        """Parse with ``engine`` from the next message on (a model of newly published training data)."""
        self.engine = engine


def load_backend(settings: Settings) -> NluBackend:
    """The configured backend; trains the embedded model first if none matches the training data."""
    stored = ensure_model(settings.nlu_data_dir, settings.model_dir)
    if settings.nlu_backend == "rasa":
        # Settings refuses the rasa backend without a URL. Rasa answers without a language; our language
        # identifier, trained on the same data, adds it.
        return RasaNlu(str(settings.rasa_url), settings.rasa_timeout_seconds, stored.engine.languages)
    return EmbeddedNlu(stored.engine)
