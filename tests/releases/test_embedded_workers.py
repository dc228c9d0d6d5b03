"""Workers on one data directory (the embedded store), each with its own copy of the content."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.releases.conftest import Machine, Worker, edit, eventually, model_copy, running

ANSWER_BEFORE = "Ihr Gespräch wird nach\n      einiger Zeit automatisch gelöscht."
ANSWER_AFTER = "Ihr Gespräch wird nach\n      einer Weile von selbst gelöscht."
SHOWN_AFTER = "Ihr Gespräch wird nach einer Weile von selbst gelöscht."


@dataclass(frozen=True)
class Published:
    """Two workers, the first of which just published a changed answer."""

    workers: list[Worker]
    data_dir: Path


@pytest.fixture(scope="module")
def published(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    shared = model_copy(data_dir, tmp_path_factory.mktemp("var"))
    machines = [Machine.copy(tmp_path_factory.mktemp(name), shared) for name in ("first", "second")]
    with running(machines) as workers:
        edit(machines[0].content_dir / "answers.yml", ANSWER_BEFORE, ANSWER_AFTER)
        outcome = machines[0].publish()
        assert outcome.returncode == 0, outcome.stdout + outcome.stderr
        yield Published(workers, shared)


def test_a_worker_on_the_same_data_directory_takes_in_the_published_answer(published: Published) -> None:
    other = published.workers[1]
    assert eventually(lambda: SHOWN_AFTER in other.answer_text("/privacy"))


def test_a_worker_that_starts_after_the_publish_takes_in_the_published_answer(
    published: Published, tmp_path: Path
) -> None:
    with running([Machine.copy(tmp_path, published.data_dir)]) as (latecomer,):
        assert eventually(lambda: SHOWN_AFTER in latecomer.answer_text("/privacy"))
