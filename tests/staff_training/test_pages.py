"""The staff pages for training data, unanswered questions and statistics, on a server with its own store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.staff.accounts import Role
from tests.conftest import stop_server
from tests.staff.conftest import STAFF_ACCOUNTS, new_page, sign_in_page
from tests.staff_training.conftest import LearningServer, chat, start_learning_server

TRAINING_PAGES = ["/admin/training", "/admin/training?language=fa&intent=greet", "/admin/unanswered"]
# Markup that would run script if the page let it through; no word of it is known, so the bot does not
# understand it whatever the training data holds.
SCRIPT_MESSAGE = "<svg/onload=plmok('qwrtz')>"
# "The integration course, how many hours is it?" in Farsi: the shipped model does not understand it as a
# question about language courses.
FARSI_QUESTION = "کورس ادغام چه ساعتی برگزار میشه"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[LearningServer]:
    learning = start_learning_server(tmp_path_factory, data_dir, own_training_data=False)
    yield learning
    assert learning.server.process is not None
    stop_server(learning.server.process)


@pytest.fixture
def editor_page(browser: Browser, server: LearningServer) -> Iterator[Page]:
    page = new_page(browser, server.url)
    credentials = STAFF_ACCOUNTS[Role.EDITOR]
    sign_in_page(page, credentials.name, credentials.password)
    yield page
    page.context.close()


@pytest.mark.parametrize("path", TRAINING_PAGES)
def test_counsellors_may_not_open_the_training_pages(server: LearningServer, path: str) -> None:
    counsellor = server.client(Role.COUNSELLOR)
    try:
        assert counsellor.get(path).status_code == 403
    finally:
        counsellor.close()


def test_counsellors_may_not_change_training_data(server: LearningServer) -> None:
    counsellor = server.client(Role.COUNSELLOR)
    try:
        added = counsellor.post("/admin/training/add", data={"language": "de", "intent": "greet", "text": "Moin"})
        assert added.status_code == 403
        assert counsellor.post("/admin/training/retrain", data={}).status_code == 403
        assert counsellor.post("/admin/unanswered/dismiss", data={"id": "x"}).status_code == 403
    finally:
        counsellor.close()


def test_a_newcomers_script_tag_shows_as_text_in_the_unanswered_list(server: LearningServer, editor_page: Page) -> None:
    assert chat(server.url, SCRIPT_MESSAGE)["intent"] == "nlu_fallback"
    editor_page.goto("/admin/unanswered")
    expect(editor_page.locator(".question-text", has_text=SCRIPT_MESSAGE)).to_have_text(SCRIPT_MESSAGE)
    expect(editor_page.locator("main svg[onload]")).to_have_count(0)


def test_an_assigned_question_becomes_a_draft_example_and_leaves_the_list(
    server: LearningServer, editor_page: Page
) -> None:
    # Not understood, or answered with too little confidence: either way it is listed.
    assert chat(server.url, FARSI_QUESTION)["intent"] != "language_courses"
    editor_page.goto("/admin/unanswered")
    group = editor_page.locator("section.question-group", has=editor_page.get_by_role("heading", name=FARSI_QUESTION))
    group.get_by_label("Thema").select_option("language_courses")
    group.get_by_role("button", name="Als Beispielsätze zuordnen").click()
    expect(editor_page.get_by_role("heading", name=FARSI_QUESTION)).to_have_count(0)

    editor_page.goto("/admin/training?language=fa&intent=language_courses")
    example = editor_page.locator("#examples .example", has_text=FARSI_QUESTION)
    expect(example).to_contain_text("neu im Entwurf")
    editor_page.once("dialog", lambda dialog: dialog.accept())
    editor_page.get_by_role("button", name="Entwurf verwerfen").click()
    expect(example).to_have_count(0)


def test_the_dashboard_counts_messages_by_language_channel_and_fallback(
    server: LearningServer, editor_page: Page
) -> None:
    editor_page.goto("/admin/dashboard?days=7")
    before = int(editor_page.locator("[data-figure='Nachrichten']").inner_text().replace(".", ""))
    for text in ("Hallo", "سلام", "Wo ist das Büro in Bebra?", SCRIPT_MESSAGE):
        chat(server.url, text)

    editor_page.goto("/admin/dashboard?days=7")
    expect(editor_page.locator("[data-figure='Nachrichten']")).to_have_text(str(before + 4))
    editor_page.get_by_text("Als Tabelle: Nachrichten nach Kanal").click()
    expect(editor_page.locator("#messages-per-channel-table tr", has_text="Web-Chat")).to_contain_text(str(before + 4))
    expect(editor_page.get_by_role("img", name="Nachrichten nach Kanal")).to_be_visible()
    editor_page.get_by_text("Als Tabelle: Nachrichten nach Sprache").click()
    expect(editor_page.locator("#messages-per-language-table tbody tr")).not_to_have_count(0)
    editor_page.get_by_text("Als Tabelle: Die 10 häufigsten Themen").click()
    expect(editor_page.locator("#top-intents-table tr", has_text="greet")).to_be_visible()
    expect(editor_page.locator("#top-intents-table tr", has_text="nlu_fallback")).to_be_visible()
