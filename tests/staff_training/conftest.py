"""Servers and helpers for the tests of training examples, unanswered questions and the dashboard.

``start_learning_server`` starts ``wegweiser serve`` with its own state store, one account per role (the
accounts of ``tests/staff/conftest.py``) and, when asked, its own copy of the NLU training data
(``WEGWEISER_NLU_DATA_DIR``), because publishing writes to it. The trained model of the session is shared.
"""

from __future__ import annotations

import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.staff.accounts import Role
from tests.browser.conftest import browser
from tests.conftest import PROJECT_ROOT
from tests.staff.conftest import STAFF_ACCOUNTS, StaffClient, StaffServer, start_staff_server

__all__ = ["browser"]

# Retraining evaluates the old and the new data and trains the new model: minutes on a loaded two-core machine.
RETRAINING_TIMEOUT_SECONDS = 1800.0
# A published model reaches every worker within seconds; loading it may take a little longer on a busy machine.
PUBLISHED_TIMEOUT_SECONDS = 120.0


@dataclass
class LearningServer:
    server: StaffServer
    nlu_data_dir: Path

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, role: Role) -> StaffClient:
        credentials = STAFF_ACCOUNTS[role]
        return StaffClient.signed_in(self.url, credentials.name, credentials.password)


def start_learning_server(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, own_training_data: bool
) -> LearningServer:
    nlu_data_dir = PROJECT_ROOT / "nlu" / "data"
    settings = {"WEGWEISER_STAFF_LOGIN_ATTEMPTS_PER_ADDRESS": "100000"}
    if own_training_data:
        root = tmp_path_factory.mktemp("training-data")
        nlu_data_dir = root / "nlu" / "data"
        shutil.copytree(PROJECT_ROOT / "nlu" / "data", nlu_data_dir)
        shutil.copy(PROJECT_ROOT / "nlu" / "config.yml", root / "nlu" / "config.yml")
        settings["WEGWEISER_NLU_DATA_DIR"] = str(nlu_data_dir)
    return LearningServer(start_staff_server(tmp_path_factory, data_dir, **settings), nlu_data_dir)


def chat(url: str, text: str, session: str | None = None) -> dict[str, Any]:
    """Send ``text`` to the web chat API as a newcomer would; the reply as JSON."""
    response = httpx.post(
        f"{url}/api/chat", json={"session": session or uuid.uuid4().hex, "text": text}, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()


def finished_job(client: StaffClient) -> dict[str, Any]:
    """Wait until the retraining job has ended; its status as the page's script sees it."""
    deadline = time.monotonic() + RETRAINING_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        status = client.get("/admin/training/job", headers={"accept": "application/json"}).json()
        if status["state"] != "running":
            return status
        time.sleep(2)
    raise AssertionError("the retraining did not end")
