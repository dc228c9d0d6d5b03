"""Every publication is a revision with who, when, which files and a readable diff; rolling back is one click."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from bot.staff.accounts import Role
from tests.staff.conftest import STAFF_ACCOUNTS, StaffClient
from tests.staff_content.conftest import ContentServer, files_of, form_base

EDITOR = STAFF_ACCOUNTS[Role.EDITOR].name


def publish(client: StaffClient, path: str, **fields: str) -> int:
    """Publish ``fields`` through the form at ``path``; the new revision's number."""
    response = client.post(path, {"base": form_base(client, path), "do": "publish", **fields})
    assert response.status_code == 303, response.text
    found = re.search(r"published=(\d+)", response.headers["location"])
    assert found is not None, response.headers["location"]
    return int(found.group(1))


def diff_lines(page: str, path: str, kind: str) -> list[str]:
    """The texts of the diff lines of ``kind`` (added, removed) of the file ``path`` on a revision page."""
    files = page.split('<h3 class="diff-file">')[1:]
    part = next(chunk for chunk in files if chunk.startswith(f"{path} "))
    line = rf'<div class="diff-line diff-{kind}">.*?<span class="diff-text" dir="auto">(.*?)</span></div>'
    return re.findall(line, part)


def rollback(client: StaffClient, number: int) -> httpx.Response:
    return client.post(f"/admin/content/revisions/{number}/rollback", {})


def test_a_publication_is_listed_with_who_and_what(editor: StaffClient) -> None:
    number = publish(
        editor,
        "/admin/content/answers/migrant_organisations?lang=de",
        **{"answers.migrant_organisations.text": "Für Vereine und Migrantenselbstorganisationen gibt es Folgendes."},
    )
    history = editor.get("/admin/content/revisions")
    assert history.status_code == 200
    row = re.search(rf'<tr>\s*<th scope="row"><a href="/admin/content/revisions/{number}">.*?</tr>', history.text, re.S)
    assert row is not None
    assert EDITOR in row.group(0)
    assert "Antworten: Vereine (Deutsch)" in row.group(0)
    assert "answers.yml" in row.group(0)


def test_a_revision_shows_the_removed_and_added_lines(editor: StaffClient) -> None:
    page = "/admin/content/emergency_numbers/police?lang=de"
    number = publish(editor, page, **{"emergency_numbers.police.label": "Polizei (Notruf)"})
    revision = editor.get(f"/admin/content/revisions/{number}").text
    assert diff_lines(revision, "emergency.yml", "removed") == ["    label: Polizei"]
    assert diff_lines(revision, "emergency.yml", "added") == ["    label: Polizei (Notruf)"]
    assert diff_lines(revision, "translations/ar.yml", "added") == ["# de: Polizei (Notruf)"]


def test_rolling_back_restores_the_files_and_is_itself_a_revision(
    content_server: ContentServer, editor: StaffClient
) -> None:
    before = files_of(content_server.content_dir)
    number = publish(editor, "/admin/content/offers/leisure?lang=en", **{"offers.leisure.name": "Free time"})
    assert files_of(content_server.content_dir) != before
    response = rollback(editor, number)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/content/revisions/{number + 1}?notice=rolled_back"
    assert files_of(content_server.content_dir) == before
    page = editor.get(response.headers["location"]).text
    assert f"Revision {number + 1}: Revision {number} zurückgenommen" in page
    assert f'<a href="/admin/content/revisions/{number}">Revision {number}</a>' in page


def test_rolling_back_to_the_state_one_already_has_changes_nothing(editor: StaffClient) -> None:
    number = publish(editor, "/admin/content/offers/leisure?lang=tr", **{"offers.leisure.name": "Boş zaman"})
    assert rollback(editor, number).status_code == 303
    again = rollback(editor, number)
    assert again.status_code == 303
    assert again.headers["location"] == f"/admin/content/revisions/{number}?notice=unchanged"


def test_every_publication_and_rollback_is_in_the_audit_log(signed_in: Callable[[Role], StaffClient]) -> None:
    editor = signed_in(Role.EDITOR)
    number = publish(editor, "/admin/content/offers/leisure?lang=uk", **{"offers.leisure.name": "Дозвілля"})
    assert rollback(editor, number).status_code == 303
    log = signed_in(Role.ADMIN).get("/admin/audit").text
    assert re.search(rf"<td>{EDITOR}</td>\s*<td[^>]*>content\.rollback</td>\s*<td>Revision {number}</td>", log)
    assert re.search(rf"<td>{EDITOR}</td>\s*<td[^>]*>content\.publish</td>\s*<td>offers\.leisure \(uk\)</td>", log)


def test_an_unknown_revision_is_not_found(editor: StaffClient) -> None:
    assert editor.get("/admin/content/revisions/999999").status_code == 404
    assert rollback(editor, 999999).status_code == 404
