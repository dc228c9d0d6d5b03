"""Who may see what: the check every staff endpoint runs before it does anything.

Use it as a decorator, ``@requires(Role.EDITOR)`` (editors and admins) or
``@requires()`` (any signed-in staff member), or call
``await authorize(request, Role.COUNSELLOR)`` where a decorator does not fit;
it returns None when the request may go on, else the response to send:

- nobody signed in: a redirect to the sign-in page (which leads back here),
  or 401 with a JSON error for scripts (fetch, ``accept: application/json``,
  ``text/event-stream``, a JSON body);
- signed in with another role: 403, a page (or JSON) that says which roles may.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.staff.accounts import Role
from bot.staff.identity import signed_in
from bot.staff.pages import NO_STORE, refusal, wants_json

LOGIN_PATH = "/admin/login"
HOME_PATH = "/admin"

Endpoint = Callable[[Request], Awaitable[Response]]


def requires(*roles: Role) -> Callable[[Endpoint], Endpoint]:
    """Let only staff with one of ``roles`` (or admins; no roles: any staff) reach the endpoint."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            refused = await authorize(request, *roles)
            return refused if refused is not None else await endpoint(request)

        return guarded

    return decorate


async def authorize(request: Request, *roles: Role) -> Response | None:
    """None if the member signed in on ``request`` may use what ``roles`` guard, else the refusing response."""
    sign_in = await signed_in(request)
    if sign_in is None:
        return not_signed_in(request)
    role = sign_in.account.role
    if role.may(roles):
        return None
    allowed = ", ".join(allowed_role.label for allowed_role in dict.fromkeys((Role.ADMIN, *roles)))
    return refusal(
        request,
        403,
        "Keine Berechtigung",
        f"Dieser Bereich ist nur für die Rollen {allowed} freigegeben. "
        f"Sie sind mit der Rolle {role.label} angemeldet.",
        link=(HOME_PATH, "Zur Startseite"),
    )


def not_signed_in(request: Request) -> Response:
    if wants_json(request):
        return refusal(request, 401, "Nicht angemeldet", "Bitte melden Sie sich an.")
    target = LOGIN_PATH
    if request.method in {"GET", "HEAD"}:
        target += "?" + urlencode({"next": request.url.path + (f"?{request.url.query}" if request.url.query else "")})
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


def safe_next(candidate: str | None) -> str:
    """Where to go after signing in: ``candidate`` if it is a page of the staff area, else the start page."""
    if (
        candidate
        and (candidate == HOME_PATH or candidate.startswith(HOME_PATH + "/"))
        and "\\" not in candidate
        and not candidate.startswith(LOGIN_PATH)
    ):
        return candidate
    return HOME_PATH
