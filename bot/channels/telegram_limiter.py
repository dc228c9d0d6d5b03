"""The pace of Bot API calls, as Telegram asks for it: about one message a second per chat, 30 in all."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.channels.pacing import Pacer

logger = logging.getLogger(__name__)

# Methods that put something into a chat; everything else (answering a button press,
# getMe, setWebhook) goes out at once.
PACED_PREFIXES = ("send", "copy", "forward", "edit")
OVERALL = "overall"
# Telegram tolerates short bursts in one chat; a split answer of three parts arrives at once.
PER_CHAT_RATE = 1.0
PER_CHAT_BURST = 3
OVERALL_RATE = 30.0
# Waiting longer than this for a flood limit holds up a person's whole conversation; give up instead.
MAX_RETRY_AFTER_SECONDS = 60.0


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, whichever type this version of the library gives it in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PacingLimiter(BaseRateLimiter[None]):
    def __init__(self, per_chat: Pacer | None = None, overall: Pacer | None = None, max_retries: int = 3) -> None:
        self._per_chat = per_chat or Pacer(PER_CHAT_RATE, PER_CHAT_BURST)
        self._overall = overall or Pacer(OVERALL_RATE, int(OVERALL_RATE))
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the pacers hold no connections."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = data.get("chat_id") if endpoint.startswith(PACED_PREFIXES) else None
        attempt = 0
        while True:
            if chat is not None:
                await self._per_chat.wait(str(chat))
                await self._overall.wait(OVERALL)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                delay = retry_after_seconds(error)
                if attempt >= self._max_retries or delay > MAX_RETRY_AFTER_SECONDS:
                    raise
                attempt += 1
                logger.warning("Telegram asked to wait %.0f s before %s (attempt %d)", delay, endpoint, attempt)
                await asyncio.sleep(delay)
