"""``/admin/inbox``: counsellors take over conversations the bot handed over.

The list and each ticket are rendered on the server (autoescaped); the pages
listen to ``/admin/inbox/events`` (server-sent events) and, when anything
changed on any worker, fetch themselves again and swap in the parts marked
``data-live``. Forms post and redirect back (post/redirect/get).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from actions.content_access import content_source
from bot.assembly import Assistant
from bot.channels.delivery import Delivery
from bot.handover.service import OUTCOMES, STAFF_LANGUAGE
from bot.handover.tickets import ClaimConflict, Sender, Status, Team, Ticket, TicketMessage
from bot.inbound import MAX_LENGTH
from bot.staff.accounts import Role
from bot.staff.audit import audit_log
from bot.staff.forms import read_form
from bot.staff.guard import requires
from bot.staff.identity import current_user
from bot.staff.pages import NO_STORE, render
from content.models import Catalogue

INBOX_PATH = "/admin/inbox"
# How often a worker looks for changes made on any worker; the page waits at most this long.
EVENTS_POLL_SECONDS = 1.0
# A comment line now and then keeps proxies from closing a quiet stream.
EVENTS_HEARTBEAT_SECONDS = 15.0
# Browsers reconnect an ended stream by themselves; ending it now and then frees workers that stop.
EVENTS_MAX_SECONDS = 300.0

NOTICES = {
    "claimed": "Sie haben die Anfrage übernommen.",
    "sent": "Ihre Antwort wurde gesendet.",
    "held": (
        "Die Person hat seit über 24 Stunden nicht geschrieben. WhatsApp hat ihr die Vorlage gesendet; "
        "Ihre Antwort folgt, sobald sie wieder schreibt."
    ),
    "failed": "Die Antwort konnte nicht zugestellt werden. Sie steht im Verlauf; versuchen Sie es später erneut.",
    "moved": "Die Anfrage wurde einem anderen Team zugeordnet.",
    "closed": "Die Anfrage ist abgeschlossen. Die Person schreibt wieder mit dem Bot.",
    "empty": "Bitte schreiben Sie eine Antwort.",
    "too_long": f"Die Antwort ist zu lang (höchstens {MAX_LENGTH} Zeichen).",
    "not_yours": "Bitte übernehmen Sie die Anfrage, bevor Sie antworten.",
    "is_closed": "Die Anfrage ist bereits abgeschlossen.",
}
_DELIVERY_NOTICES = {Delivery.SENT: "sent", Delivery.HELD: "held", Delivery.FAILED: "failed"}
STATUS_LABELS = {Status.OPEN: "wartet", Status.CLAIMED: "in Bearbeitung", Status.CLOSED: "abgeschlossen"}


@dataclass(frozen=True)
class ShownMessage:
    """One transcript line as a counsellor sees it: the original and, beside it, the German."""

    message: TicketMessage
    german: str | None
    note: str | None


def routes() -> list[BaseRoute]:
    return [
        Route("/inbox", inbox_page, methods=["GET"]),
        Route("/inbox/events", inbox_events, methods=["GET"]),
        Route("/inbox/{ticket_id:str}", ticket_page, methods=["GET"]),
        Route("/inbox/{ticket_id:str}/claim", claim, methods=["POST"]),
        Route("/inbox/{ticket_id:str}/reply", reply, methods=["POST"]),
        Route("/inbox/{ticket_id:str}/team", move, methods=["POST"]),
        Route("/inbox/{ticket_id:str}/close", close, methods=["POST"]),
    ]


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant


@requires(Role.COUNSELLOR)
async def inbox_page(request: Request) -> Response:
    team = request.query_params.get("team", "")
    show_closed = request.query_params.get("closed") == "1"
    tickets = [
        ticket
        for ticket in await _assistant(request).handover.tickets.all()
        if (not team or ticket.team.value == team) and (show_closed or ticket.status != Status.CLOSED)
    ]
    # Waiting tickets first, the longest waiting on top; then those in progress; closed last.
    order = {Status.OPEN: 0, Status.CLAIMED: 1, Status.CLOSED: 2}
    tickets.sort(
        key=lambda ticket: (order[ticket.status], ticket.created if ticket.status == Status.OPEN else -ticket.created)
    )
    return render(
        request,
        "inbox.html",
        {
            "tickets": tickets,
            "teams": list(Team),
            "team": team,
            "show_closed": show_closed,
            "status_labels": STATUS_LABELS,
            "languages": _language_names(request),
        },
    )


@requires(Role.COUNSELLOR)
async def ticket_page(request: Request) -> Response:
    assistant = _assistant(request)
    ticket = await assistant.handover.tickets.get(request.path_params["ticket_id"])
    if ticket is None:
        return render(request, "message.html", _unknown_ticket(), 404)
    messages = await assistant.handover.tickets.transcript(ticket.id)
    transcript = [await _shown(assistant, ticket, message) for message in messages]
    canned = [(answer.title, answer.text) for answer in _catalogue(request).answers.values() if answer.text]
    return render(
        request,
        "ticket.html",
        {
            "ticket": ticket,
            "transcript": transcript,
            "teams": list(Team),
            "outcomes": {key: label for key, label in OUTCOMES.items() if key != "returned_to_bot"},
            "outcome_labels": OUTCOMES,
            "status_labels": STATUS_LABELS,
            "languages": _language_names(request),
            "canned": canned,
            "mine": ticket.counsellor == current_user(request).name,
            "notice": NOTICES.get(request.query_params.get("notice", "")),
            "conflict": request.query_params.get("conflict") == "1",
            "max_length": MAX_LENGTH,
        },
    )


@requires(Role.COUNSELLOR)
async def claim(request: Request) -> Response:
    ticket_id = request.path_params["ticket_id"]
    name = current_user(request).name
    try:
        await _assistant(request).handover.claim(ticket_id, name)
    except ClaimConflict:
        return _back(ticket_id, conflict="1")
    except KeyError:
        return render(request, "message.html", _unknown_ticket(), 404)
    await audit_log(request).record(name, "Anfrage übernommen", ticket_id)
    return _back(ticket_id, notice="claimed")


@requires(Role.COUNSELLOR)
async def reply(request: Request) -> Response:
    ticket_id = request.path_params["ticket_id"]
    handover = _assistant(request).handover
    ticket = await handover.tickets.get(ticket_id)
    if ticket is None:
        return render(request, "message.html", _unknown_ticket(), 404)
    name = current_user(request).name
    text = str((await read_form(request)).get("text", "")).strip()
    if ticket.status == Status.CLOSED:
        return _back(ticket_id, notice="is_closed")
    if ticket.counsellor != name:
        return _back(ticket_id, notice="not_yours")
    if not text:
        return _back(ticket_id, notice="empty")
    if len(text) > MAX_LENGTH:
        return _back(ticket_id, notice="too_long")
    delivery = await handover.reply(ticket_id, name, text)
    await audit_log(request).record(name, "Antwort gesendet", ticket_id, delivery.value)
    return _back(ticket_id, notice=_DELIVERY_NOTICES[delivery])


@requires(Role.COUNSELLOR)
async def move(request: Request) -> Response:
    ticket_id = request.path_params["ticket_id"]
    try:
        team = Team(str((await read_form(request)).get("team", "")))
        await _assistant(request).handover.tickets.move(ticket_id, team)
    except (ValueError, KeyError):
        return render(request, "message.html", _unknown_ticket(), 404)
    await audit_log(request).record(current_user(request).name, "Team geändert", ticket_id, team.label)
    return _back(ticket_id, notice="moved")


@requires(Role.COUNSELLOR)
async def close(request: Request) -> Response:
    ticket_id = request.path_params["ticket_id"]
    outcome = str((await read_form(request)).get("outcome", ""))
    name = current_user(request).name
    try:
        await _assistant(request).handover.close(ticket_id, name, outcome)
    except (ValueError, KeyError):
        return render(request, "message.html", _unknown_ticket(), 404)
    await audit_log(request).record(name, "Anfrage abgeschlossen", ticket_id, OUTCOMES[outcome])
    return _back(ticket_id, notice="closed")


@requires(Role.COUNSELLOR)
async def inbox_events(request: Request) -> Response:
    """``changed`` whenever a ticket or a transcript changed on any worker."""
    tickets = _assistant(request).handover.tickets

    async def stream() -> AsyncIterator[str]:
        seen = await tickets.version()
        yield "retry: 2000\n\n"
        quiet = 0.0
        elapsed = 0.0
        while elapsed < EVENTS_MAX_SECONDS and not await request.is_disconnected():
            await asyncio.sleep(EVENTS_POLL_SECONDS)
            elapsed += EVENTS_POLL_SECONDS
            quiet += EVENTS_POLL_SECONDS
            current = await tickets.version()
            if current != seen:
                seen, quiet = current, 0.0
                yield f"event: changed\ndata: {current}\n\n"
            elif quiet >= EVENTS_HEARTBEAT_SECONDS:
                quiet = 0.0
                yield ": still here\n\n"

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={**NO_STORE, "x-accel-buffering": "no"}
    )


async def _shown(assistant: Assistant, ticket: Ticket, message: TicketMessage) -> ShownMessage:
    """The person's messages with their German translation; the rest is German already."""
    if message.sender != Sender.USER or ticket.language == STAFF_LANGUAGE:
        return ShownMessage(message, None, None)
    translated = await assistant.translator.translate(message.text, ticket.language, STAFF_LANGUAGE)
    if translated.machine:
        return ShownMessage(message, translated.text, None)
    return ShownMessage(message, None, f"Keine maschinelle Übersetzung {ticket.language} → de installiert.")


def _catalogue(request: Request) -> Catalogue:
    """The German content as it is now (staff may have published since the start)."""
    return content_source(_assistant(request).settings.content_dir).content().source


def _language_names(request: Request) -> dict[str, str]:
    return {code: language.name for code, language in _catalogue(request).languages.items()}


def _back(ticket_id: str, **query: str) -> Response:
    return RedirectResponse(f"{INBOX_PATH}/{ticket_id}?{urlencode(query)}", status_code=303, headers=NO_STORE)


def _unknown_ticket() -> dict[str, object]:
    return {
        "title": "Anfrage nicht gefunden",
        "message": (
            "Diese Anfrage gibt es nicht mehr. Vielleicht wurde sie gelöscht "
            "oder ihre Aufbewahrungszeit ist abgelaufen."
        ),
        "link": (INBOX_PATH, "Zum Posteingang"),
    }
