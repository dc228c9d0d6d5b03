"""Retraining from the staff area: a worse model on emergencies is refused, a good one is published and used.

One server with its own copy of the training data; each test leaves the draft empty. Retraining takes
minutes here, so there are only these two.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from bot.staff.accounts import Role
from bot.staff.training_draft import TrainingSet
from tests.conftest import stop_server
from tests.staff.conftest import STAFF_ACCOUNTS, new_page, sign_in_page
from tests.staff_training.conftest import (
    PUBLISHED_TIMEOUT_SECONDS,
    RETRAINING_TIMEOUT_SECONDS,
    LearningServer,
    chat,
    finished_job,
    start_learning_server,
)

# "The integration course, how many hours is it?" in Farsi: the shipped model does not understand it as a
# question about language courses.
FARSI_QUESTION = "کورس ادغام چه ساعتی برگزار میشه"
FARSI_EMERGENCY = "کمک! شوهرم مرا می زند"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[LearningServer]:
    learning = start_learning_server(tmp_path_factory, data_dir, own_training_data=True)
    yield learning
    assert learning.server.process is not None
    stop_server(learning.server.process)


def test_a_model_worse_on_emergencies_is_refused(server: LearningServer) -> None:
    editor = server.client(Role.EDITOR)
    live_before = TrainingSet.read(server.nlu_data_dir)
    emergencies = live_before.file("fa").examples("emergency")
    try:
        moved = editor.post(
            "/admin/training/move",
            data={"language": "fa", "intent": "emergency", "new_intent": "out_of_scope", "text": emergencies},
        )
        assert moved.status_code == 303, moved.text
        assert editor.post("/admin/training/retrain", data={}).status_code == 303
        assert finished_job(editor)["state"] == "done"

        page = editor.get("/admin/training").text
        assert "kann nicht veröffentlicht werden" in page
        assert "Sprache fa: Es gäbe keine Notfall-Beispiele mehr." in page
        assert 'action="/admin/training/publish"' not in page
        refused = editor.post("/admin/training/publish", data={})
        assert refused.status_code == 409
        assert "bei Notfällen schlechter" in refused.text
        assert TrainingSet.read(server.nlu_data_dir) == live_before
        assert chat(server.url, FARSI_EMERGENCY)["intent"] == "emergency"
    finally:
        editor.post("/admin/training/discard", data={})
        editor.close()


def test_an_unanswered_farsi_question_is_understood_after_assigning_it_and_publishing(
    server: LearningServer, browser: Browser
) -> None:
    # Not understood, or answered with too little confidence: either way it is listed.
    assert chat(server.url, FARSI_QUESTION)["intent"] != "language_courses"
    page = new_page(browser, server.url)
    credentials = STAFF_ACCOUNTS[Role.EDITOR]
    sign_in_page(page, credentials.name, credentials.password)

    page.goto("/admin/unanswered")
    group = page.locator("section.question-group", has=page.get_by_role("heading", name=FARSI_QUESTION))
    expect(group).to_be_visible()
    group.get_by_label("Thema").select_option("language_courses")
    group.get_by_role("button", name="Als Beispielsätze zuordnen").click()
    expect(page.get_by_role("status")).to_contain_text("Entwurf der Trainingsdaten")
    expect(page.get_by_role("heading", name=FARSI_QUESTION)).to_have_count(0)

    page.goto("/admin/training?language=fa&intent=language_courses")
    expect(page.locator("#examples .example", has_text=FARSI_QUESTION)).to_contain_text("neu im Entwurf")
    page.get_by_role("button", name="Neu trainieren").click()
    expect(page.locator("#job-progress")).to_be_visible()
    # The page follows the job and shows the comparison when it is done.
    expect(page.locator("#retraining")).not_to_have_attribute(
        "data-job-state", "running", timeout=RETRAINING_TIMEOUT_SECONDS * 1000
    )
    farsi = page.locator("#comparison tr[data-language='fa'] td")
    expect(farsi).to_have_count(5)
    expect(farsi.nth(1)).to_have_text(re.compile(r"^\d+,\d %$"))
    expect(farsi.nth(2)).to_have_text(re.compile(r"^\d+,\d %$"))
    expect(page.locator("#verdict")).to_contain_text("darf veröffentlicht werden")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.get_by_role("status")).to_contain_text("veröffentlicht")
    page.context.close()

    assert FARSI_QUESTION in TrainingSet.read(server.nlu_data_dir).file("fa").examples("language_courses")
    deadline = time.monotonic() + PUBLISHED_TIMEOUT_SECONDS
    while chat(server.url, FARSI_QUESTION)["intent"] != "language_courses":
        assert time.monotonic() < deadline, "the published model did not answer the question"
        time.sleep(1)
