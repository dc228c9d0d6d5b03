"""Two workers, each with its own copy of the content (as on two machines), sharing one state store."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.staff.accounts import Role
from tests.conftest import start_server, stop_server, wegweiser_env
from tests.staff.conftest import STAFF_ACCOUNTS, StaffClient, StaffServer, staff_data_dir
from tests.staff_content.conftest import PICKED_UP_SECONDS, copy_content, eventually_answers, form_base

SETTINGS = {"WEGWEISER_STAFF_LOGIN_ATTEMPTS_PER_ADDRESS": "100000"}


@dataclass
class Worker:
    data_dir: Path
    content_dir: Path
    url: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        log = self.data_dir / f"serve-{self.content_dir.parent.name}.log"
        self.process, self.url = start_server(
            self.data_dir, log_to=log, WEGWEISER_CONTENT_DIR=str(self.content_dir), **SETTINGS
        )

    def stop(self) -> None:
        if self.process is not None:
            stop_server(self.process)
            self.process = None

    @contextmanager
    def editor(self) -> Iterator[StaffClient]:
        credentials = STAFF_ACCOUNTS[Role.EDITOR]
        client = StaffClient.signed_in(self.url, credentials.name, credentials.password)
        try:
            yield client
        finally:
            client.close()


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[tuple[Worker, Worker]]:
    shared = staff_data_dir(tmp_path_factory, data_dir)
    accounts = StaffServer("", wegweiser_env(shared, **SETTINGS))
    credentials = STAFF_ACCOUNTS[Role.EDITOR]
    accounts.create_account(credentials.name, Role.EDITOR, credentials.password)
    first = Worker(shared, copy_content(tmp_path_factory.mktemp("machine-a") / "content"))
    second = Worker(shared, copy_content(tmp_path_factory.mktemp("machine-b") / "content"))
    first.start()
    second.start()
    yield first, second
    first.stop()
    second.stop()


def publish(client: StaffClient, path: str, **fields: str) -> int:
    response = client.post(path, {"base": form_base(client, path), "do": "publish", **fields})
    assert response.status_code == 303, response.text
    found = re.search(r"published=(\d+)", response.headers["location"])
    assert found is not None
    return int(found.group(1))


def eventually_in_file(path: Path, text: str) -> bool:
    deadline = time.monotonic() + PICKED_UP_SECONDS
    while text not in path.read_text(encoding="utf-8"):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def test_a_change_published_on_one_worker_is_answered_by_the_other(workers: tuple[Worker, Worker]) -> None:
    first, second = workers
    text = "برای گرفتن وقت مشاوره با مرکز مشاوره تماس بگیرید."
    with first.editor() as editor:
        number = publish(editor, "/admin/content/answers/appointment?lang=fa", **{"answers.appointment.text": text})
    answer = eventually_answers(second.url, "fa", "/appointment", lambda answered: text in answered)
    assert text in answer
    assert eventually_in_file(second.content_dir / "translations" / "fa.yml", text)
    with second.editor() as editor:
        assert f'href="/admin/content/revisions/{number}"' in editor.get("/admin/content/revisions").text


def test_the_revision_history_survives_a_restart(workers: tuple[Worker, Worker]) -> None:
    first, _ = workers
    with first.editor() as editor:
        number = publish(editor, "/admin/content/offers/leisure?lang=ru", **{"offers.leisure.name": "Досуг"})
    first.stop()
    first.start()
    with first.editor() as editor:
        revision = editor.get(f"/admin/content/revisions/{number}")
        assert revision.status_code == 200
        assert "Досуг" in revision.text
