"""Staff pages: Jinja2 templates (autoescaped) rendered with the signed-in member, CSRF token and navigation.

Templates live in ``bot/staff/templates`` and extend ``base.html``; a page
fills ``{% block content %}`` and sets ``{% block title %}``. Every page gets
``user`` (the :class:`~bot.staff.accounts.Account` or None), ``csrf_token``
(put it in every form as ``{{ csrf_field() }}``, or send it as the
``x-csrf-token`` header, read from ``<meta name="csrf-token">``), ``nav`` (the
sections the member may use) and ``current_path``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from bot.staff.identity import known_sign_in
from bot.staff.navigation import sections_for

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
STATIC_PATH = "/admin/static"
CSRF_FIELD = "csrf_token"
NO_STORE = {"cache-control": "no-store"}



def _staff_time_zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Berlin")
    except ZoneInfoNotFoundError:
        return UTC


LOCAL_TIME = _staff_time_zone()


def _local_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, LOCAL_TIME).strftime("%d.%m.%Y %H:%M:%S %Z")


def _static_version() -> str:
    """A digest of the static files: their URLs change with their content, so browsers never keep stale ones."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


_environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["local_time"] = _local_time
_environment.globals["static_version"] = _static_version()


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    """The template ``name`` as a page for the member signed in on ``request`` (or for nobody)."""
    sign_in = known_sign_in(request)
    csrf_token = sign_in.session.csrf_token if sign_in else ""
    values: dict[str, Any] = {
        "user": sign_in.account if sign_in else None,
        "csrf_token": csrf_token,
        "csrf_field": lambda: _hidden_field(CSRF_FIELD, csrf_token),
        "nav": sections_for(sign_in.account.role) if sign_in else [],
        "current_path": request.url.path,
        "static": STATIC_PATH,
        **(context or {}),
    }
    html = _environment.get_template(name).render(values)
    return HTMLResponse(html, status_code=status_code, headers=NO_STORE)


def wants_json(request: Request) -> bool:
    """Whether the request came from a script (fetch, EventSource, a JSON body) rather than from a page opened."""
    accept = request.headers.get("accept", "")
    mode = request.headers.get("sec-fetch-mode")
    return (
        "application/json" in accept
        or "text/event-stream" in accept
        or request.headers.get("content-type", "").startswith("application/json")
        or (mode is not None and mode not in {"navigate", "nested-navigate"})
    )


def refusal(
    request: Request,
    status_code: int,
    title: str,
    message: str,
    link: tuple[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Refuse a request with ``message``: as JSON for scripts, as a page (with an optional link) for people."""
    headers = {**NO_STORE, **(headers or {})}
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status_code, headers=headers)
    response = render(request, "message.html", {"title": title, "message": message, "link": link}, status_code)
    response.headers.update(headers)
    return response


def _hidden_field(name: str, value: str) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(name, value)
