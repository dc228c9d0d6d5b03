"""``/admin/audit``: the audit log for admins, newest first, a page at a time."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.staff.accounts import Role
from bot.staff.audit import audit_log
from bot.staff.guard import requires
from bot.staff.pages import render

PAGE_SIZE = 50

# What the actions of the foundation mean; other modules' codes are shown as they are.
ACTION_LABELS = {
    "login": "Anmeldung",
    "logout": "Abmeldung",
    "user.create": "Konto angelegt",
    "user.role": "Rolle geändert",
    "user.disable": "Konto gesperrt",
    "user.enable": "Konto entsperrt",
    "user.password": "Passwort neu gesetzt",
}


@requires(Role.ADMIN)
async def audit_page(request: Request) -> Response:
    log = audit_log(request)
    total = await log.count()
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        page = min(max(1, int(request.query_params.get("page", "1"))), pages)
    except ValueError:
        page = 1
    entries = await log.newest(PAGE_SIZE, skip=(page - 1) * PAGE_SIZE)
    return render(
        request,
        "audit.html",
        {"entries": entries, "labels": ACTION_LABELS, "page": page, "pages": pages, "total": total},
    )
