"""Sending through the Graph API, retrying with backoff when Meta is busy or briefly down."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass

import httpx

from bot.channels.whatsapp_outbound import OutgoingMessage

logger = logging.getLogger(__name__)

# Error codes that mean "not now" rather than "not this": throughput and per-recipient limits.
RATE_LIMIT_CODES = {4, 80007, 130429, 131056}
# The person last wrote more than 24 hours ago: only a template may be sent.
OUTSIDE_WINDOW_CODE = 131047
# A Retry-After longer than this is not waited for in the middle of a conversation.
MAX_RETRY_AFTER_SECONDS = 30.0


@dataclass(frozen=True)
class Backoff:
    attempts: int = 4
    first_delay: float = 0.5
    factor: float = 2.0
    longest_delay: float = 8.0

    def delay(self, retry: int) -> float:
        """Seconds before retry number ``retry`` (from 0), with jitter so that senders do not march in step."""
        base = min(self.first_delay * self.factor**retry, self.longest_delay)
        return base * random.uniform(0.8, 1.2)


class GraphError(Exception):
    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"Graph API {status} (code {code}): {message}")
        self.status = status
        self.code = code

    @property
    def transient(self) -> bool:
        """Meta is busy or briefly down; the same request may succeed later."""
        return self.status == 429 or self.status >= 500 or self.code in RATE_LIMIT_CODES

    @property
    def outside_window(self) -> bool:
        return self.code == OUTSIDE_WINDOW_CODE


class GraphClient:
    def __init__(
        self, http: httpx.AsyncClient, api_url: str, phone_number_id: str, token: str, backoff: Backoff = Backoff()
    ) -> None:
        self._http = http
        self._url = f"{api_url.rstrip('/')}/{phone_number_id}/messages"
        self._headers = {"authorization": f"Bearer {token}"}
        self._backoff = backoff

    async def send(self, message: OutgoingMessage) -> str:
        """Send one message; the id Meta gave it."""
        retry = 0
        while True:
            last = retry + 1 >= self._backoff.attempts
            try:
                response = await self._http.post(self._url, json=message.wire(), headers=self._headers)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # Nothing reached Meta, so trying again cannot send the message twice.
                if last:
                    raise GraphError(0, None, str(error)) from error
                await asyncio.sleep(self._backoff.delay(retry))
                retry += 1
                continue
            except httpx.HTTPError as error:
                raise GraphError(0, None, str(error)) from error
            if response.is_success:
                return _message_id(response)
            error = _error(response)
            if last or not error.transient:
                raise error
            delay = _retry_after(response) or self._backoff.delay(retry)
            logger.warning("Graph API busy (%s); retrying in %.1f s", error, delay)
            await asyncio.sleep(delay)
            retry += 1


def _message_id(response: httpx.Response) -> str:
    try:
        return str(response.json()["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _error(response: httpx.Response) -> GraphError:
    try:
        details = response.json()["error"]
        code = details.get("code")
        return GraphError(response.status_code, code if isinstance(code, int) else None, str(details.get("message")))
    except (ValueError, KeyError, TypeError, AttributeError):
        return GraphError(response.status_code, None, response.text[:200])


def _retry_after(response: httpx.Response) -> float | None:
    header = response.headers.get("retry-after", "")
    try:
        seconds = float(header)
    except ValueError:
        return None
    return seconds if 0 <= seconds <= MAX_RETRY_AFTER_SECONDS else None
