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
        self._http: httpx.AsyncClient | None = None
        self._graph: GraphClient | None = None
        self._dialogue: Dialogue | None = None
        self._metrics: Metrics | None = None
        self._store: StateStore | None = None
        self._conversations: Conversations | None = None
        self._content: ContentSource | None = None
        self._refs: PayloadRefs | None = None
        self._window: ServiceWindow | None = None
        self._held: HeldReplies | None = None
        self._choices: NumberedChoices | None = None

    def routes(self) -> list[BaseRoute]:
        return [
            Route(WEBHOOK_PATH, self._verify, methods=["GET"]),
            Route(WEBHOOK_PATH, self._notify, methods=["POST"]),
        ]

    async def start(self, assistant: Assistant) -> None:
        store = assistant.store
        self._dialogue = assistant.dialogue
        self._metrics = assistant.metrics
        self._store = store
        self._conversations = Conversations(store, assistant.settings.conversation_ttl_seconds)
        self._content = content_source(assistant.settings.content_dir)
        self._refs = PayloadRefs(store, PAYLOAD_NAMESPACE, MAX_CHOICE_ID_BYTES)
        self._window = ServiceWindow(store, self._clock)
        self._held = HeldReplies(store, assistant.settings.conversation_ttl_seconds)
        self._choices = NumberedChoices(store)
        self._http = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
        self._graph = GraphClient(self._http, self._api_url, self._phone_number_id, self._token, self._backoff)

    async def stop(self) -> None:
        if self._tasks:
            _, unfinished = await asyncio.wait(self._tasks, timeout=STOP_GRACE_SECONDS)
            for task in unfinished:
                task.cancel()
        self._graph = None
        if self._http is not None:
            await self._http.aclose()

    async def deliver(self, user: str, replies: Sequence[Reply]) -> Delivery:
        """Send ``replies`` to a person at any time; outside the window the template goes out instead."""
        sender = sender_of(user)
        if self._graph is None or self._window is None:
            return Delivery.FAILED
        async with self._people.hold(sender):
            language = await self._language(sender)
            if await self._window.is_open(sender):
                return await self._send(sender, replies, language)
            return await self._hold(sender, replies, language)

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
        if self._graph is None:
            return refuse(503, "not started")
        data = json_object(body)
        if data is None:
            return refuse(400, "body is not a JSON object")
        inbounds = inbound_messages(data, self._phone_number_id)
        if inbounds:
            self._spawn(self._receive_all(inbounds))
        return Response(status_code=200)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        # A failure with one message must not end the process or lose the others.
        except Exception:
            if self._metrics is not None:
                self._metrics.errors.labels(CHANNEL).inc()
            logger.exception("handling a WhatsApp message failed")

    async def _receive_all(self, inbounds: list[Inbound]) -> None:
        """The messages of one notification, in the order the person sent them."""
        for inbound in inbounds:
            await self._guarded(self._receive(inbound))

    async def _receive(self, inbound: Inbound) -> None:
        assert self._store is not None and self._window is not None and self._held is not None
        assert self._dialogue is not None and self._choices is not None
        if not await self._store.add(MESSAGE_NAMESPACE, inbound.message_id, b"1", MESSAGE_TTL_SECONDS):
            logger.info("WhatsApp message %s arrived again; ignored", inbound.message_id)
            return
        sender = inbound.sender
        async with self._people.hold(sender):
            await self._window.opened(sender, inbound.sent_at)
            held = await self._held.take(sender)
            if held:
                await self._send(sender, held, await self._language(sender))
                if inbound.template_reply is not None:
                    # Pressing the template's button only asked for what was waiting.
                    return
            incoming = await self._incoming(inbound)
            if _asks_deletion(incoming):
                await self._held.drop(sender)
                await self._choices.drop(sender)
            outcome = await self._dialogue.handle(incoming)
            await self._send(sender, outcome.replies, outcome.language)

    async def _incoming(self, inbound: Inbound) -> Incoming:
        assert self._refs is not None and self._choices is not None
        user = user_id(inbound.sender)
        if inbound.choice is not None:
            return Incoming(user, CHANNEL, payload=await self._refs.decode(inbound.choice))
        if inbound.media is not None:
            return Incoming(user, CHANNEL, media=inbound.media)
        text = inbound.text if inbound.text is not None else inbound.template_reply or ""
        picked = await self._choices.pick(inbound.sender, text)
        if picked is not None:
            return Incoming(user, CHANNEL, payload=await self._refs.decode(picked))
        return Incoming(user, CHANNEL, text=text)

    async def _send(self, sender: str, replies: Sequence[Reply], language: str) -> Delivery:
        """Send ``replies`` in order; if the window turns out closed, hold the rest for the template."""
        assert self._graph is not None and self._refs is not None and self._choices is not None
        for index, reply in enumerate(replies):
            choices = [Choice(await self._refs.encode(button.payload), button.title) for button in reply.buttons]
            composed = compose(sender, reply, choices, self._list_label(language, reply))
            if composed.numbered:
                await self._choices.offer(sender, composed.numbered)
            for message in composed.messages:
                try:
                    await self._graph.send(message)
                except GraphError as error:
                    if error.outside_window:
                        return await self._hold(sender, replies[index:], language)
                    logger.error("WhatsApp refused a message: %s", error)
                    return Delivery.FAILED
        return Delivery.SENT

    async def _hold(self, sender: str, replies: Sequence[Reply], language: str) -> Delivery:
        assert self._graph is not None and self._held is not None
        if self._template is None:
            logger.warning("outside the 24-hour window and no WhatsApp template configured; replies not sent")
            return Delivery.FAILED
        if await self._held.hold(sender, replies):
            code = language if language in self._template_languages else self._template_languages[0]
            try:
                await self._graph.send(template_message(sender, self._template, code))
            except GraphError as error:
                logger.error("WhatsApp refused the template %r: %s", self._template, error)
                await self._held.drop(sender)
                return Delivery.FAILED
        return Delivery.HELD

    async def _language(self, sender: str) -> str:
        assert self._conversations is not None
        state = await self._conversations.load(user_id(sender))
        return state.language or DEFAULT_LANGUAGE

    def _list_label(self, language: str, reply: Reply) -> str:
        """The label of the button that opens a list, from the content in the person's language."""
        assert self._content is not None
        commands = [parse_payload(button.payload) for button in reply.buttons]
        choosing_language = bool(commands) and all(
            command is not None and command.intent == LANGUAGE_LABEL_INTENT for command in commands
        )
        answers = self._content.content().catalogue(language).answers
        answer = answers.get(LANGUAGE_LABEL_INTENT if choosing_language else MENU_LABEL_INTENT)
        return answer.title if answer is not None else ""


def _asks_deletion(incoming: Incoming) -> bool:
    words = (incoming.text or "").split()
    command = parse_payload(incoming.payload or (words[0] if words else ""))
    return command is not None and command.intent == DELETE_DATA
