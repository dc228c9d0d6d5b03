"""``/admin/translations``: the texts of one language that await review, and confirming or correcting them.

A text awaits review while its status is ``review`` (a translation not yet
checked by staff), ``draft`` (drafted by machine) or while it is missing (the
bot shows the German text). A reviewer confirms it as it is or corrected; it
becomes ``confirmed`` with the reviewer's name. Where an Argos Translate
package leads from German to the language (:mod:`bot.translation`), a missing
text can be drafted by machine; the draft goes out with status ``draft`` and
stays listed here until someone confirms it. Every confirmation and draft is
published like any change of the editor: checked, written, released to every
worker, recorded as a revision and in the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.assembly import Assistant
from bot.staff.accounts import Role
from bot.staff.content_editor.edits import load, status_of, write_translations
from bot.staff.content_editor.fields import Entry, digest, entries_by_key, normalize
from bot.staff.content_editor.pages import STATUS_LABELS, current_content, languages_of
from bot.staff.content_editor.problems import Finding
from bot.staff.content_editor.publishing import BUSY, ChangeRefused, ContentPublisher, NothingChanged, refusal
from bot.staff.forms import read_form
from bot.staff.guard import requires
from bot.staff.identity import current_user
from bot.staff.pages import NO_STORE, render
from bot.store import LockTimeout
from content.models import Translation
from content.store import SOURCE_LANGUAGE, Content

REVIEW_PATH = "/admin/translations"
PAGE_SIZE = 25
OPEN_STATUSES = ("review", "draft", "missing")
FILTERS = {"": "alle offenen", "review": "wartet auf Prüfung", "draft": "maschineller Entwurf", "missing": "fehlt"}
CHANGED_MEANWHILE = (
    "Dieser Text wurde inzwischen geändert (im Deutschen oder in der Übersetzung). Bitte prüfen Sie den "
    "aktuellen Stand unten noch einmal."
)
NOTICES = {
    "confirmed": "Übersetzung bestätigt und veröffentlicht.",
    "drafted": "Maschineller Entwurf veröffentlicht. Er bleibt als Entwurf markiert, bis ihn jemand bestätigt.",
    "unchanged": "Nichts geändert: Die Übersetzung war schon so bestätigt.",
}


@dataclass(frozen=True)
class ReviewItem:
    key: str
    german: str
    text: str
    status: str
    base: str
    entry: Entry | None
    findings: list[Finding]


@dataclass(frozen=True)
class SetTranslation:
    """The change that gives ``key`` in ``language`` the translation ``translation``, if the text is as reviewed."""

    language: str
    key: str
    translation: Translation
    base: str

    def __call__(self, directory: Path) -> list[Finding]:
        content = load(directory)
        if self.key not in content.texts:
            raise refusal("Diesen Text gibt es im Inhalt nicht mehr.", self.key, self.language)
        if item_digest(content, self.language, self.key) != self.base:
            raise refusal(CHANGED_MEANWHILE, self.key, self.language)
        write_translations(content, self.language, {self.key: self.translation})
        return []


def routes() -> list[BaseRoute]:
    return [
        Route("/translations", review_page, methods=["GET"]),
        Route("/translations/confirm", confirm, methods=["POST"]),
        Route("/translations/draft", draft, methods=["POST"]),
    ]


def item_digest(content: Content, language: str, key: str) -> str:
    """The fingerprint of a text as the review list shows it: German, translation and status."""
    translation = content.translations.get(language, {}).get(key)
    return digest([content.texts.get(key, ""), translation.text if translation else "", status_of(translation)])


@requires(Role.EDITOR)
async def review_page(request: Request) -> Response:
    content = current_content(request)
    language = _language(content, request.query_params.get("lang"))
    if language is None:
        return _unknown_language(request)
    notice = NOTICES.get(request.query_params.get("notice", ""))
    return _page(request, content, language, notice=notice)


@requires(Role.EDITOR)
async def confirm(request: Request) -> Response:
    form = await read_form(request)
    content = current_content(request)
    language = _language(content, str(form.get("lang", "")))
    key = str(form.get("key", ""))
    if language is None or key not in content.texts:
        return _unknown_language(request)
    text = normalize(str(form.get("text", "")))
    if not text:
        finding = refusal("Bitte tragen Sie die Übersetzung ein.", key, language).findings
        return _page(request, content, language, form, finding, {key: text}, 422)
    name = current_user(request).name
    change = SetTranslation(language, key, Translation(text=text, status="confirmed", reviewed_by=name), _base(form))
    return await _publish(request, content, language, form, change, f"Übersetzung geprüft: {key} ({language})")


@requires(Role.EDITOR)
async def draft(request: Request) -> Response:
    form = await read_form(request)
    content = current_content(request)
    language = _language(content, str(form.get("lang", "")))
    key = str(form.get("key", ""))
    if language is None or key not in content.texts:
        return _unknown_language(request)
    translator = _assistant(request).translator
    if not translator.can_translate(SOURCE_LANGUAGE, language):
        finding = refusal(_no_machine(content, language), key, language).findings
        return _page(request, content, language, form, finding, status_code=409)
    translated = await translator.translate(content.texts[key], SOURCE_LANGUAGE, language)
    if not translated.machine:
        message = translated.note or "Die maschinelle Übersetzung ist fehlgeschlagen."
        return _page(request, content, language, form, refusal(message, key, language).findings, status_code=502)
    change = SetTranslation(language, key, Translation(text=translated.text, status="draft"), _base(form))
    return await _publish(request, content, language, form, change, f"Maschineller Entwurf: {key} ({language})")


async def _publish(
    request: Request, content: Content, language: str, form: Mapping[str, Any], change: SetTranslation, summary: str
) -> Response:
    action = "translation.confirm" if change.translation.status == "confirmed" else "translation.draft"
    publisher = ContentPublisher(_assistant(request))
    typed = {change.key: change.translation.text}
    try:
        await publisher.publish(
            current_user(request).name, summary, change, action, f"{change.key} ({language})"
        )
    except ChangeRefused as refused:
        return _page(request, current_content(request), language, form, refused.findings, typed, 422)
    except NothingChanged:
        return _back(language, form, "unchanged")
    except LockTimeout:
        return _page(request, content, language, form, refusal(BUSY, change.key, language).findings, typed, 503)
    return _back(language, form, "drafted" if action == "translation.draft" else "confirmed")


def _page(
    request: Request,
    content: Content,
    language: str,
    form: Mapping[str, Any] | None = None,
    found: list[Finding] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    query = form if form is not None else request.query_params
    wanted = str(query.get("status", ""))
    wanted = wanted if wanted in FILTERS else ""
    keys = _open_keys(content, language, wanted)
    pages = max(1, -(-len(keys) // PAGE_SIZE))
    try:
        page = min(max(1, int(str(query.get("page", "1")))), pages)
    except ValueError:
        page = 1
    shown = keys[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    by_key = entries_by_key(content.source)
    found = found or []
    items = [_item(content, language, key, by_key.get(key), found, typed or {}) for key in shown]
    translator = _assistant(request).translator
    languages = languages_of(content)
    return render(
        request,
        "translations.html",
        {
            "language": language,
            "languages": languages,
            "direction": languages[language].direction,
            "counts": {code: len(_open_keys(content, code, "")) for code in languages if code != SOURCE_LANGUAGE},
            "items": items,
            "total": len(keys),
            "page": page,
            "pages": pages,
            "status": wanted,
            "filters": FILTERS,
            "status_labels": STATUS_LABELS,
            "can_draft": translator.can_translate(SOURCE_LANGUAGE, language),
            "no_machine": _no_machine(content, language),
            "notice": notice,
            "general": [finding for finding in found if not any(finding.concerns(key, language) for key in shown)],
        },
        status_code,
    )


def _open_keys(content: Content, language: str, wanted: str) -> list[str]:
    """The keys awaiting review in ``language`` (only those with status ``wanted``, if given), in file order."""
    known = content.translations.get(language, {})
    return [
        key
        for key in content.texts
        if status_of(known.get(key)) in OPEN_STATUSES and (not wanted or status_of(known.get(key)) == wanted)
    ]


def _item(
    content: Content, language: str, key: str, entry: Entry | None, found: list[Finding], typed: dict[str, str]
) -> ReviewItem:
    translation = content.translations.get(language, {}).get(key)
    return ReviewItem(
        key,
        content.texts[key],
        typed.get(key, translation.text if translation is not None else ""),
        status_of(translation),
        item_digest(content, language, key),
        entry,
        [finding for finding in found if finding.concerns(key, language)],
    )


def _language(content: Content, wanted: str | None) -> str | None:
    languages = [code for code in content.source.core_languages if code != SOURCE_LANGUAGE]
    if not wanted:
        return languages[0] if languages else None
    return wanted if wanted in languages else None


def _base(form: Mapping[str, Any]) -> str:
    return str(form.get("base", ""))


def _no_machine(content: Content, language: str) -> str:
    name = content.source.languages[language].name
    return (
        f"Für {name} ist kein Übersetzungspaket von Deutsch aus installiert "
        f"(„wegweiser translate install {language}“, siehe README)."
    )


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def _back(language: str, form: Mapping[str, Any], notice: str) -> Response:
    query = {"lang": language, "status": str(form.get("status", "")), "page": str(form.get("page", "1"))}
    return RedirectResponse(
        f"{REVIEW_PATH}?{urlencode({**query, 'notice': notice})}", status_code=303, headers=NO_STORE
    )


def _unknown_language(request: Request) -> Response:
    return render(
        request,
        "message.html",
        {
            "title": "Nicht gefunden",
            "message": "Diese Sprache oder diesen Text gibt es im Inhalt nicht.",
            "link": (REVIEW_PATH, "Zu den Übersetzungen"),
        },
        404,
    )
