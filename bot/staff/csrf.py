"""Cross-site request forgery protection for every state-changing request to the staff area.

:class:`CsrfProtection` wraps the whole ``/admin`` mount, so no endpoint can
forget it. A POST, PUT, PATCH or DELETE must carry the right token, as the
form field ``csrf_token`` (URL-encoded forms) or the header ``x-csrf-token``
(fetch); otherwise it is refused with 403 before any endpoint runs:

- signed in: the token of the session (pages get it from :func:`bot.staff.pages.render`);
- the sign-in form: the double-submit token that the sign-in page put both
  in the form and in the cookie ``wegweiser_staff_login`` (there is no
  session yet whose token could be used);
- anything else without a session is not signed in (redirect or 401).
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.staff.forms import parse_form
from bot.staff.guard import HOME_PATH, LOGIN_PATH, not_signed_in
from bot.staff.identity import signed_in
from bot.staff.pages import CSRF_FIELD, refusal

HEADER = "x-csrf-token"
LOGIN_COOKIE = "wegweiser_staff_login"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode())


class CsrfProtection:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        replay = _replaying(body, receive)
        request = Request(scope, replay)
        given = request.headers.get(HEADER) or parse_form(body, request.headers.get("content-type", "")).get(
            CSRF_FIELD
        )
        if scope["path"] == LOGIN_PATH:
            expected = request.cookies.get(LOGIN_COOKIE)
        else:
            sign_in = await signed_in(request)
            if sign_in is None:
                await not_signed_in(request)(scope, replay, send)
                return
            expected = sign_in.session.csrf_token
        if not tokens_match(expected, given if isinstance(given, str) else None):
            await _forged(request)(scope, replay, send)
            return
        await self.app(scope, replay, send)


def _forged(request: Request) -> Response:
    on_login = request.url.path == LOGIN_PATH
    return refusal(
        request,
        403,
        "Sicherheitsprüfung fehlgeschlagen",
        "Die Anfrage wurde abgelehnt, weil das Sicherheits-Token (CSRF) fehlt oder nicht stimmt. "
        "Das passiert, wenn ein Formular zu lange offen war oder von einer anderen Seite abgeschickt wurde. "
        "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.",
        link=(LOGIN_PATH, "Zur Anmeldung") if on_login else (HOME_PATH, "Zur Startseite"),
    )


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the endpoint the body already read, then waits on the client as before."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
