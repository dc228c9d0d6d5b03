"""Signing in and out: ``GET``/``POST /admin/login`` and ``POST /admin/logout``.

The session cookie is HttpOnly, ``SameSite=Strict``, ``Path=/admin`` and
Secure unless ``WEGWEISER_STAFF_COOKIE_SECURE=false``. Strict rather than Lax:
the staff area is opened from a bookmark or by typing its address, so a
cookie that never travels with a request started on another site costs
nothing and keeps even a carelessly written GET endpoint out of reach of
other sites; a link from elsewhere just shows the sign-in page first.
"""

from __future__ import annotations

import logging
import math
import re

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.staff.accounts import AccountError, account_key
from bot.staff.audit import AuditLog
from bot.staff.csrf import LOGIN_COOKIE, new_token
from bot.staff.forms import read_form
from bot.staff.guard import LOGIN_PATH, safe_next
from bot.staff.identity import accounts, sessions, settings, signed_in, store
from bot.staff.login_limit import LoginLimit, LoginLimits
from bot.staff.pages import NO_STORE, render
from bot.staff.sessions import COOKIE

logger = logging.getLogger(__name__)

COOKIE_PATH = "/admin"
# The sign-in form's double-submit token lives as long as a form may reasonably stay open.
LOGIN_TOKEN_SECONDS = 2 * 3600
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


async def login_page(request: Request) -> Response:
    destination = safe_next(request.query_params.get("next"))
    if await signed_in(request) is not None:
        return RedirectResponse(destination, status_code=303, headers=NO_STORE)
    notice = "Sie haben sich abgemeldet." if "logged_out" in request.query_params else None
    return _login_form(request, destination, notice=notice)


async def login(request: Request) -> Response:
    form = await read_form(request)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    destination = safe_next(str(form.get("next", "")))
    if not name.strip() or not password:
        error = "Bitte geben Sie Ihren Namen und Ihr Passwort ein."
        return _login_form(request, destination, name, error=error, status=400)
    try:
        key = account_key(name)
    except AccountError:
        key = ""
    address = request.client.host if request.client else "unknown"
    limit = LoginLimit(store(request), _limits(request))
    wait = await limit.wait_seconds(key, address)
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        response = _login_form(
            request,
            destination,
            name,
            error="Zu viele fehlgeschlagene Anmeldeversuche. "
            f"Bitte warten Sie {minutes} {'Minute' if minutes == 1 else 'Minuten'} und versuchen Sie es dann erneut.",
            status=429,
        )
        response.headers["retry-after"] = str(math.ceil(wait))
        return response
    attempt = await accounts(request).check_sign_in(name, password)
    if attempt.account is None:
        await limit.failed(key, address)
        logger.warning("staff sign-in failed", extra={"disabled_account": attempt.disabled})
        error = (
            "Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration."
            if attempt.disabled
            else "Name oder Passwort ist falsch."
        )
        return _login_form(request, destination, name, error=error, status=401)
    await limit.succeeded(key)
    previous = request.cookies.get(COOKIE)
    if previous:
        await sessions(request).end(previous)
    token = await sessions(request).start(attempt.account)
    await AuditLog(store(request)).record(attempt.account.name, "login", attempt.account.name)
    response = RedirectResponse(destination, status_code=303, headers=NO_STORE)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(sessions(request).lifetime_seconds),
        path=COOKIE_PATH,
        secure=settings(request).staff_cookie_secure,
        httponly=True,
        samesite="strict",
    )
    response.delete_cookie(
        LOGIN_COOKIE, path=LOGIN_PATH, secure=settings(request).staff_cookie_secure, httponly=True, samesite="strict"
    )
    return response


async def logout(request: Request) -> Response:
    # The CSRF check in front of this endpoint has already made sure somebody is signed in.
    sign_in = await signed_in(request)
    token = request.cookies.get(COOKIE, "")
    await sessions(request).end(token)
    if sign_in is not None:
        await AuditLog(store(request)).record(sign_in.account.name, "logout", sign_in.account.name)
    response = RedirectResponse(f"{LOGIN_PATH}?logged_out", status_code=303, headers=NO_STORE)
    response.delete_cookie(
        COOKIE, path=COOKIE_PATH, secure=settings(request).staff_cookie_secure, httponly=True, samesite="strict"
    )
    return response


def _login_form(
    request: Request,
    destination: str,
    name: str = "",
    error: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    token = request.cookies.get(LOGIN_COOKIE, "")
    if not _TOKEN_SHAPE.fullmatch(token):
        token = new_token()
    response = render(
        request,
        "login.html",
        {"login_token": token, "next": destination, "name": name, "error": error, "notice": notice},
        status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=LOGIN_TOKEN_SECONDS,
        path=LOGIN_PATH,
        secure=settings(request).staff_cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


def _limits(request: Request) -> LoginLimits:
    configured = settings(request)
    return LoginLimits(
        configured.staff_login_attempts,
        configured.staff_login_attempts_per_address,
        configured.staff_login_window_seconds,
    )
