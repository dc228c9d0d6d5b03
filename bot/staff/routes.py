"""Every route of the staff area, mounted by :func:`bot.web.app.create_app` through :func:`staff_routes`.

A staff module adds its routes here as ``*module.routes()``: a list of
Starlette routes with paths relative to ``/admin`` (``Route("/inbox", ...)``
serves ``/admin/inbox``), each endpoint behind :func:`bot.staff.guard.requires`.
Everything inside the mount passes :class:`bot.staff.csrf.CsrfProtection`
and the body limit.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.staff import dashboard, inbox, training, translations_review, unanswered
from bot.staff.audit_page import audit_page
from bot.staff.content_editor import pages as content_editor
from bot.staff.csrf import CsrfProtection
from bot.staff.guard import HOME_PATH
from bot.staff.home import home
from bot.staff.login import login, login_page, logout
from bot.staff.pages import STATIC_DIR
from bot.staff.users import change_role, change_status, create_user, edit_user_page, reset_password, users_page

# Enough for long content texts; staff forms carry no files.
MAX_BODY_BYTES = 1024 * 1024


def foundation_routes() -> list[BaseRoute]:
    """Sign-in, start page, accounts and audit log (paths relative to ``/admin``)."""
    return [
        Route("/", _to_home),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/users", users_page, methods=["GET"]),
        Route("/users", create_user, methods=["POST"]),
        Route("/users/edit", edit_user_page, methods=["GET"]),
        Route("/users/role", change_role, methods=["POST"]),
        Route("/users/status", change_status, methods=["POST"]),
        Route("/users/password", reset_password, methods=["POST"]),
        Route("/audit", audit_page, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="staff-static"),
    ]


def staff_routes() -> list[BaseRoute]:
    return [
        # The start page answers at /admin itself, which a mount at /admin does not match; it only reads.
        Route(HOME_PATH, home, methods=["GET"]),
        Mount(
            HOME_PATH,
            routes=[
                *foundation_routes(), *inbox.routes(), *content_editor.routes(), *translations_review.routes(),
                *training.routes(), *unanswered.routes(), *dashboard.routes(),
            ],
            middleware=[Middleware(CsrfProtection)],
            max_body_size=MAX_BODY_BYTES,
        ),
    ]


async def _to_home(request: Request) -> Response:
    return RedirectResponse(HOME_PATH, status_code=308)
