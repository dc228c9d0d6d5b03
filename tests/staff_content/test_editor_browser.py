"""The issue's scenario in headless Chromium: change the Arabic answer on opening hours, publish, ask, roll back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from content.store import load_content
from tests.staff_content.conftest import ContentServer, eventually_answers

pytestmark = pytest.mark.browser

KEY = "answers.opening_hours.text"
NEW_TEXT = "مواعيد الدوام الجديدة في مراكز الاستشارة"


def test_an_editor_publishes_a_new_arabic_answer_and_rolls_it_back(
    editor_page: Page, content_server: ContentServer
) -> None:
    old_text = load_content(content_server.content_dir).translations["ar"][KEY].text
    page = editor_page
    page.goto("/admin/content")
    page.get_by_role("link", name="Öffnungszeiten: العربية").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antworten: Öffnungszeiten")
    page.get_by_label("Antworttext").fill(NEW_TEXT)
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator("#notice")).to_contain_text("Veröffentlicht als Revision")

    answer = eventually_answers(content_server.url, "ar", "/opening_hours", lambda text: NEW_TEXT in text)
    assert NEW_TEXT in answer

    page.get_by_role("link", name="Änderungen ansehen").click()
    expect(page.locator(".diff-added").filter(has_text=NEW_TEXT)).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Auf den Stand vor Revision")).click()
    expect(page.locator("#notice")).to_contain_text("Zurückgesetzt")

    answer = eventually_answers(content_server.url, "ar", "/opening_hours", lambda text: old_text in text)
    assert old_text in answer
    assert NEW_TEXT not in answer


def test_the_preview_shows_an_arabic_answer_right_to_left(editor_page: Page) -> None:
    page = editor_page
    page.goto("/admin/content/answers/opening_hours?lang=ar")
    page.get_by_label("Antworttext").fill(NEW_TEXT)
    page.get_by_role("button", name="Vorschau").click()
    preview = page.locator('.preview-chat[data-intent="opening_hours"]')
    expect(preview).to_contain_text(NEW_TEXT)
    expect(preview).to_have_attribute("dir", "rtl")
    assert preview.evaluate("element => getComputedStyle(element).direction") == "rtl"
    # Latin names inside the Arabic answer are isolated, as the bot sends them.
    expect(preview).to_contain_text("\u2066Beratungsstelle Bebra\u2069")
    expect(page.get_by_label("Antworttext")).to_have_attribute("dir", "rtl")


def test_the_title_field_counts_its_characters(editor_page: Page) -> None:
    page = editor_page
    page.goto("/admin/content/answers/opening_hours?lang=de")
    title = page.get_by_label("Knopftitel")
    title.fill("Ein sehr langer Knopftitel")
    expect(page.locator(".char-count")).to_have_text("26 von 20 Zeichen")
    expect(page.locator(".char-count")).to_have_class(re.compile("char-count-over"))
