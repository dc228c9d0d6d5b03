"""Editing an entry over HTTP: what is refused (in plain German, with nothing written), who may, what is escaped."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import yaml

from bot.staff.accounts import Role
from tests.staff.conftest import StaffClient
from tests.staff_content.conftest import ContentServer, files_of, form_base

OPENING_HOURS = "/admin/content/answers/opening_hours"
BEBRA = "/admin/content/offices/bebra"
CONVERSATION = "/admin/content/messages/conversation"


def submit(client: StaffClient, path: str, language: str, do: str, **fields: str) -> httpx.Response:
    page = f"{path}?lang={language}"
    return client.post(page, {"base": form_base(client, page), "do": do, **fields})


def test_a_title_longer_than_twenty_characters_is_refused_and_nothing_is_written(
    content_server: ContentServer, editor: StaffClient
) -> None:
    before = files_of(content_server.content_dir)
    response = submit(
        editor, OPENING_HOURS, "de", "publish", **{"answers.opening_hours.title": "Öffnungszeiten der Stellen"}
    )
    assert response.status_code == 422
    assert "Nicht veröffentlicht." in response.text
    assert "Der Knopftitel darf höchstens 20 Zeichen lang sein." in response.text
    assert files_of(content_server.content_dir) == before


def test_an_emptied_text_is_refused_beside_its_field(content_server: ContentServer, editor: StaffClient) -> None:
    before = files_of(content_server.content_dir)
    response = submit(editor, OPENING_HOURS, "de", "publish", **{"answers.opening_hours.text": "  "})
    assert response.status_code == 422
    assert "Dieses Feld darf nicht leer sein." in response.text
    assert files_of(content_server.content_dir) == before


def test_a_translation_without_the_placeholder_of_the_german_text_is_refused(
    content_server: ContentServer, editor: StaffClient
) -> None:
    before = files_of(content_server.content_dir)
    response = submit(
        editor, CONVERSATION, "ar", "publish", **{"messages.town_without_office": "لا يوجد مركز استشارة هنا."}
    )
    assert response.status_code == 422
    assert "Die Platzhalter {town} müssen genau so (unübersetzt, in geschweiften Klammern) im Text stehen." in (
        response.text
    )
    assert files_of(content_server.content_dir) == before


def test_a_malformed_phone_number_and_opening_hours_are_explained(
    content_server: ContentServer, editor: StaffClient
) -> None:
    before = files_of(content_server.content_dir)
    fields = {"offices.bebra.contact.phone": "bitte anrufen", "offices.bebra.contact.opening_hours": "vormittags"}
    response = submit(editor, BEBRA, "de", "publish", **fields)
    assert response.status_code == 422
    assert "Eine Telefonnummer besteht aus Ziffern, Leerzeichen und den Zeichen + / ( ) -." in response.text
    assert "„vormittags“ ist keine Öffnungszeit." in response.text
    assert files_of(content_server.content_dir) == before


def test_empty_contact_fields_are_marked_as_still_missing(editor: StaffClient) -> None:
    page = editor.get(f"{BEBRA}?lang=de")
    assert page.status_code == 200
    assert page.text.count('<span class="badge badge-missing">fehlt noch</span>') == 6
    assert 'placeholder="fehlt noch"' in page.text


def test_a_preview_writes_nothing(content_server: ContentServer, editor: StaffClient) -> None:
    before = files_of(content_server.content_dir)
    response = submit(editor, OPENING_HOURS, "de", "preview", **{"answers.opening_hours.text": "Vorschautext."})
    assert response.status_code == 200
    assert "Vorschau: So antwortet der Bot" in response.text
    assert "Vorschautext." in response.text
    assert files_of(content_server.content_dir) == before


def test_a_script_typed_into_a_text_is_shown_escaped_in_the_form_and_the_preview(editor: StaffClient) -> None:
    script = "<script>alert('x')</script>"
    response = submit(editor, OPENING_HOURS, "de", "preview", **{"answers.opening_hours.text": f"Hallo {script}"})
    assert response.status_code == 200
    assert script not in response.text
    assert "Hallo &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in response.text


def test_publishing_a_german_text_writes_it_in_place(content_server: ContentServer, editor: StaffClient) -> None:
    answers = content_server.content_dir / "answers.yml"
    before = answers.read_text(encoding="utf-8").splitlines()
    response = submit(editor, "/admin/content/answers/goodbye", "de", "publish", **{"answers.goodbye.text": "Tschüss!"})
    assert response.status_code == 303
    after = answers.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == ["    text: Tschüss!"]
    assert yaml.safe_load("\n".join(after))["answers"]["goodbye"]["text"] == "Tschüss!"


def test_a_form_opened_before_someone_else_published_is_refused(editor: StaffClient) -> None:
    page = f"{OPENING_HOURS}?lang=ru"
    stale = form_base(editor, page)
    first = editor.post(page, {"base": stale, "do": "publish", "answers.opening_hours.title": "Часы приёма"})
    assert first.status_code == 303
    assert "published=" in first.headers["location"]
    second = editor.post(page, {"base": stale, "do": "publish", "answers.opening_hours.title": "Время приёма"})
    assert second.status_code == 422
    assert "Jemand anderes hat diesen Eintrag geändert" in second.text


def test_a_counsellor_may_not_open_the_editor(signed_in: Callable[[Role], StaffClient]) -> None:
    counsellor = signed_in(Role.COUNSELLOR)
    assert counsellor.get("/admin/content").status_code == 403
    assert counsellor.get(f"{OPENING_HOURS}?lang=ar").status_code == 403
    assert counsellor.post(f"{OPENING_HOURS}?lang=ar", {"do": "publish"}).status_code == 403
    assert counsellor.get("/admin/content/revisions").status_code == 403
    assert counsellor.get("/admin/translations").status_code == 403


def test_publishing_without_the_csrf_token_is_refused(content_server: ContentServer, editor: StaffClient) -> None:
    before = files_of(content_server.content_dir)
    page = f"{OPENING_HOURS}?lang=de"
    fields = {"base": form_base(editor, page), "do": "publish", "answers.opening_hours.text": "Ohne Token."}
    assert editor.post(page, fields, csrf=False).status_code == 403
    assert files_of(content_server.content_dir) == before


def test_an_unknown_entry_is_not_found(editor: StaffClient) -> None:
    assert editor.get("/admin/content/answers/no_such_answer").status_code == 404
    assert editor.get(f"{OPENING_HOURS}?lang=xx").status_code == 404
