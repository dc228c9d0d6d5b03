"""The editor's pages: the list of entries, and one entry per language beside the German original.

The entry's form posts back to its own address with ``do=preview`` (check the
draft and show the bot's answers, nothing written) or ``do=publish``; a
published change redirects to the entry with a notice (post/redirect/get), a
refused one shows the form again with what staff typed and every problem
beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from actions.content_access import content_source
from bot.assembly import Assistant
from bot.staff.accounts import Role
from bot.staff.content_editor import history
from bot.staff.content_editor.edits import CONFLICT, EntryEdit, form_digest, shown_value, status_of, translatable
from bot.staff.content_editor.fields import CONTENT_PATH, SECTION_TITLES, Entry, Field, Kind, entries, find_entry
from bot.staff.content_editor.problems import Finding
from bot.staff.content_editor.publishing import BUSY, ChangeRefused, ContentPublisher, Draft, NothingChanged
from bot.staff.forms import read_form
from bot.staff.guard import requires
from bot.staff.identity import current_user
from bot.staff.pages import NO_STORE, render
from bot.store import LockTimeout
from content.store import SOURCE_LANGUAGE, Content

STATUS_LABELS = {
    "confirmed": "geprüft",
    "review": "wartet auf Prüfung",
    "draft": "maschineller Entwurf",
    "missing": "fehlt",
}


@dataclass(frozen=True)
class FieldView:
    """One field as the form shows it."""

    field: Field
    german: str
    value: str
    status: str | None
    """The translation's status (translations only)."""
    editable: bool
    findings: list[Finding]


@dataclass(frozen=True)
class LanguageCell:
    """An entry in one language on the overview: how many of its texts still need a look."""

    code: str
    open: int


def routes() -> list[BaseRoute]:
    return [
        Route("/content", content_page, methods=["GET"]),
        *history.routes(),
        Route("/content/{section}/{ident}", entry_page, methods=["GET"]),
        Route("/content/{section}/{ident}", entry_submit, methods=["POST"]),
    ]


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def current_content(request: Request) -> Content:
    """The content as this worker answers with it now."""
    return content_source(_assistant(request).settings.content_dir).content()


def languages_of(content: Content) -> dict[str, Any]:
    """The languages content is kept in, German first."""
    return {code: content.source.languages[code] for code in content.source.core_languages}


@requires(Role.EDITOR)
async def content_page(request: Request) -> Response:
    content = current_content(request)
    languages = languages_of(content)
    overview = {
        section: [(entry, _cells(entry, content, languages)) for entry in found]
        for section, found in entries(content.source).items()
    }
    return render(
        request, "content_index.html", {"overview": overview, "languages": languages, "titles": SECTION_TITLES}
    )


def _cells(entry: Entry, content: Content, languages: dict[str, Any]) -> list[LanguageCell]:
    keys = [field.key for field in translatable(entry.fields(content.source), content)]
    return [
        LanguageCell(
            code,
            sum(status_of(content.translations.get(code, {}).get(key)) != "confirmed" for key in keys),
        )
        for code in languages
        if code != SOURCE_LANGUAGE
    ]


@requires(Role.EDITOR)
async def entry_page(request: Request) -> Response:
    content = current_content(request)
    located = _locate(request, content)
    if isinstance(located, Response):
        return located
    entry, language = located
    published = request.query_params.get("published", "")
    notice = None
    if published.isdigit():
        notice = (
            f"Veröffentlicht als Revision {published}. Der Bot antwortet auf allen Servern "
            "innerhalb weniger Sekunden mit dem neuen Stand."
        )
    elif request.query_params.get("unchanged") == "1":
        notice = "Nichts geändert: Die Eingaben entsprechen dem veröffentlichten Stand."
    return _entry(request, content, entry, language, notice=notice, published=published)


@requires(Role.EDITOR)
async def entry_submit(request: Request) -> Response:
    content = current_content(request)
    located = _locate(request, content)
    if isinstance(located, Response):
        return located
    entry, language = located
    form = await read_form(request)
    fields = entry.fields(content.source)
    typed = {field.key: str(form[field.key]) for field in fields if field.key in form}
    user = current_user(request)
    edit = EntryEdit(entry, language, typed, str(form.get("base", "")), user.name)
    publisher = ContentPublisher(_assistant(request))
    if form.get("do") != "publish":
        draft = await publisher.try_out(edit, language, entry.preview_intents(content.source))
        return _entry(request, content, entry, language, typed, draft, edit.base, 422 if draft.errors else 200)
    language_name = content.source.languages[language].name
    try:
        published = await publisher.publish(
            user.name,
            f"{entry.section_title}: {entry.title} ({language_name})",
            edit,
            "content.publish",
            f"{entry.section}.{entry.ident} ({language})",
        )
    except ChangeRefused as refused:
        now = current_content(request)
        conflict = any(finding.message == CONFLICT for finding in refused.findings)
        # After a conflict the form holds the current fingerprint: publishing again is a decision, not an accident.
        base = form_digest(entry, now, language) if conflict else edit.base
        return _entry(request, now, entry, language, typed, Draft(refused.findings, []), base, 422)
    except NothingChanged:
        return _redirect(entry, language, unchanged="1")
    except LockTimeout:
        return _entry(request, content, entry, language, typed, None, edit.base, 503, error=BUSY)
    return _redirect(entry, language, published=str(published.revision.number))


def _locate(request: Request, content: Content) -> tuple[Entry, str] | Response:
    entry = find_entry(content.source, request.path_params["section"], request.path_params["ident"])
    language = request.query_params.get("lang", SOURCE_LANGUAGE)
    if entry is None or language not in content.source.core_languages:
        return render(
            request,
            "message.html",
            {
                "title": "Nicht gefunden",
                "message": "Diesen Eintrag oder diese Sprache gibt es im Inhalt nicht.",
                "link": (CONTENT_PATH, "Zu den Inhalten"),
            },
            404,
        )
    return entry, language


def _entry(
    request: Request,
    content: Content,
    entry: Entry,
    language: str,
    typed: dict[str, str] | None = None,
    draft: Draft | None = None,
    base: str | None = None,
    status_code: int = 200,
    notice: str | None = None,
    error: str | None = None,
    published: str = "",
) -> Response:
    found = draft.findings if draft is not None else []
    views = _views(entry, content, language, typed or {}, found)
    shown_keys = [view.field.key for view in views if view.editable]
    general = [
        finding
        for finding in found
        if finding.error and not any(finding.concerns(key, language) for key in shown_keys)
    ]
    languages = languages_of(content)
    return render(
        request,
        "content_entry.html",
        {
            "entry": entry,
            "language": language,
            "languages": languages,
            "direction": languages[language].direction,
            "german": language == SOURCE_LANGUAGE,
            "views": views,
            "base": base if base is not None else form_digest(entry, content, language),
            "general": general,
            "draft": draft,
            "notice": notice,
            "error": error,
            "published": published,
            "status_labels": STATUS_LABELS,
            "action": f"{entry.url}?{urlencode({'lang': language})}",
            "answer_titles": {intent: answer.title for intent, answer in content.source.answers.items()},
        },
        status_code,
    )


def _views(
    entry: Entry, content: Content, language: str, typed: dict[str, str], found: list[Finding]
) -> list[FieldView]:
    known = content.translations.get(language, {})
    views = []
    for field in entry.fields(content.source):
        german = shown_value(field, content)
        concerning = [finding for finding in found if finding.concerns(field.key, language)]
        if language == SOURCE_LANGUAGE:
            views.append(FieldView(field, german, typed.get(field.key, german), None, True, concerning))
        elif field.kind is Kind.LIST:
            # References and other names: they are the same in every language and only clutter the form.
            continue
        elif field.kind is not Kind.TEXT:
            views.append(FieldView(field, german, german, None, False, []))
        elif field.key in content.texts:
            translation = known.get(field.key)
            current = translation.text if translation is not None else ""
            views.append(
                FieldView(field, german, typed.get(field.key, current), status_of(translation), True, concerning)
            )
    return views


def _redirect(entry: Entry, language: str, **query: str) -> Response:
    return RedirectResponse(
        f"{entry.url}?{urlencode({'lang': language, **query})}", status_code=303, headers=NO_STORE
    )
