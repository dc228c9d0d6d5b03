"""Putting one Wegweiser process together from its settings."""

from __future__ import annotations

from dataclasses import dataclass

from actions.content_access import catalogue, content_source
from bot.action_runner import ActionRunner
from bot.config import Settings
from bot.dialogue import Dialogue
from bot.handover.notify import Notifier, TelegramStaffGroup
from bot.handover.service import Handover
from bot.handover.tickets import Tickets
from bot.logs import Pseudonyms, load_log_key
from bot.metrics import Metrics
from bot.outbound import Outbound
from bot.policy import load_policy
from bot.privacy import Forgetting
from bot.redis_store import RedisStore
from bot.releases import Releases
from bot.state import Conversations
from bot.statistics import county_statistics
from bot.store import EmbeddedStore, StateStore
from bot.translation import Translator
from bot.unanswered import UnansweredQuestions
from bot.web.outbox import WebOutbox
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
    handover: Handover
    outbound: Outbound
    forgetting: Forgetting
    translator: Translator
    web_outbox: WebOutbox
    releases: Releases

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
    retention = settings.transcript_retention_days * 24 * 3600
    outbound = Outbound()
    web_outbox = WebOutbox(store, retention)
    outbound.register("web", web_outbox.deliver)
    translator = Translator.from_settings(settings, store)
    tickets = Tickets(store, retention)
    handover = Handover(tickets, translator, outbound, catalogue, metrics, settings.office_hours, _notifier(settings))
    conversations = Conversations(store, settings.conversation_ttl_seconds)
    forgetting = Forgetting()
    dialogue = Dialogue(
        nlu,
        store,
        ActionRunner(),
        load_policy(),
        content.source,
        metrics,
        Pseudonyms(load_log_key(settings.log_key, settings.data_dir)),
        conversations,
        handover,
        forgetting,
        (county_statistics(store, settings), UnansweredQuestions(store)),
    )
    for forget in (conversations.forget, dialogue.forget_answers, tickets.forget, web_outbox.forget):
        forgetting.register(forget)
    return Assistant(
        settings, content, nlu, store, dialogue, metrics, handover, outbound, forgetting, translator, web_outbox,
        Releases(store, settings, nlu),
    )


def _notifier(settings: Settings) -> Notifier | None:
    if not (settings.staff_telegram_chat_id and settings.telegram_token):
        return None
    inbox = f"{(settings.public_url or '').rstrip('/')}/admin/inbox"
    chat_id = settings.staff_telegram_chat_id
    return TelegramStaffGroup(settings.telegram_api_url, settings.telegram_token, chat_id, inbox)
