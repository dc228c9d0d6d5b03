"""``/admin/unanswered``: what newcomers asked that the bot could not answer, for editors to teach it.

The messages (:mod:`bot.unanswered`, kept without any user identity) are grouped by similarity per language
(:mod:`bot.staff.question_groups`). Editors assign a group, or the messages of it they tick, to an intent: the
texts become examples of that intent in their language's training file, in the draft of
:mod:`bot.staff.training_draft`, ready for retraining. Or they dismiss them. Either removes the messages.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.staff.accounts import Role
from bot.staff.audit import audit_log
from bot.staff.forms import read_form
from bot.staff.guard import requires
from bot.staff.identity import current_user, store
from bot.staff.pages import NO_STORE, render
from bot.staff.question_groups import QuestionGroup, group_questions
from bot.staff.training import language_names, retraining
from bot.staff.training_draft import Change, ChangeKind, DraftError, as_plain_example, clean_example, intents
from bot.unanswered import Reason, UnansweredMessage, UnansweredQuestions

UNANSWERED_PATH = "/admin/unanswered"
ORIGIN = "unanswered"

NOTICES = {
    "assigned": "Die Nachrichten stehen als Beispielsätze im Entwurf der Trainingsdaten. Trainieren Sie dort neu, "
    "damit der Bot sie versteht.",
    "dismissed": "Die Nachrichten wurden verworfen.",
    "nothing": "Bitte wählen Sie mindestens eine Nachricht.",
}


def routes() -> list[BaseRoute]:
    return [
        Route("/unanswered", unanswered_page, methods=["GET"]),
        Route("/unanswered/assign", assign, methods=["POST"]),
        Route("/unanswered/dismiss", dismiss, methods=["POST"]),
    ]


def _questions(request: Request) -> UnansweredQuestions:
    return UnansweredQuestions(store(request))


@requires(Role.EDITOR)
async def unanswered_page(request: Request) -> Response:
    return await _page(request, notice=NOTICES.get(request.query_params.get("done", "")))


@requires(Role.EDITOR)
async def assign(request: Request) -> Response:
    form = await read_form(request)
    intent = str(form.get("intent", ""))
    questions = _questions(request)
    messages = await questions.get(str(value) for value in form.getlist("id"))
    if not messages:
        return _back("nothing")
    draft = retraining(request).draft
    actor = current_user(request).name
    try:
        if intent not in intents():
            raise DraftError("Bitte wählen Sie ein Thema.")
        built = await draft.build()
        changes: dict[tuple[str, str], Change] = {}
        for message in messages:
            text = as_plain_example(clean_example(message.text))
            if not built.draft.file(message.language).has(intent, text):
                changes[(message.language, text)] = Change(
                    ChangeKind.ADD, message.language, intent, text, actor=actor, origin=ORIGIN
                )
        if changes:
            await draft.apply(list(changes.values()))
    except DraftError as refused:
        return await _page(request, error=str(refused), status=400)
    await questions.remove(message.id for message in messages)
    languages = ", ".join(f"{code}: {number}" for code, number in Counter(m.language for m in messages).items())
    await audit_log(request).record(actor, "unanswered.assign", intent, f"{len(messages)} Nachrichten ({languages})")
    return _back("assigned")


@requires(Role.EDITOR)
async def dismiss(request: Request) -> Response:
    form = await read_form(request)
    questions = _questions(request)
    messages = await questions.get(str(value) for value in form.getlist("id"))
    if not messages:
        return _back("nothing")
    await questions.remove(message.id for message in messages)
    actor = current_user(request).name
    await audit_log(request).record(actor, "unanswered.dismiss", "–", f"{len(messages)} Nachrichten")
    return _back("dismissed")


async def _page(request: Request, notice: str | None = None, error: str | None = None, status: int = 200) -> Response:
    questions = _questions(request)
    messages = await questions.newest()
    groups = await asyncio.to_thread(group_questions, messages)
    return render(
        request,
        "unanswered.html",
        {
            "groups": groups,
            "guesses": {group.representative.id: _likely_intent(group) for group in groups},
            "total": await questions.count(),
            "shown": len(messages),
            "intents": intents(),
            "languages": language_names(request),
            "reason_label": reason_label,
            "notice": notice,
            "error": error,
        },
        status,
    )


def _likely_intent(group: QuestionGroup) -> str | None:
    """The intent the NLU guessed most often for the group's messages (a suggestion; staff decide)."""
    guesses = Counter(message.guess for message in group.messages if message.guess)
    return guesses.most_common(1)[0][0] if guesses else None


def reason_label(message: UnansweredMessage) -> str:
    """Why the message counts as unanswered, for the staff."""
    if message.reason is Reason.FALLBACK:
        return "nicht verstanden"
    return f"unsicher beantwortet als {message.guess} ({message.confidence:.0%})"


def _back(done: str) -> Response:
    return RedirectResponse(f"{UNANSWERED_PATH}?done={done}", status_code=303, headers=NO_STORE)
