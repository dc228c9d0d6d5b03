"""The one ASGI application of ``wegweiser serve``: web chat, API, health."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.assembly import Assistant, build_assistant
from bot.channels import enabled_channels
from bot.config import Settings
from bot.handover.tickets import Team
from bot.logs import request_id
from bot.messages import Incoming
from bot.staff.routes import staff_routes

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
MAX_BODY_BYTES = 64 * 1024
MAX_SESSION_LENGTH = 128
WEB_CHANNEL = "web"

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class RequestLog:
    """Gives every request an id (``x-request-id``) and logs method, path, status and duration, never bodies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = request_id.set(uuid.uuid4().hex[:16])
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.get().encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # The path only: query strings may carry verify tokens.
            logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id.reset(token)


class SecurityHeaders:
    """Adds the same protective headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in present
                )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def read_json(request: Request) -> dict[str, Any] | JSONResponse:
    """The request's JSON object, or the error response that explains what is wrong with it."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _error(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    try:
        decoded = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(400, "body must be a JSON object in UTF-8")
    if not isinstance(decoded, dict):
        return _error(400, "body must be a JSON object")
    return decoded


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant


async def chat(request: Request) -> Response:
    decoded = await read_json(request)
    if isinstance(decoded, JSONResponse):
        return decoded
    session, text, payload = decoded.get("session"), decoded.get("text"), decoded.get("payload")
    message_id = decoded.get("message_id")
    if message_id is not None and (not isinstance(message_id, str) or not 0 < len(message_id) <= MAX_SESSION_LENGTH):
        return _error(400, f"'message_id' must be a string of 1 to {MAX_SESSION_LENGTH} characters")
    if not isinstance(session, str) or not 0 < len(session) <= MAX_SESSION_LENGTH:
        return _error(400, f"'session' must be a string of 1 to {MAX_SESSION_LENGTH} characters")
    if (text is None) == (payload is None):
        return _error(400, "give exactly one of 'text' or 'payload'")
    if not isinstance(text if text is not None else payload, str):
        return _error(400, "'text' and 'payload' must be strings")
    incoming = Incoming(f"{WEB_CHANNEL}:{session}", WEB_CHANNEL, text=text, payload=payload, message_id=message_id)
    assistant = _assistant(request)
    try:
        outcome = await assistant.dialogue.handle(incoming)
    except Exception:
        assistant.metrics.errors.labels("web").inc()
        logger.exception("web chat message failed")
        return _error(500, "the assistant could not answer; please try again")
    shown = outcome.to_dict(user_key="session")
    shown["session"] = session
    return JSONResponse(shown)


async def chat_updates(request: Request) -> Response:
    """Messages for a web chat session that came outside an answer (a counsellor's), after the ``seen`` first."""
    session = request.query_params.get("session", "")
    if not 0 < len(session) <= MAX_SESSION_LENGTH:
        return _error(400, f"'session' must be a string of 1 to {MAX_SESSION_LENGTH} characters")
    try:
        seen = int(request.query_params.get("seen", "0"))
    except ValueError:
        return _error(400, "'seen' must be a whole number")
    assistant = _assistant(request)
    user = f"{WEB_CHANNEL}:{session}"
    replies, count = await assistant.web_outbox.since(user, seen)
    handover = await assistant.handover.open_ticket_of(user) is not None
    language = (await assistant.dialogue.language_of(user))
    return JSONResponse(
        {"session": session, "language": language, "replies": replies, "seen": count, "handover": handover}
    )


async def index(request: Request) -> Response:
    return FileResponse(STATIC_DIR / "index.html", headers={"cache-control": "no-cache"})


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    checks = {"model": assistant is not None, "content": assistant is not None, "store": False}
    if assistant is not None:
        try:
            checks["store"] = await asyncio.wait_for(assistant.store.ping(), timeout=2)
        except Exception:
            checks["store"] = False
    ready = all(checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


async def metrics(request: Request) -> Response:
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    if assistant is None:
        return Response(status_code=503)
    waiting = await assistant.handover.queue_lengths()
    for team in Team:
        assistant.metrics.handover_queue.labels(team.value).set(waiting.get(team.value, 0))
    return Response(assistant.metrics.exposition(), media_type=assistant.metrics.content_type)


def create_app(settings: Settings) -> Starlette:
    channels = enabled_channels(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.assistant = await asyncio.to_thread(build_assistant, settings)
        for channel in channels:
            await channel.start(app.state.assistant)
            app.state.assistant.outbound.register(channel.name, channel.deliver)
        app.state.assistant.releases.start()
        try:
            yield
        finally:
            await app.state.assistant.releases.stop()
            for channel in reversed(channels):
                await channel.stop()
            await app.state.assistant.close()

    routes = [
        Route("/", index),
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/chat/updates", chat_updates),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        *staff_routes(),
        *(route for channel in channels for route in channel.routes()),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(RequestLog), Middleware(SecurityHeaders)])
