"""Two workers on one Redis, each with its own copy of the content and the training data: publishing on one
reaches the other within seconds, without a restart; what fails its check reaches nobody."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.redis_server import RedisServer
from tests.releases.conftest import SILENCE_SECONDS, Machine, Worker, edit, edited, eventually, model_copy, running

pytestmark = pytest.mark.redis

PRIVACY_BEFORE = "Ihre Nachrichten werden nur verwendet, um Ihre Fragen zu beantworten."
PRIVACY_AFTER = "Ihre Nachrichten dienen allein dazu, Ihre Fragen zu beantworten."
LEISURE = "- intent: leisure_activities\n  examples: |\n"
# A pastime the shipped training data does not know: before it is taught, the bot takes it for something else.
JUGGLING = "Kann man in Heringen irgendwo Diabolo jonglieren"


@pytest.fixture(scope="module")
def workers(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Worker]]:
    redis = RedisServer(tmp_path_factory.mktemp("redis"))
    redis.start()
    # One model directory, as workers on one host share a volume; content and training data are their own.
    shared = model_copy(data_dir, tmp_path_factory.mktemp("var"))
    machines = [
        Machine.copy(tmp_path_factory.mktemp(name), shared, WEGWEISER_REDIS_URL=redis.url)
        for name in ("first", "second")
    ]
    try:
        with running(machines) as started:
            yield started
    finally:
        redis.stop()


def test_a_german_answer_published_on_one_worker_is_given_by_the_other(workers: list[Worker]) -> None:
    first, second = workers
    edit(first.machine.content_dir / "answers.yml", PRIVACY_BEFORE, PRIVACY_AFTER)
    published = first.machine.publish()
    assert published.returncode == 0, published.stdout + published.stderr
    assert eventually(lambda: PRIVACY_AFTER in second.answer_text("/privacy"))


def test_a_content_change_that_fails_the_check_is_refused_and_reaches_no_worker(workers: list[Worker]) -> None:
    first, second = workers
    answers = second.machine.content_dir / "answers.yml"
    before = answers.read_text(encoding="utf-8"), second.answer_text("/privacy")
    with edited(first.machine.content_dir / "answers.yml", "    title: Datenschutz\n", "    titel: Datenschutz\n"):
        refused = first.machine.publish()
    assert refused.returncode == 1
    assert "answers.yml" in refused.stdout
    time.sleep(SILENCE_SECONDS)
    assert (answers.read_text(encoding="utf-8"), second.answer_text("/privacy")) == before


def test_training_data_that_fails_the_check_is_refused_and_reaches_no_worker(workers: list[Worker]) -> None:
    first, second = workers
    german = second.machine.nlu_data_dir / "de.yml"
    before = german.read_text(encoding="utf-8")
    with edited(first.machine.nlu_data_dir / "de.yml", LEISURE, f"{LEISURE}    {JUGGLING}\n"):
        refused = first.machine.publish()
    assert refused.returncode == 1
    assert "de.yml" in refused.stdout
    time.sleep(SILENCE_SECONDS)
    assert german.read_text(encoding="utf-8") == before


def test_a_training_example_published_on_one_worker_is_understood_by_the_other(workers: list[Worker]) -> None:
    first, second = workers
    assert second.chat(text=JUGGLING)["intent"] != "leisure_activities"
    edit(first.machine.nlu_data_dir / "de.yml", LEISURE, f"{LEISURE}    - {JUGGLING}\n")
    published = first.machine.publish()
    assert published.returncode == 0, published.stdout + published.stderr
    assert eventually(lambda: second.chat(text=JUGGLING)["intent"] == "leisure_activities")
