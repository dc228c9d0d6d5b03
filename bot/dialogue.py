"""The conversation core: one incoming message in, the replies out.

The flow is the same for every channel: read the text (:mod:`bot.inbound`),
understand it (NLU) or take a pressed button (:mod:`bot.payload`), decide the
action (:mod:`bot.policy` plus the rules below), run it (:mod:`actions`) and
render the replies (:mod:`bot.render`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.action_runner import ActionRunner
from bot.handover.service import Handover
from bot.handover.tickets import Summary
from bot.inbound import Readable, read_text
from bot.logs import Pseudonyms
from bot.messages import Incoming, Outcome, Reply
from bot.metrics import Metrics
from bot.payload import BACK_TO_BOT, DELETE_DATA, Command, parse_payload
from bot.policy import Policy
from bot.privacy import Forgetting
from bot.render import render
from bot.state import Conversations, ConversationState
from bot.store import StateStore
from content.models import Catalogue
from nlu import FALLBACK_INTENT, NluBackend

logger = logging.getLogger(__name__)

EMERGENCY = "emergency"
HANDOVER = "human_handover"
# One person's messages are answered one at a time, whichever worker receives them;
# a turn that takes longer than this (a crashed worker) releases its lock.
TURN_LOCK = "turn"
TURN_SECONDS = 30.0
# Outcomes of messages with an id, kept so that a redelivery gets the same answer and no second effect.
ANSWERED = "answered"
ANSWERED_SECONDS = 24 * 3600.0
# Below this the language guess of a first message is confirmed by offering a choice.
SURE_LANGUAGE = 0.6
# A later message changes an unchosen language only when its language is this clear.
SWITCH_LANGUAGE = 0.9


@dataclass(frozen=True)
class Understanding:
    """What the conversation knows of one message before acting on it."""

    intent: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    ranking: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""
    language: str | None = None
    language_confidence: float = 0.0
    notice: str | None = None
    # Values the notice's text needs, e.g. the weekday and time counsellors are back.
    details: dict[str, str] = field(default_factory=dict)


class TurnRecorder(Protocol):
    """Learns from each finished turn (statistics, unanswered questions); keeps nothing that names the person."""

    async def record(self, channel: str, understanding: Understanding, outcome: Outcome) -> None: ...


class Dialogue:
    def __init__(
        self,
        nlu: NluBackend,
        store: StateStore,
        runner: ActionRunner,
        policy: Policy,
        catalogue: Catalogue,
        metrics: Metrics,
        pseudonyms: Pseudonyms,
        conversations: Conversations,
        handover: Handover,
        forgetting: Forgetting,
        recorders: Sequence[TurnRecorder] = (),
    ) -> None:
        missing = set(policy.rules.values()) - runner.action_names
        if missing:
            raise ValueError(f"policy names actions that do not exist: {', '.join(sorted(missing))}")
        self._nlu = nlu
        self._store = store
        self._conversations = conversations
        self._handover = handover
        self._forgetting = forgetting
        self._runner = runner
        self._policy = policy
        self._languages = catalogue.languages
        self._default_language = next(iter(catalogue.core_languages))
        self._metrics = metrics
        self._pseudonyms = pseudonyms
        self._recorders = tuple(recorders)

    async def handle(self, incoming: Incoming) -> Outcome:
        """Answer one message; one person's messages are handled one at a time, across all workers."""
        started = time.perf_counter()
        async with self._store.lock(TURN_LOCK, incoming.user, ttl_seconds=TURN_SECONDS):
            answered = await self._answered(incoming)
            if answered is not None:
                return answered
            outcome = await self._handle(incoming)
            # A deletion keeps nothing, not even its own answer; channels drop redelivered updates themselves.
            if incoming.message_id is not None and outcome.intent != DELETE_DATA:
                await self._store.put(
                    ANSWERED, _message_key(incoming), json.dumps(outcome.to_dict()).encode(), ANSWERED_SECONDS
                )
        self._count(incoming, outcome)
        logger.info(
            "message handled",
            extra={
                "channel": incoming.channel,
                "user": self._pseudonyms(incoming.user),
                "language": outcome.language,
                "intent": outcome.intent,
                "replies": len(outcome.replies),
                "handover": outcome.handover,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return outcome

    async def language_of(self, user: str) -> str:
        """The language ``user``'s conversation is held in."""
        return (await self._conversations.load(user)).language or self._default_language

    async def forget_answers(self, user: str) -> None:
        """Drop the outcomes kept for redeliveries of ``user``'s messages (they hold the person's answers)."""
        await self._store.delete_prefix(ANSWERED, f"{user}\n")

    async def _answered(self, incoming: Incoming) -> Outcome | None:
        """The outcome already given to this message, when it is delivered again."""
        if incoming.message_id is None:
            return None
        stored = await self._store.get(ANSWERED, _message_key(incoming))
        if stored is not None:
            return Outcome.from_dict(json.loads(stored))
        # A worker that died (or lost the store) after saving the turn but before noting the answer above.
        state = await self._conversations.load(incoming.user)
        if state.answer is not None and state.answered_message == incoming.message_id:
            return Outcome.from_dict(state.answer)
        return None

    def _count(self, incoming: Incoming, outcome: Outcome) -> None:
        self._metrics.messages_in.labels(incoming.channel, outcome.language).inc()
        self._metrics.messages_out.labels(incoming.channel, outcome.language).inc(len(outcome.replies))
        if outcome.intent == FALLBACK_INTENT:
            self._metrics.fallbacks.inc()
        elif outcome.intent == EMERGENCY:
            self._metrics.emergencies.inc()

    async def _handle(self, incoming: Incoming) -> Outcome:
        user = incoming.user
        state = await self._conversations.load(user)
        ticket = await self._handover.open_ticket_of(user)
        state.handover = ticket is not None
        understanding = await self._understand(incoming)
        if understanding.intent == DELETE_DATA:
            language = state.language or self._default_language
            await self._forgetting.forget(user)
            replies = await self._notice(user, ConversationState(language=language), "data_deleted")
            return Outcome(user, language, DELETE_DATA, replies)
        first_message = state.language is None
        self._follow_language(state, understanding)
        state.remember(understanding.text, understanding.intent)
        replies = await self._respond(user, state, understanding)
        if first_message and self._language_unsure(state, understanding):
            replies += await self._run(user, state, "action_change_language", Understanding("change_language"))
        replies += await self._hand_over(incoming, state, understanding, ticket is not None, replies)
        language = state.language or self._default_language
        outcome = Outcome(user, language, understanding.intent, replies, state.handover)
        if incoming.message_id is not None:
            state.answered_message, state.answer = incoming.message_id, outcome.to_dict()
        await self._conversations.save(user, state)
        for recorder in self._recorders:
            await recorder.record(incoming.channel, understanding, outcome)
        return outcome

    async def _hand_over(
        self,
        incoming: Incoming,
        state: ConversationState,
        understanding: Understanding,
        was_open: bool,
        replies: tuple[Reply, ...],
    ) -> tuple[Reply, ...]:
        """Keep the ticket in step with the turn: open it, feed it, or close it; the replies it adds."""
        user = incoming.user
        if state.handover and not was_open:
            summary = Summary(tuple(state.recent_intents), state.town)
            language = state.language or self._default_language
            started = await self._handover.start(user, incoming.channel, language, summary, state.recent_texts)
            if started.reopening is None:
                return ()
            details = {"weekday": started.reopening.weekday, "time": started.reopening.time}
            closed = Understanding(None, notice="handover_closed", details=details)
            return await self._run(user, state, "action_notice", closed)
        if state.handover:
            if understanding.text:
                await self._handover.user_wrote(user, understanding.text)
            for reply in replies:
                await self._handover.bot_said(user, reply.text)
        elif was_open:
            await self._handover.user_returned(user)
        return ()

    def _language_unsure(self, state: ConversationState, understanding: Understanding) -> bool:
        """Whether a first message leaves the language open, so that a choice is offered."""
        if state.language_chosen or understanding.intent in {None, "change_language"}:
            return False
        return understanding.language_confidence < SURE_LANGUAGE or understanding.language not in self._core

    @property
    def _core(self) -> set[str]:
        return {code for code, language in self._languages.items() if language.core}

    async def _understand(self, incoming: Incoming) -> Understanding:
        if incoming.media is not None:
            return Understanding(None, notice="unsupported_media")
        if incoming.payload is not None:
            return _from_command(parse_payload(incoming.payload))
        read = read_text(incoming.text or "")
        if not isinstance(read, Readable):
            notices = {"empty": "empty_message", "no_words": "no_words", "too_long": "too_long"}
            return Understanding(None, notice=notices.get(read.reason, "unreadable"))
        if read.text.startswith("/"):
            command = parse_payload(read.text.split()[0])
            if command is not None:
                return _from_command(command)
        with self._metrics.nlu_latency.time():
            parsed = (await self._nlu.parse(read.text)).to_dict()
        return Understanding(
            intent=parsed["intent"]["name"],
            entities=parsed["entities"],
            ranking=parsed["intent_ranking"],
            text=read.text,
            language=parsed["language"]["code"],
            language_confidence=parsed["language"]["confidence"],
        )

    def _follow_language(self, state: ConversationState, understanding: Understanding) -> None:
        detected = understanding.language
        if state.language_chosen or detected not in self._core:
            if state.language is None:
                state.language = self._default_language
            return
        if state.language is None or understanding.language_confidence >= SWITCH_LANGUAGE:
            state.language = detected

    async def _respond(self, user: str, state: ConversationState, understanding: Understanding) -> tuple[Reply, ...]:
        intent = understanding.intent
        if understanding.notice is not None:
            return await self._notice(user, state, understanding.notice)
        if intent == EMERGENCY:
            return await self._run(user, state, "action_emergency", understanding)
        if intent == BACK_TO_BOT:
            was_handover, state.handover = state.handover, False
            return await self._notice(user, state, "bot_back") if was_handover else await self._menu(user, state)
        if state.handover:
            return ()
        if state.awaiting == "town" and _has_entity(understanding, "town"):
            understanding = Understanding("office_locations", understanding.entities, text=understanding.text)
            intent = understanding.intent
        if intent == FALLBACK_INTENT or intent not in self._policy.rules:
            state.fallback_count += 1
            understanding = Understanding(
                FALLBACK_INTENT, understanding.entities, understanding.ranking, understanding.text
            )
        else:
            state.fallback_count = 0
        state.last_intent = understanding.intent
        return await self._run(
            user, state, self._policy.action_for(understanding.intent or FALLBACK_INTENT), understanding
        )

    async def _menu(self, user: str, state: ConversationState) -> tuple[Reply, ...]:
        return await self._run(user, state, "action_main_menu", Understanding("bot_capabilities"))

    async def _notice(self, user: str, state: ConversationState, notice: str) -> tuple[Reply, ...]:
        return await self._run(user, state, "action_notice", Understanding(None, notice=notice))

    async def _run(
        self, user: str, state: ConversationState, action: str, understanding: Understanding
    ) -> tuple[Reply, ...]:
        slots = {
            "language": state.language,
            "town": state.town,
            "fallback_count": state.fallback_count,
            "awaiting": state.awaiting,
            "handover": state.handover,
        }
        latest = {
            "text": understanding.text,
            "intent": {"name": understanding.intent, "confidence": 1.0},
            "intent_ranking": understanding.ranking,
            "entities": understanding.entities,
            "metadata": {"notice": understanding.notice, **understanding.details} if understanding.notice else {},
        }
        result = await self._runner.run(action, user, slots, latest)
        if "language" in result.slots:
            state.language, state.language_chosen = result.slots["language"], True
        if "town" in result.slots:
            state.town = result.slots["town"]
        if "awaiting" in result.slots:
            state.awaiting = result.slots["awaiting"]
        if "handover" in result.slots:
            state.handover = bool(result.slots["handover"])
        language = self._languages.get(state.language or self._default_language)
        return render(result.responses, language is not None and language.direction == "rtl")


def _from_command(command: Command | None) -> Understanding:
    if command is None:
        return Understanding(None, notice="not_understood")
    entities = [{"entity": name, "value": value} for name, value in command.entities.items()]
    return Understanding(command.intent, entities, language_confidence=1.0)


def _message_key(incoming: Incoming) -> str:
    return f"{incoming.user}\n{incoming.message_id}"


def _has_entity(understanding: Understanding, name: str) -> bool:
    return any(entity.get("entity") == name for entity in understanding.entities)
