"""Telegram through python-telegram-bot: a webhook inside the web application, or polling for development.

Every update is taken once (by ``update_id``), answered only in private chats, and
answered in order per chat; the Bot API calls keep Telegram's pace
(:mod:`bot.channels.telegram_limiter`). A webhook call is answered with 200 only
once the update's replies went out: Telegram delivers an update again until it
gets one, so one that a dying worker or an unreachable store left half done is
finished by whichever worker gets it next, sending only what had not gone out.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.channels.delivery import Delivery
from bot.channels.pacing import KeyedLocks
from bot.channels.payload_refs import PayloadRefs
from bot.channels.telegram_limiter import PacingLimiter
from bot.channels.telegram_outbox import CALLBACK_DATA_BYTES, SentCount, TelegramOutbox, TelegramUnavailable
from bot.channels.webhook import BodyTooLarge, json_object, read_body, refuse, same_secret
from bot.config import Settings
from bot.messages import Incoming, Reply
from bot.store import LockTimeout, StateStore, StoreUnavailable

if TYPE_CHECKING:
    from bot.assembly import Assistant
    from bot.dialogue import Dialogue
    from bot.metrics import Metrics

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "x-telegram-bot-api-secret-token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MAX_BODY_BYTES = 1_000_000
UPDATE_NAMESPACE = "telegram-update"
PAYLOAD_NAMESPACE = "telegram-payload"
# Telegram keeps an undelivered update for 24 hours; its id is remembered a little longer.
UPDATE_TTL_SECONDS = 26 * 3600
CONCURRENT_UPDATES = 64
# What Telegram allows as a webhook secret token.
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# What a message may hold instead of text, in the order checked: a venue is also a
# location, an animation also a document.
MEDIA_KINDS = (
    "voice",
    "audio",
    "video_note",
    "video",
    "animation",
    "sticker",
    "photo",
    "document",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "paid_media",
    "invoice",
)
RECONNECT_DELAYS_SECONDS = (1, 2, 5, 10, 30)
RECONNECT_DELAY_LIMIT_SECONDS = 60


def user_id(chat_id: int) -> str:
    return f"{CHANNEL}:{chat_id}"


def chat_id_of(user: str) -> int:
    """The chat of a ``telegram:<chat_id>`` user id."""
    prefix, _, chat = user.partition(":")
    if prefix != CHANNEL:
        raise ValueError(f"{user!r} is not a Telegram user")
    return int(chat)


class TelegramChannel:
    name = CHANNEL

    def __init__(self, settings: Settings, limiter: PacingLimiter | None = None) -> None:
        token = settings.telegram_token
        if not token:
            raise ValueError("WEGWEISER_TELEGRAM_TOKEN is not set")
        self._secret = settings.telegram_webhook_secret
        if self._secret is not None and not SECRET_PATTERN.match(self._secret):
            raise ValueError("WEGWEISER_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -")
        self.mode = settings.telegram_mode or ("webhook" if self._secret else "polling")
        if self.mode == "webhook" and not self._secret:
            # Without the secret anyone who finds the URL could speak in a newcomer's name.
            raise ValueError("Telegram webhook mode needs WEGWEISER_TELEGRAM_WEBHOOK_SECRET")
        self._webhook_url = settings.telegram_webhook_url
        self._bot_id = token.partition(":")[0]
        base = settings.telegram_api_url.rstrip("/")
        builder = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"{base}/bot")
            .base_file_url(f"{base}/file/bot")
            .rate_limiter(limiter or PacingLimiter())
            .concurrent_updates(CONCURRENT_UPDATES)
            .job_queue(None)
        )
        if self.mode == "webhook":
            builder = builder.updater(None)
        self._application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self._application.add_handler(TypeHandler(Update, self._on_polled))
        self._application.add_error_handler(self._on_error)
        self._chats = KeyedLocks()
        self._ready = False
        self._connecting: asyncio.Task[None] | None = None
        self._running: _Running | None = None

    def routes(self) -> list[BaseRoute]:
        return [Route(WEBHOOK_PATH, self._webhook, methods=["POST"])]

    async def start(self, assistant: Assistant) -> None:
        refs = PayloadRefs(assistant.store, PAYLOAD_NAMESPACE, CALLBACK_DATA_BYTES)
        self._running = _Running(
            assistant.dialogue, assistant.metrics, assistant.store, refs, TelegramOutbox(self._application.bot, refs)
        )
        if not await self._connect():
            # Telegram being unreachable must not keep the web chat from starting.
            self._connecting = asyncio.create_task(self._keep_connecting())

    async def stop(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        self._ready = False
        application = self._application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    async def deliver(self, user: str, replies: Sequence[Reply]) -> Delivery:
        """Send ``replies`` to a person at any time (a counsellor's answer, for example)."""
        chat_id = chat_id_of(user)
        if not self._ready or self._running is None:
            return Delivery.FAILED
        async with self._chats.hold(chat_id):
            try:
                return await self._running.outbox.send(chat_id, replies)
            except TelegramUnavailable as error:
                logger.warning("Telegram did not take a message: %s", error)
                return Delivery.FAILED

    async def _connect(self) -> bool:
        """Connect to the Bot API; True when done, also when Telegram refused the token for good."""
        application = self._application
        try:
            await application.initialize()
            if not application.running:
                await application.start()
            if application.updater is not None and not application.updater.running:
                await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            elif self._webhook_url:
                await application.bot.set_webhook(
                    self._webhook_url, secret_token=self._secret, allowed_updates=ALLOWED_UPDATES
                )
        except InvalidToken:
            logger.error("Telegram refused the bot token; the Telegram channel stays off")
            return True
        except TelegramError as error:
            logger.warning("cannot reach the Telegram Bot API yet: %s", error)
            return False
        self._ready = True
        logger.info("Telegram channel ready (%s)", self.mode)
        return True

    async def _keep_connecting(self) -> None:
        delays = itertools.chain(RECONNECT_DELAYS_SECONDS, itertools.repeat(RECONNECT_DELAY_LIMIT_SECONDS))
        for delay in delays:
            await asyncio.sleep(delay)
            if await self._connect():
                return

    async def _webhook(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return refuse(401, "missing secret token")
        if self._secret is None or not same_secret(given, self._secret):
            return refuse(403, "wrong secret token")
        if not self._ready:
            return refuse(503, "not connected to Telegram yet")
        try:
            body = await read_body(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            return refuse(413, f"body larger than {MAX_BODY_BYTES} bytes")
        data = json_object(body)
        update = self._parse(data) if data is not None else None
        if update is None:
            return refuse(400, "body is not a Telegram update")
        try:
            await self._process(update)
        except (StoreUnavailable, LockTimeout, TelegramUnavailable) as error:
            logger.warning("Telegram update %s must wait: %s", update.update_id, error)
            return refuse(503, "cannot handle the update now; send it again")
        except Exception:
            # A failure of the update itself would recur on every delivery and hold up the chat: dropped.
            self._started().metrics.errors.labels(CHANNEL).inc()
            logger.exception("handling a Telegram update failed")
        return Response(status_code=200)

    def _parse(self, data: dict[str, Any]) -> Update | None:
        update_id = data.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return None
        try:
            return Update.de_json(data, self._application.bot)
        # The library's parsers raise whatever a malformed field happens to trigger.
        except Exception:
            logger.info("unparseable Telegram update %s", update_id)
            return None

    async def _on_polled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._process(update)

    async def _process(self, update: Update) -> None:
        """Handle ``update`` unless that was done before (a retried webhook call, a restart while polling).

        It counts as done once its replies went out; until then a delivery of it again gets the
        dialogue's stored answer, of which only the messages not sent yet go out.
        """
        store = self._started().store
        key = f"{self._bot_id}:{update.update_id}"
        if await store.get(UPDATE_NAMESPACE, key) is not None:
            logger.info("Telegram update %s arrived again; ignored", update.update_id)
            return
        await self._on_update(update)
        await store.put(UPDATE_NAMESPACE, key, b"1", UPDATE_TTL_SECONDS)

    async def _on_update(self, update: Update) -> None:
        if update.callback_query is not None:
            await self._on_button(update.callback_query, update.update_id)
            return
        # An edited message is read as the corrected question it is.
        message = update.message or update.edited_message
        # The assistant talks with people one to one; in groups and channels it stays silent.
        if message is None or message.chat.type != ChatType.PRIVATE:
            return
        incoming = _incoming(message, update.update_id)
        if incoming is not None:
            await self._converse(message.chat.id, incoming)

    async def _on_button(self, query: CallbackQuery, update_id: int) -> None:
        try:
            await query.answer()
        except TelegramError as error:
            logger.warning("could not answer button press %s: %s", query.id, error)
        message = query.message
        if message is None or message.chat.type != ChatType.PRIVATE or not query.data:
            return
        payload = await self._started().refs.decode(query.data)
        pressed = Incoming(user_id(message.chat.id), CHANNEL, payload=payload, message_id=str(update_id))
        await self._converse(message.chat.id, pressed)

    async def _converse(self, chat_id: int, incoming: Incoming) -> None:
        running = self._started()
        sent = SentCount(running.store, f"{self._bot_id}:{incoming.message_id}", UPDATE_TTL_SECONDS)
        async with self._chats.hold(chat_id):
            outcome = await running.dialogue.handle(incoming)
            await running.outbox.send(chat_id, outcome.replies, sent)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if self._running is not None:
            self._running.metrics.errors.labels(CHANNEL).inc()
        logger.error("handling a Telegram update failed", exc_info=context.error)

    def _started(self) -> _Running:
        if self._running is None:
            raise RuntimeError("the Telegram channel is not started")
        return self._running


@dataclass(frozen=True)
class _Running:
    """What the channel works with once started."""

    dialogue: Dialogue
    metrics: Metrics
    store: StateStore
    refs: PayloadRefs
    outbox: TelegramOutbox


def _incoming(message: Message, update_id: int) -> Incoming | None:
    """What a person sent, or None for service messages (someone joined, a pinned message)."""
    # The update, not the message, is the unit: an edit keeps the message id but is a new question.
    user, message_id = user_id(message.chat.id), str(update_id)
    if message.text is not None:
        return Incoming(user, CHANNEL, text=_without_bot_name(message.text), message_id=message_id)
    kind = next((kind for kind in MEDIA_KINDS if getattr(message, kind, None)), None)
    return Incoming(user, CHANNEL, media=kind, message_id=message_id) if kind is not None else None


def _without_bot_name(text: str) -> str:
    """``/help@WegweiserBot`` as ``/help``: the command menu adds the bot's name."""
    if not text.startswith("/"):
        return text
    command, space, rest = text.partition(" ")
    return command.partition("@")[0] + space + rest
