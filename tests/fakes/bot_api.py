"""A fake Telegram Bot API: ``{url}/bot{token}/{method}``, answering and refusing as Telegram documents.

It also builds the updates Telegram would send, so that a test can post them to
the webhook (or have them fetched by ``getUpdates``) and find the answer here.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.server import Failure, FakeServer

MAX_TEXT = 4096
MAX_CALLBACK_DATA_BYTES = 64
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
BOT_ID = 7000001
# Parameters whose values are JSON even when sent as form fields.
JSON_PARAMETERS = {
    "reply_markup",
    "allowed_updates",
    "link_preview_options",
    "entities",
    "reply_parameters",
    "commands",
}
LONGEST_POLL_SECONDS = 1.0


class TelegramRefusal(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def too_many_requests(retry_after: int) -> Failure:
    return Failure(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
    )


BAD_GATEWAY = Failure(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
BAD_REQUEST = Failure(400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"})


class FakeBotApi(FakeServer):
    def __init__(self, token: str = f"{BOT_ID}:fake-token") -> None:
        super().__init__(Starlette(routes=[Route("/bot{token:path}/{method}", self._call, methods=["GET", "POST"])]))
        self.token = token
        self.blocked: set[int] = set()
        self._lock = threading.Lock()
        # Update ids are the bot's, and the bot remembers the ones it saw: every fake starts elsewhere.
        self._update_ids = itertools.count(random.randrange(10**6, 2**31))
        self._message_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._pending_updates: list[dict[str, Any]] = []

    # What Telegram would send

    def text_update(self, chat_id: int, text: str, chat_type: str = "private", edited: bool = False) -> dict[str, Any]:
        return self._message_update(chat_id, {"text": text}, chat_type, edited)

    def media_update(self, chat_id: int, kind: str, chat_type: str = "private") -> dict[str, Any]:
        return self._message_update(chat_id, MEDIA_SAMPLES[kind], chat_type)

    def button_update(self, chat_id: int, data: str, chat_type: str = "private") -> dict[str, Any]:
        query_id = f"q{next(self._update_ids)}"
        with self._lock:
            self._open_queries.add(query_id)
        message = self._message(chat_id, {"text": "…"}, chat_type, from_bot=True)
        query = {"id": query_id, "from": _person(chat_id), "chat_instance": "ci", "message": message, "data": data}
        return {"update_id": next(self._update_ids), "callback_query": query}

    def queue_update(self, update: dict[str, Any]) -> None:
        """Have ``update`` fetched by the next ``getUpdates``."""
        with self._lock:
            self._pending_updates.append(update)

    # What the bot sent

    def sent_texts(self, chat_id: int) -> list[str]:
        return [entry.params["text"] for entry in self.sent_messages(chat_id)]

    def sent_messages(self, chat_id: int) -> list[Any]:
        return [
            entry
            for entry in self.records("sendMessage")
            if entry.status == 200 and str(entry.params.get("chat_id")) == str(chat_id)
        ]

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 15.0) -> list[Any]:
        self.wait_for(lambda _: len(self.sent_messages(chat_id)) >= count, timeout)
        return self.sent_messages(chat_id)

    # The API

    def _message_update(
        self, chat_id: int, content: dict[str, Any], chat_type: str, edited: bool = False
    ) -> dict[str, Any]:
        message = self._message(chat_id, content, chat_type)
        if edited:
            message["edit_date"] = int(time.time())
        return {"update_id": next(self._update_ids), "edited_message" if edited else "message": message}

    def _message(self, chat_id: int, content: dict[str, Any], chat_type: str, from_bot: bool = False) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Test"
        else:
            chat["title"] = "A group"
        sender = _bot_user() if from_bot else _person(abs(chat_id))
        stamp = {"message_id": next(self._message_ids), "date": int(time.time())}
        return {**stamp, "chat": chat, "from": sender, **content}

    async def _call(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params: dict[str, Any] = {}
        try:
            params = await _parameters(request)
            if request.path_params["token"] != self.token:
                raise TelegramRefusal(401, "Unauthorized")
            failure = self.take_failure() if method != "getUpdates" else None
            if failure is not None:
                self.record(method, params, failure.status)
                return self.failure_response(failure)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise TelegramRefusal(404, "Not Found")
            result = await handler(params)
        except TelegramRefusal as refusal:
            body = {"ok": False, "error_code": refusal.status, "description": refusal.description}
            return self._answer(method, params, refusal.status, body)
        return self._answer(method, params, 200, {"ok": True, "result": result})

    def _answer(self, method: str, params: dict[str, Any], status: int, body: dict[str, Any]) -> JSONResponse:
        if method != "getUpdates":
            self.record(method, params, status)
        return JSONResponse(body, status_code=status)

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return _bot_user()

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        url = urlsplit(str(params.get("url", "")))
        if url.scheme != "https":
            raise TelegramRefusal(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if "secret_token" in params and not SECRET_TOKEN.match(str(params["secret_token"])):
            raise TelegramRefusal(400, "Bad Request: secret token contains unallowed characters")
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        deadline = time.monotonic() + min(float(params.get("timeout", 0) or 0), LONGEST_POLL_SECONDS)
        while True:
            with self._lock:
                self._pending_updates = [update for update in self._pending_updates if update["update_id"] >= offset]
                ready = list(self._pending_updates)
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.05)

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        with self._lock:
            if query_id not in self._open_queries:
                raise TelegramRefusal(
                    400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
                )
            self._open_queries.discard(query_id)
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id(params.get("chat_id"))
        text = str(params.get("text", ""))
        if not text.strip():
            raise TelegramRefusal(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
            raise TelegramRefusal(400, "Bad Request: message is too long")
        if "reply_markup" in params:
            _check_keyboard(params["reply_markup"])
        if chat_id in self.blocked:
            raise TelegramRefusal(403, "Forbidden: bot was blocked by the user")
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": _bot_user(),
            "text": text,
        }


MEDIA_SAMPLES: dict[str, dict[str, Any]] = {
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 3}},
    "photo": {"photo": [{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90}]},
    "sticker": {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "us1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "document": {"document": {"file_id": "d1", "file_unique_id": "ud1", "file_name": "Bescheid.pdf"}},
    "location": {"location": {"latitude": 50.87, "longitude": 9.71}},
    "new_chat_members": {"new_chat_members": [{"id": 5, "is_bot": False, "first_name": "New"}]},
}


def _bot_user() -> dict[str, Any]:
    return {"id": BOT_ID, "is_bot": True, "first_name": "Wegweiser", "username": "wegweiser_test_bot"}


def _person(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "de"}


async def _parameters(request: Request) -> dict[str, Any]:
    """Parameters as Telegram reads them: from the query string, a form or a JSON body."""
    params: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.json()
        params.update(body if isinstance(body, dict) else {})
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl((await request.body()).decode(), keep_blank_values=True))
    for key in JSON_PARAMETERS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except json.JSONDecodeError as error:
                raise TelegramRefusal(400, f"Bad Request: can't parse {key} JSON object") from error
    return params


def _chat_id(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise TelegramRefusal(400, "Bad Request: chat not found") from error


def _check_keyboard(markup: Any) -> None:
    keyboard = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise TelegramRefusal(400, 'Bad Request: can\'t parse inline keyboard button: field "inline_keyboard"')
    for button in (button for row in keyboard for button in row):
        if not isinstance(button, dict) or not str(button.get("text", "")).strip():
            raise TelegramRefusal(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        kinds = [kind for kind in ("url", "callback_data") if kind in button]
        if len(kinds) != 1:
            raise TelegramRefusal(400, "Bad Request: can't parse inline keyboard button: exactly one action needed")
        if "callback_data" in button:
            data = str(button["callback_data"])
            if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise TelegramRefusal(400, "Bad Request: BUTTON_DATA_INVALID")
        else:
            url = urlsplit(str(button["url"]))
            if url.scheme not in {"http", "https", "tg"} or not url.netloc:
                raise TelegramRefusal(400, f"Bad Request: inline keyboard button URL '{button['url']}' is invalid")
