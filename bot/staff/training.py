"""``/admin/training``: editors change the NLU's examples per intent and language, retrain, compare and publish.

Changes go into the shared draft (:mod:`bot.staff.training_draft`); retraining runs in the background
(:mod:`bot.staff.retraining`) and the page follows its progress (``training.js`` polls
``/admin/training/job``). Publishing is refused when the new model is worse on emergencies. Every change is
written to the audit log. Forms post and redirect back (post/redirect/get); a refused change shows the page
again with the reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actions.content_access import content_source
from bot.assembly import Assistant
from bot.staff.accounts import Role
from bot.staff.audit import audit_log
from bot.staff.charts import percent
from bot.staff.forms import read_form
from bot.staff.guard import requires
from bot.staff.identity import current_user
from bot.staff.pages import NO_STORE, render
from bot.staff.retraining import STATE_LABELS, Retraining, RetrainingError
from bot.staff.training_draft import Built, Change, ChangeKind, DraftError, clean_example, intents
from nlu.languages import CORE_LANGUAGES

TRAINING_PATH = "/admin/training"
_SERVICE = "retraining"

NOTICES = {
    "added": "Der Beispielsatz steht im Entwurf.",
    "edited": "Die Änderung steht im Entwurf.",
    "moved": "Der Beispielsatz wurde im Entwurf verschoben.",
    "deleted": "Der Beispielsatz wurde im Entwurf gelöscht.",
    "withdrawn": "Die Änderung wurde aus dem Entwurf genommen.",
    "discarded": "Der Entwurf wurde verworfen.",
    "started": "Das Training läuft. Sie können weiterarbeiten; diese Seite zeigt den Fortschritt.",
    "published": "Das neue Modell ist veröffentlicht. Alle Instanzen verwenden es in wenigen Sekunden.",
}


# Builds the changes from the form for the selected language and intent.
MakeChanges = Callable[[str, str], list[Change]]


def routes() -> list[BaseRoute]:
    return [
        Route("/training", training_page, methods=["GET"]),
        Route("/training/job", job_status, methods=["GET"]),
        Route("/training/add", add_example, methods=["POST"]),
        Route("/training/edit", edit_example, methods=["POST"]),
        Route("/training/move", move_examples, methods=["POST"]),
        Route("/training/delete", delete_examples, methods=["POST"]),
        Route("/training/withdraw", withdraw_change, methods=["POST"]),
        Route("/training/discard", discard_draft, methods=["POST"]),
        Route("/training/retrain", retrain, methods=["POST"]),
        Route("/training/publish", publish, methods=["POST"]),
    ]


def retraining(request: Request) -> Retraining:
    """This worker's retraining service (it holds the background jobs it started)."""
    state = request.app.state
    service: Retraining | None = getattr(state, _SERVICE, None)
    if service is None:
        assistant: Assistant = state.assistant
        service = Retraining(assistant.store, assistant.settings, assistant.releases)
        setattr(state, _SERVICE, service)
    return service


def language_names(request: Request) -> dict[str, str]:
    """The languages that have training data, with their names from the content store."""
    catalogue = content_source(request.app.state.assistant.settings.content_dir).content().source
    return {code: catalogue.languages[code].name if code in catalogue.languages else code for code in CORE_LANGUAGES}


@requires(Role.EDITOR)
async def training_page(request: Request) -> Response:
    notice = NOTICES.get(request.query_params.get("done", ""))
    selected = _selected(request.query_params.get("language"), request.query_params.get("intent"))
    return await _page(request, selected, notice=notice)


@requires(Role.EDITOR)
async def job_status(request: Request) -> Response:
    job = await retraining(request).job()
    return JSONResponse(job.shown() if job is not None else {"state": "none"}, headers=NO_STORE)


@requires(Role.EDITOR)
async def add_example(request: Request) -> Response:
    form = await read_form(request)

    def changes(language: str, intent: str) -> list[Change]:
        return [Change(ChangeKind.ADD, language, intent, clean_example(str(form.get("text", ""))))]

    return await _change(request, form, changes, "added")


@requires(Role.EDITOR)
async def edit_example(request: Request) -> Response:
    form = await read_form(request)

    def changes(language: str, intent: str) -> list[Change]:
        new_text = clean_example(str(form.get("new_text", "")))
        return [Change(ChangeKind.EDIT, language, intent, str(form.get("text", "")), new_text=new_text)]

    return await _change(request, form, changes, "edited")


@requires(Role.EDITOR)
async def move_examples(request: Request) -> Response:
    """Move the ticked examples to another intent."""
    form = await read_form(request)

    def changes(language: str, intent: str) -> list[Change]:
        target = str(form.get("new_intent", ""))
        return [Change(ChangeKind.MOVE, language, intent, text, new_intent=target) for text in _ticked(form)]

    return await _change(request, form, changes, "moved")


@requires(Role.EDITOR)
async def delete_examples(request: Request) -> Response:
    """Delete the ticked examples."""
    form = await read_form(request)

    def changes(language: str, intent: str) -> list[Change]:
        return [Change(ChangeKind.DELETE, language, intent, text) for text in _ticked(form)]

    return await _change(request, form, changes, "deleted")


@requires(Role.EDITOR)
async def withdraw_change(request: Request) -> Response:
    """Take one change back out of the draft: the one at ``position`` made at ``at``, as the page showed it."""
    form = await read_form(request)
    selected = _selected(form.get("language"), form.get("intent"))
    draft = retraining(request).draft
    try:
        position, at = int(str(form.get("position", ""))), float(str(form.get("at", "")))
    except ValueError:
        position, at = -1, 0.0
    try:
        changes = await draft.changes()
        if not 0 <= position < len(changes) or changes[position].at != at:
            raise DraftError("Der Entwurf hat sich inzwischen geändert. Bitte laden Sie die Seite neu.")
        change = changes[position]
        await draft.withdraw(position, change)
    except DraftError as refused:
        return await _page(request, selected, error=str(refused), status=400)
    await audit_log(request).record(current_user(request).name, "training.withdraw", _target(change), change.describe())
    return _back(selected, "withdrawn")


@requires(Role.EDITOR)
async def discard_draft(request: Request) -> Response:
    form = await read_form(request)
    draft = retraining(request).draft
    count = len(await draft.changes())
    await draft.discard()
    await audit_log(request).record(current_user(request).name, "training.discard", "Entwurf", f"{count} Änderungen")
    return _back(_selected(form.get("language"), form.get("intent")), "discarded")


@requires(Role.EDITOR)
async def retrain(request: Request) -> Response:
    form = await read_form(request)
    selected = _selected(form.get("language"), form.get("intent"))
    actor = current_user(request).name
    try:
        job = await retraining(request).start(actor)
    except RetrainingError as refused:
        return await _page(request, selected, error=str(refused), status=409)
    await audit_log(request).record(actor, "training.retrain", job.id, f"{job.changes} Änderungen")
    return _back(selected, "started")


@requires(Role.EDITOR)
async def publish(request: Request) -> Response:
    form = await read_form(request)
    selected = _selected(form.get("language"), form.get("intent"))
    actor = current_user(request).name
    service = retraining(request)
    try:
        job, publication = await service.publish(actor)
    except RetrainingError as refused:
        current = await service.job()
        await audit_log(request).record(
            actor, "training.publish_refused", current.id if current is not None else "–", str(refused)
        )
        return await _page(request, selected, error=str(refused), status=409)
    assert job.comparison is not None
    accuracy = ", ".join(
        f"{row.language} {row.old.accuracy if row.old else 0:.3f}→{row.new.accuracy if row.new else 0:.3f}"
        for row in job.comparison.rows()
    )
    await audit_log(request).record(
        actor, "training.publish", job.id, f"{job.changes} Änderungen, Release {publication.release}; {accuracy}"
    )
    return _back(selected, "published")


async def _change(request: Request, form: FormData, make: MakeChanges, done: str) -> Response:
    """Put the changes ``make`` builds from the form into the draft, or show why not."""
    selected = _selected(form.get("language"), form.get("intent"))
    language, intent = selected
    actor = current_user(request).name
    try:
        if language is None or intent is None:
            raise DraftError("Bitte wählen Sie Sprache und Thema.")
        changes = [replace(change, actor=actor) for change in make(language, intent)]
        if not changes:
            raise DraftError("Bitte wählen Sie mindestens einen Beispielsatz.")
        await retraining(request).draft.apply(changes)
    except DraftError as refused:
        return await _page(request, selected, error=str(refused), status=400, entered=str(form.get("text", "")))
    log = audit_log(request)
    for change in changes:
        await log.record(actor, f"training.{change.kind.value}", _target(change), change.describe())
    return _back(selected, done)


def _ticked(form: FormData) -> list[str]:
    return [str(text) for text in form.getlist("text")]


async def _page(
    request: Request,
    selected: tuple[str | None, str | None],
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
    entered: str = "",
) -> Response:
    service = retraining(request)
    built = await service.draft.build()
    job = await service.job()
    language, intent = selected
    # Reading a language file that changed takes a moment: not on the event loop.
    counts = await asyncio.to_thread(_counts, built)
    examples = await asyncio.to_thread(_examples, built, language, intent)
    return render(
        request,
        "training.html",
        {
            "languages": language_names(request),
            "intents": built.intents,
            "language": language,
            "intent": intent,
            "counts": counts,
            "examples": examples,
            "changes": built.changes,
            "skipped": built.draft.skipped,
            "changed": built.changed,
            "job": job,
            "job_labels": STATE_LABELS,
            "draft_trained": job is not None and job.fingerprint == await asyncio.to_thread(built.draft.fingerprint),
            "percent": percent,
            "notice": notice,
            "error": error,
            "entered": entered,
        },
        status,
    )


def _counts(built: Built) -> dict[str, dict[str, int]]:
    """How many examples each intent has in each language, with the draft."""
    return {code: built.draft.file(code).counts() for code in CORE_LANGUAGES}


def _examples(built: Built, language: str | None, intent: str | None) -> list[tuple[str, bool]]:
    """The examples of the selected intent and language, each with whether the draft added it."""
    if language is None or intent is None:
        return []
    live = set(built.live.file(language).examples(intent))
    return [(text, text not in live) for text in built.draft.file(language).examples(intent)]


def _selected(language: object, intent: object) -> tuple[str | None, str | None]:
    """The language and intent a request names, if they exist."""
    chosen_language = str(language) if language in CORE_LANGUAGES else None
    chosen_intent = str(intent) if isinstance(intent, str) and intent in intents() else None
    return chosen_language, chosen_intent


def _target(change: Change) -> str:
    return f"{change.language}/{change.intent}"


def _back(selected: tuple[str | None, str | None], done: str) -> Response:
    language, intent = selected
    query = {key: value for key, value in (("language", language), ("intent", intent)) if value} | {"done": done}
    return RedirectResponse(f"{TRAINING_PATH}?{urlencode(query)}", status_code=303, headers=NO_STORE)
