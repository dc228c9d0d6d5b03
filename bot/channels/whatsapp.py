"""WhatsApp through the Cloud API: a signed webhook in, the Graph API out.

A notification is answered with 200 as soon as its signature and shape are
checked; its messages are then handled in the background, each once (by message
id) and one person at a time. Outside the 24-hour customer-service window only
the configured template goes out; the replies wait until the person writes again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import httpx
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from actions.content_access import ContentSource, content_source
from bot.channels.delivery import Delivery
from bot.channels.pacing import KeyedLocks
from bot.channels.payload_refs import PayloadRefs
from bot.channels.webhook import BodyTooLarge, json_object, read_body, refuse, same_secret
from bot.channels.whatsapp_graph import Backoff, GraphClient, GraphError
from bot.channels.whatsapp_inbound import Inbound, inbound_messages, valid_signature
from bot.channels.whatsapp_outbound import MAX_CHOICE_ID_BYTES, Choice, compose, template_message
from bot.channels.whatsapp_state import HeldReplies, NumberedChoices, ServiceWindow
from bot.config import Settings
from bot.messages import Incoming, Reply
from bot.payload import DELETE_DATA, parse_payload
from bot.state import Conversations
from bot.store import StateStore

if TYPE_CHECKING:
    from bot.assembly import Assistant
    from bot.dialogue import Dialogue
    from bot.metrics import Metrics

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "x-hub-signature-256"
MAX_BODY_BYTES = 1_000_000
MESSAGE_NAMESPACE = "whatsapp-message"
PAYLOAD_NAMESPACE = "whatsapp-payload"
# Meta retries an unacknowledged notification for up to seven days.
MESSAGE_TTL_SECONDS = 8 * 24 * 3600
STOP_GRACE_SECONDS = 10.0
DEFAULT_LANGUAGE = "de"
# The label of the button that opens a list: "Topics", or "Language" for the language choice.
MENU_LABEL_INTENT = "bot_capabilities"
LANGUAGE_LABEL_INTENT = "change_language"


def user_id(sender: str) -> str:
    return f"{CHANNEL}:{sender}"


def sender_of(user: str) -> str:
    """The WhatsApp id of a ``whatsapp:<wa_id>`` user id."""
    prefix, _, sender = user.partition(":")
    if prefix != CHANNEL or not sender.isascii() or not sender.isdigit():
        raise ValueError(f"{user!r} is not a WhatsApp user")
    return sender


class WhatsAppChannel:
    name = CHANNEL

    def __init__(
        self, settings: Settings, backoff: Backoff | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        token, app_secret = settings.whatsapp_token, settings.whatsapp_app_secret
        phone_number_id = settings.whatsapp_phone_number_id
        if not (token and app_secret and phone_number_id):
            raise ValueError("WhatsApp needs its token, app secret and phone number id")
        self._token = token
        self._app_secret = app_secret
        self._phone_number_id = phone_number_id
        self._verify_token = settings.whatsapp_verify_token
        self._api_url = settings.whatsapp_api_url
        self._template = settings.whatsapp_template_name
        languages = [code.strip() for code in settings.whatsapp_template_languages.split(",") if code.strip()]
        self._template_languages = languages or [DEFAULT_LANGUAGE]
        self._backoff = backoff or Backoff()
        self._clock = clock
        self._people = KeyedLocks()
        self._tasks: set[asyncio.Task[None]] = set()
        self._running: _Running | None = None

    def routes(self) -> list[BaseRoute]:
        return [
            Route(WEBHOOK_PATH, self._verify, methods=["GET"]),
            Route(WEBHOOK_PATH, self._notify, methods=["POST"]),
        ]

    async def start(self, assistant: Assistant) -> None:
        store = assistant.store
        ttl = assistant.settings.conversation_ttl_seconds
        http = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
        self._running = _Running(
            dialogue=assistant.dialogue,
            metrics=assistant.metrics,
            store=store,
            conversations=Conversations(store, ttl),
            content=content_source(assistant.settings.content_dir),
            refs=PayloadRefs(store, PAYLOAD_NAMESPACE, MAX_CHOICE_ID_BYTES),
            window=ServiceWindow(store, self._clock),
            held=HeldReplies(store, ttl),
            choices=NumberedChoices(store),
            http=http,
            graph=GraphClient(http, self._api_url, self._phone_number_id, self._token, self._backoff),
        )
        assistant.forgetting.register(self._forget)

    async def stop(self) -> None:
        if self._tasks:
            _, unfinished = await asyncio.wait(self._tasks, timeout=STOP_GRACE_SECONDS)
            for task in unfinished:
                task.cancel()
        running, self._running = self._running, None
        if running is not None:
            await running.http.aclose()

    async def deliver(self, user: str, replies: Sequence[Reply]) -> Delivery:
        """Send ``replies`` to a person at any time; outside the window the template goes out instead."""
        sender = sender_of(user)
        running = self._running
        if running is None:
            return Delivery.FAILED
        async with self._people.hold(sender):
            language = await self._language(running, sender)
            if await running.window.is_open(sender):
                return await self._send(running, sender, replies, language)
            return await self._hold(running, sender, replies, language)

    async def _forget(self, user: str) -> None:
        """Drop the window, held replies and numbered choices kept for a WhatsApp user."""
        running = self._running
        if running is None or user.partition(":")[0] != self.name:
            return
        sender = sender_of(user)
        await running.window.forget(sender)
        await running.held.drop(sender)
        await running.choices.drop(sender)

    async def _verify(self, request: Request) -> Response:
        """Meta's handshake when the webhook is registered: echo the challenge if the token is ours."""
        params = request.query_params
        if (
            self._verify_token
            and params.get("hub.mode") == "subscribe"
            and same_secret(params.get("hub.verify_token", ""), self._verify_token)
        ):
            return PlainTextResponse(params.get("hub.challenge", ""))
        return refuse(403, "verification failed")

    async def _notify(self, request: Request) -> Response:
        signature = request.headers.get(SIGNATURE_HEADER)
        if signature is None:
            return refuse(401, "missing signature")
        try:
            body = await read_body(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            return refuse(413, f"body larger than {MAX_BODY_BYTES} bytes")
        if not valid_signature(self._app_secret, body, signature):
            return refuse(403, "wrong signature")
        running = self._running
        if running is None:
            return refuse(503, "not started")
        data = json_object(body)
        if data is None:
            return refuse(400, "body is not a JSON object")
        inbounds = inbound_messages(data, self._phone_number_id)
        if inbounds:
            self._spawn(self._receive_all(running, inbounds))
        return Response(status_code=200)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _receive_all(self, running: _Running, inbounds: list[Inbound]) -> None:
        """The messages of one notification, in the order the person sent them."""
        for inbound in inbounds:
            try:
                await self._receive(running, inbound)
            # A failure with one message must not end the process or lose the others.
            except Exception:
                running.metrics.errors.labels(CHANNEL).inc()
                logger.exception("handling a WhatsApp message failed")

    async def _receive(self, running: _Running, inbound: Inbound) -> None:
        if not await running.store.add(MESSAGE_NAMESPACE, inbound.message_id, b"1", MESSAGE_TTL_SECONDS):
            logger.info("WhatsApp message %s arrived again; ignored", inbound.message_id)
            return
        sender = inbound.sender
        async with self._people.hold(sender):
            await running.window.opened(sender, inbound.sent_at)
            held = await running.held.take(sender)
            if held:
                await self._send(running, sender, held, await self._language(running, sender))
                if inbound.template_reply is not None:
                    # Pressing the template's button only asked for what was waiting.
                    return
            incoming = await self._incoming(running, inbound)
            if _asks_deletion(incoming):
                await running.held.drop(sender)
                await running.choices.drop(sender)
            outcome = await running.dialogue.handle(incoming)
            await self._send(running, sender, outcome.replies, outcome.language)

    async def _incoming(self, running: _Running, inbound: Inbound) -> Incoming:
        said = Incoming(user_id(inbound.sender), CHANNEL, message_id=inbound.message_id)
        if inbound.choice is not None:
            return replace(said, payload=await running.refs.decode(inbound.choice))
        if inbound.media is not None:
            return replace(said, media=inbound.media)
        text = inbound.text if inbound.text is not None else inbound.template_reply or ""
        picked = await running.choices.pick(inbound.sender, text)
        if picked is not None:
            return replace(said, payload=await running.refs.decode(picked))
        return replace(said, text=text)

    async def _send(self, running: _Running, sender: str, replies: Sequence[Reply], language: str) -> Delivery:
        """Send ``replies`` in order; if the window turns out closed, hold the rest for the template."""
        for index, reply in enumerate(replies):
            choices = [Choice(await running.refs.encode(button.payload), button.title) for button in reply.buttons]
            composed = compose(sender, reply, choices, _list_label(running.content, language, reply))
            if composed.numbered:
                await running.choices.offer(sender, composed.numbered)
            for message in composed.messages:
                try:
                    await running.graph.send(message)
                except GraphError as error:
                    if error.outside_window:
                        return await self._hold(running, sender, replies[index:], language)
                    logger.error("WhatsApp refused a message: %s", error)
                    return Delivery.FAILED
        return Delivery.SENT

    async def _hold(self, running: _Running, sender: str, replies: Sequence[Reply], language: str) -> Delivery:
        if self._template is None:
            logger.warning("outside the 24-hour window and no WhatsApp template configured; replies not sent")
            return Delivery.FAILED
        if await running.held.hold(sender, replies):
            code = language if language in self._template_languages else self._template_languages[0]
            try:
                await running.graph.send(template_message(sender, self._template, code))
            except GraphError as error:
                logger.error("WhatsApp refused the template %r: %s", self._template, error)
                await running.held.drop(sender)
                return Delivery.FAILED
        return Delivery.HELD

    async def _language(self, running: _Running, sender: str) -> str:
        state = await running.conversations.load(user_id(sender))
        return state.language or DEFAULT_LANGUAGE


@dataclass(frozen=True)
class _Running:
    """What the channel works with once started: the assistant's parts and the connection to Meta."""

    dialogue: Dialogue
    metrics: Metrics
    store: StateStore
    conversations: Conversations
    content: ContentSource
    refs: PayloadRefs
    window: ServiceWindow
    held: HeldReplies
    choices: NumberedChoices
    http: httpx.AsyncClient
    graph: GraphClient


def _list_label(content: ContentSource, language: str, reply: Reply) -> str:
    """The label of the button that opens a list, from the content in the person's language."""
    commands = [parse_payload(button.payload) for button in reply.buttons]
    choosing_language = bool(commands) and all(
        command is not None and command.intent == LANGUAGE_LABEL_INTENT for command in commands
    )
    answers = content.content().catalogue(language).answers
    answer = answers.get(LANGUAGE_LABEL_INTENT if choosing_language else MENU_LABEL_INTENT)
    return answer.title if answer is not None else ""


def _asks_deletion(incoming: Incoming) -> bool:
    words = (incoming.text or "").split()
    command = parse_payload(incoming.payload or (words[0] if words else ""))
    return command is not None and command.intent == DELETE_DATA
