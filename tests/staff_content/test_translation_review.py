"""Reviewing translations: texts awaiting review per language, confirming or correcting them, machine drafts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.staff.accounts import Role
from content.models import Translation
from content.store import load_content
from tests.staff.conftest import STAFF_ACCOUNTS, StaffClient
from tests.staff_content.conftest import MISSING_ENGLISH_KEY, ContentServer, chat_answer, form_base

EDITOR = STAFF_ACCOUNTS[Role.EDITOR].name


def translation(content_dir: Path, language: str, key: str) -> Translation | None:
    return load_content(content_dir).translations[language].get(key)


def review_item(client: StaffClient, language: str, key: str, status: str = "") -> str:
    """The part of the review list of ``language`` about ``key``, on whichever page of the list it is."""
    for page in range(1, 20):
        listing = client.get(f"/admin/translations?lang={language}&status={status}&page={page}").text
        found = re.search(rf'<article [^>]*id="t-{re.escape(key)}".*?</article>', listing, re.DOTALL)
        if found is not None:
            return found.group(0)
        if 'rel="next"' not in listing:
            break
    raise AssertionError(f"{key} is not listed for {language}")


def listed(client: StaffClient, language: str, key: str, status: str = "") -> bool:
    try:
        review_item(client, language, key, status)
    except AssertionError:
        return False
    return True


def item_base(client: StaffClient, language: str, key: str, status: str = "") -> str:
    found = re.search(r'name="base" value="([^"]*)"', review_item(client, language, key, status))
    assert found is not None
    return found.group(1)


def test_texts_awaiting_review_are_listed_per_language(editor: StaffClient) -> None:
    assert editor.get("/admin/translations?lang=fa").status_code == 200
    item = review_item(editor, "fa", "answers.greet.title")
    assert "wartet auf Prüfung" in item
    assert 'dir="rtl"' in item
    assert 'lang="fa"' in item


def test_a_reviewer_confirms_a_corrected_translation(content_server: ContentServer, editor: StaffClient) -> None:
    key = "answers.thank_you.text"
    base = item_base(editor, "ar", key)
    response = editor.post(
        "/admin/translations/confirm", {"lang": "ar", "key": key, "text": "على الرحب والسعة!", "base": base}
    )
    assert response.status_code == 303
    assert translation(content_server.content_dir, "ar", key) == Translation(
        text="على الرحب والسعة!", status="confirmed", reviewed_by=EDITOR
    )
    assert not listed(editor, "ar", key)
    assert "على الرحب والسعة!" in chat_answer(content_server.url, "ar", "/thank_you")


def test_a_confirmation_is_recorded_as_a_revision(editor: StaffClient) -> None:
    key = "answers.thank_you.title"
    base = item_base(editor, "uk", key)
    confirmed = editor.post("/admin/translations/confirm", {"lang": "uk", "key": key, "text": "Дякую", "base": base})
    assert confirmed.status_code == 303
    history = editor.get("/admin/content/revisions").text
    assert f"Übersetzung geprüft: {key} (uk)" in history


def test_a_translation_changed_meanwhile_is_not_confirmed_unseen(
    content_server: ContentServer, editor: StaffClient
) -> None:
    key = "answers.privacy.title"
    stale = item_base(editor, "tr", key)
    page = "/admin/content/answers/privacy?lang=tr"
    edited = editor.post(page, {"base": form_base(editor, page), "do": "publish", key: "Gizlilik ve veriler"})
    assert edited.status_code == 303
    response = editor.post("/admin/translations/confirm", {"lang": "tr", "key": key, "text": "Gizlilik", "base": stale})
    assert response.status_code == 422
    assert "Dieser Text wurde inzwischen geändert" in response.text
    assert translation(content_server.content_dir, "tr", key) == Translation(
        text="Gizlilik ve veriler", status="confirmed", reviewed_by=EDITOR
    )


def test_a_changed_german_text_sends_its_confirmed_translations_back_to_review(
    content_server: ContentServer, editor: StaffClient
) -> None:
    key = "answers.leisure_activities.text"
    base = item_base(editor, "ru", key)
    text = "Досуг для семей, детей и молодёжи."
    confirmed = editor.post("/admin/translations/confirm", {"lang": "ru", "key": key, "text": text, "base": base})
    assert confirmed.status_code == 303
    page = "/admin/content/answers/leisure_activities?lang=de"
    german = "Freizeitangebote für Familien, Kinder und Jugendliche."
    assert editor.post(page, {"base": form_base(editor, page), "do": "publish", key: german}).status_code == 303
    assert translation(content_server.content_dir, "ru", key) == Translation(text=text, status="review")
    assert f"# de: {german}" in (content_server.content_dir / "translations" / "ru.yml").read_text(encoding="utf-8")


def test_a_missing_translation_is_drafted_by_machine_and_stays_a_draft(
    content_server: ContentServer, editor: StaffClient
) -> None:
    if not content_server.drafts_by_machine:
        pytest.skip("argostranslate is not installed")
    item = review_item(editor, "en", MISSING_ENGLISH_KEY, "missing")
    assert "Maschinell entwerfen" in item
    base = item_base(editor, "en", MISSING_ENGLISH_KEY, "missing")
    response = editor.post("/admin/translations/draft", {"lang": "en", "key": MISSING_ENGLISH_KEY, "base": base})
    assert response.status_code == 303
    drafted = translation(content_server.content_dir, "en", MISSING_ENGLISH_KEY)
    assert drafted is not None
    assert drafted.status == "draft"
    # The test package's model answers every text with its signature word.
    assert "Welcome" in drafted.text
    assert "maschineller Entwurf" in review_item(editor, "en", MISSING_ENGLISH_KEY, "draft")


def test_no_machine_draft_is_offered_without_a_package_for_the_language(editor: StaffClient) -> None:
    page = editor.get("/admin/translations?lang=ar").text
    assert "Maschinell entwerfen" not in page
    assert "ist kein Übersetzungspaket von Deutsch aus installiert" in page

