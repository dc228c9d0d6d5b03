"""``/admin/content/revisions``: every published change, its diff, and rolling back to the state before one.

Rolling back revision *n* restores the whole content store as it was just
before *n* was published (undoing later changes too, which the page says); it
is checked and published like any change and recorded as a new revision.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.assembly import Assistant
from bot.staff.accounts import Role
from bot.staff.content_editor.publishing import BUSY, ChangeRefused, ContentPublisher, NothingChanged, restore
from bot.staff.guard import requires
from bot.staff.identity import current_user
from bot.staff.pages import NO_STORE, render
from bot.staff.revisions import Revision, RevisionLog, diff
from bot.store import LockTimeout

HISTORY_PATH = "/admin/content/revisions"
PAGE_SIZE = 50
# How a diff line is marked on screen and read out by a screen reader.
MARKS = {"added": "+", "removed": "−", "hunk": "", "context": ""}
SPOKEN = {"added": "hinzugefügt", "removed": "entfernt"}
NOTICES = {
    "rolled_back": "Zurückgesetzt. Der Bot antwortet auf allen Servern innerhalb weniger Sekunden mit diesem Stand.",
    "unchanged": "Nichts geändert: Der Inhalt hat diesen Stand bereits.",
}


def routes() -> list[BaseRoute]:
    return [
        Route("/content/revisions", history_page, methods=["GET"]),
        Route("/content/revisions/{number:int}", revision_page, methods=["GET"]),
        Route("/content/revisions/{number:int}/rollback", rollback, methods=["POST"]),
    ]


def _log(request: Request) -> RevisionLog:
    assistant: Assistant = request.app.state.assistant
    return RevisionLog(assistant.store)


@requires(Role.EDITOR)
async def history_page(request: Request) -> Response:
    log = _log(request)
    total = await log.count()
    pages = max(1, -(-total // PAGE_SIZE))
    try:
        page = min(max(1, int(request.query_params.get("page", "1"))), pages)
    except ValueError:
        page = 1
    revisions = await log.newest(PAGE_SIZE, skip=(page - 1) * PAGE_SIZE)
    return render(
        request, "content_history.html", {"revisions": revisions, "page": page, "pages": pages, "total": total}
    )


@requires(Role.EDITOR)
async def revision_page(request: Request) -> Response:
    revision = await _log(request).get(request.path_params["number"])
    if revision is None:
        return _unknown(request)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    return await _revision(request, revision, notice=notice)


@requires(Role.EDITOR)
async def rollback(request: Request) -> Response:
    log = _log(request)
    revision = await log.get(request.path_params["number"])
    if revision is None:
        return _unknown(request)
    files = await log.snapshot(revision.before)
    if files is None:
        return await _revision(request, revision, errors=["Der frühere Stand ist nicht mehr gespeichert."], status=409)
    publisher = ContentPublisher(request.app.state.assistant)
    try:
        published = await publisher.publish(
            current_user(request).name,
            f"Revision {revision.number} zurückgenommen",
            restore(files),
            "content.rollback",
            f"Revision {revision.number}",
            rollback_of=revision.number,
        )
    except ChangeRefused as refused:
        messages = [f"{finding.where}: {finding.message}" for finding in refused.findings if finding.error]
        return await _revision(request, revision, errors=messages, status=422)
    except NothingChanged:
        return _to(revision.number, "unchanged")
    except LockTimeout:
        return await _revision(request, revision, errors=[BUSY], status=503)
    return _to(published.revision.number, "rolled_back")


async def _revision(
    request: Request, revision: Revision, notice: str | None = None, errors: list[str] | None = None, status: int = 200
) -> Response:
    log = _log(request)
    before = await log.snapshot(revision.before)
    after = await log.snapshot(revision.after)
    diffs = diff(before, after) if before is not None and after is not None else []
    return render(
        request,
        "content_revision.html",
        {
            "revision": revision,
            "diffs": diffs,
            "later": await log.count() - revision.number,
            "notice": notice,
            "errors": errors or [],
            "marks": MARKS,
            "spoken": SPOKEN,
        },
        status,
    )


def _to(number: int, notice: str) -> Response:
    return RedirectResponse(f"{HISTORY_PATH}/{number}?notice={notice}", status_code=303, headers=NO_STORE)


def _unknown(request: Request) -> Response:
    return render(
        request,
        "message.html",
        {
            "title": "Revision nicht gefunden",
            "message": "Diese Revision gibt es nicht.",
            "link": (HISTORY_PATH, "Zu allen Revisionen"),
        },
        404,
    )
