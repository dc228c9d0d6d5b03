"""Replies as Telegram messages: split at 4,096 characters, buttons as an inline keyboard."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.channels.delivery import Delivery
from bot.channels.payload_refs import PayloadRefs
from bot.channels.text import split_text, utf16_length
from bot.messages import Reply
from bot.store import StateStore

logger = logging.getLogger(__name__)

MAX_TEXT = 4096
CALLBACK_DATA_BYTES = 64
# Buttons with titles this short sit two to a row; longer ones get a row each.
PAIRED_TITLE = 16
# Telegram refuses an empty message; a keyboard without text gets this pointer instead.
BLANK = "👇"
SENT_NAMESPACE = "telegram-sent"


class TelegramUnavailable(Exception):
    """Telegram did not take a message for a passing reason: a timeout, the network, its own server error.

    Whether the message arrived is unknown; the answer is to be sent again from that message on, which the
    webhook asks of Telegram by refusing the update for now.
    """


class SentCount:
    """How many messages of one answer reached Telegram, kept in the store across workers and crashes."""

    def __init__(self, store: StateStore, key: str, ttl_seconds: float) -> None:
        self._store = store
        self._key = key
        self._ttl = ttl_seconds

    async def get(self) -> int:
        stored = await self._store.get(SENT_NAMESPACE, self._key)
        return int(stored) if stored is not None else 0

    async def set(self, count: int) -> None:
        await self._store.put(SENT_NAMESPACE, self._key, str(count).encode(), self._ttl)


class TelegramOutbox:
    def __init__(self, bot: Bot, refs: PayloadRefs) -> None:
        self._bot = bot
        self._refs = refs

    async def send(self, chat_id: int, replies: Sequence[Reply], sent: SentCount | None = None) -> Delivery:
        """Send ``replies`` in order; stop at the first one Telegram refuses, raise :class:`TelegramUnavailable`
        at the first one it could not take.

        With ``sent``, the messages it counts are skipped and every message that goes out is counted, so
        that sending the same answer again (after a crash) delivers only the rest. A crash between
        Telegram's acceptance and the count repeats that one message: Telegram has no way to ask.
        """
        skip = await sent.get() if sent is not None else 0
        position = 0
        for reply in replies:
            keyboard = await self.keyboard(reply)
            pieces = split_text(reply.text, MAX_TEXT, utf16_length) or [BLANK]
            for number, piece in enumerate(pieces, start=1):
                position += 1
                if position <= skip:
                    continue
                try:
                    await self._bot.send_message(
                        chat_id, piece, reply_markup=keyboard if number == len(pieces) else None
                    )
                except Forbidden:
                    logger.info("a chat blocked the bot; replies dropped")
                    return Delivery.FAILED
                except TelegramError as error:
                    # BadRequest is a NetworkError in the library, but Telegram's answer for good.
                    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
                        raise TelegramUnavailable(str(error)) from error
                    logger.exception("Telegram refused a message")
                    return Delivery.FAILED
                if sent is not None:
                    await sent.set(position)
        return Delivery.SENT

    async def keyboard(self, reply: Reply) -> InlineKeyboardMarkup | None:
        buttons = [
            InlineKeyboardButton(button.title, callback_data=await self._refs.encode(button.payload))
            for button in reply.buttons
        ]
        links = [InlineKeyboardButton(link.title, url=link.url) for link in reply.links if _openable(link.url)]
        if not buttons and not links:
            return None
        per_row = 2 if all(len(button.title) <= PAIRED_TITLE for button in reply.buttons) else 1
        rows = [buttons[start : start + per_row] for start in range(0, len(buttons), per_row)]
        return InlineKeyboardMarkup([*rows, *([link] for link in links)])


def _openable(url: str) -> bool:
    """Telegram accepts only absolute web links on URL buttons."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)
