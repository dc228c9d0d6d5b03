"""Putting one Wegweiser process together from its settings."""

from __future__ import annotations

from dataclasses import dataclass

from actions.content_access import content_source
from bot.action_runner import ActionRunner
from bot.config import Settings
from bot.dialogue import Dialogue
from bot.logs import Pseudonyms, load_log_key
from bot.metrics import Metrics
from bot.policy import load_policy
from bot.redis_store import RedisStore
from bot.store import EmbeddedStore, StateStore
from content.store import Content
from nlu import NluBackend, load_backend


@dataclass
class Assistant:
    """Everything a process needs to hold conversations."""

    settings: Settings
    content: Content
    nlu: NluBackend
    store: StateStore
    dialogue: Dialogue
    metrics: Metrics

    async def close(self) -> None:
        await self.store.close()


def open_store(settings: Settings) -> StateStore:
    """Redis when a URL is configured (state shared by every worker), else SQLite in the data directory."""
    if settings.redis_url:
        return RedisStore(settings.redis_url)
    return EmbeddedStore(settings.data_dir / "state.sqlite3")


def build_assistant(settings: Settings) -> Assistant:
    """Load content and model (training it if stale) and open the state store."""
    content = content_source(settings.content_dir).content()
    nlu = load_backend(settings)
    store = open_store(settings)
    metrics = Metrics()
    dialogue = Dialogue(
        nlu,
        store,
        ActionRunner(),
        load_policy(),
        content.source,
        metrics,
        Pseudonyms(load_log_key(settings.log_key, settings.data_dir)),
        settings.conversation_ttl_seconds,
    )
    return Assistant(settings, content, nlu, store, dialogue, metrics)
