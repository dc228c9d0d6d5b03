"""A ``wegweiser serve`` whose content store is a copy in a temporary directory, for the content editor's tests.

The repository's ``content/data`` is never written: every server here gets
``WEGWEISER_CONTENT_DIR`` pointing to its own copy. In the copy the English
translation of ``answers.goodbye.text`` is missing, so there is something to
draft by machine; the server's translation home holds a tiny German → English
Argos package built at test time (see tests/translation/conftest.py), when
argostranslate is installed.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from bot.releases import Snapshot
from bot.staff.accounts import Role
from tests.conftest import PROJECT_ROOT, stop_server
from tests.staff.conftest import (
    STAFF_ACCOUNTS,
    StaffClient,
    StaffServer,
    browser,
    new_page,
    sign_in_page,
    start_staff_server,
)

__all__ = ["browser"]

SOURCE_CONTENT = PROJECT_ROOT / "content" / "data"
MISSING_ENGLISH_KEY = "answers.goodbye.text"
# Every worker takes in a published change within seconds; a busy two-core machine gets some slack.
PICKED_UP_SECONDS = 60.0
_BASE_FIELD = re.compile(r'<input type="hidden" name="base" value="([^"]*)">')


@dataclass(frozen=True)
class ContentServer:
    staff: StaffServer
    content_dir: Path
    drafts_by_machine: bool

    @property
    def url(self) -> str:
        return self.staff.url


def copy_content(directory: Path) -> Path:
    """A copy of the repository's content store in ``directory``, with one English translation taken out."""
    shutil.copytree(SOURCE_CONTENT, directory)
    english = directory / "translations" / "en.yml"
    lines = english.read_text(encoding="utf-8").splitlines()
    found = [index for index, line in enumerate(lines) if line.startswith(f"{MISSING_ENGLISH_KEY}:")]
    assert len(found) == 1, f"{MISSING_ENGLISH_KEY} is not a one-line entry in en.yml"
    lines[found[0]] = f'{MISSING_ENGLISH_KEY}: ""'
    english.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def install_german_to_english(home: Path, build: Path) -> bool:
    """Install a German → English package into the translation home ``home``; False without argostranslate."""
    try:
        from bot.translation_cli import install_package_file
        from tests.translation.conftest import build_package
    except ImportError:
        return False
    install_package_file(build_package(build, "de", "en"), home)
    return True


@pytest.fixture(scope="session")
def content_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[ContentServer]:
    content_dir = copy_content(tmp_path_factory.mktemp("content-copy") / "content")
    home = tmp_path_factory.mktemp("translation")
    drafts = install_german_to_english(home, tmp_path_factory.mktemp("argos-build"))
    server = start_staff_server(
        tmp_path_factory,
        data_dir,
        WEGWEISER_CONTENT_DIR=str(content_dir),
        WEGWEISER_TRANSLATION_DIR=str(home),
        WEGWEISER_STAFF_LOGIN_ATTEMPTS_PER_ADDRESS="100000",
    )
    yield ContentServer(server, content_dir, drafts)
    assert server.process is not None
    stop_server(server.process)


@pytest.fixture
def signed_in(content_server: ContentServer) -> Iterator[Callable[[Role], StaffClient]]:
    """``signed_in(Role.EDITOR)``: an httpx client of the content server with that role's session."""
    clients: list[StaffClient] = []

    def sign_in(role: Role) -> StaffClient:
        credentials = STAFF_ACCOUNTS[role]
        client = StaffClient.signed_in(content_server.url, credentials.name, credentials.password)
        clients.append(client)
        return client

    yield sign_in
    for client in clients:
        client.close()


@pytest.fixture
def editor(signed_in: Callable[[Role], StaffClient]) -> StaffClient:
    return signed_in(Role.EDITOR)


@pytest.fixture
def editor_page(browser: Browser, content_server: ContentServer) -> Iterator[Page]:
    """Headless Chromium, signed in as the editor through the sign-in form."""
    page = new_page(browser, content_server.url)
    credentials = STAFF_ACCOUNTS[Role.EDITOR]
    sign_in_page(page, credentials.name, credentials.password)
    yield page
    page.context.close()


def form_base(client: StaffClient, path: str) -> str:
    """The fingerprint the form at ``path`` carries (what the editor saw)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = _BASE_FIELD.search(page.text)
    assert found is not None, f"{path} has no form fingerprint"
    return found.group(1)


def files_of(directory: Path) -> dict[str, bytes]:
    return Snapshot.read(directory).files


def chat_answer(url: str, language: str, payload: str) -> str:
    """The text of the bot's answer to ``payload`` in a new web chat session that chose ``language``."""
    session = f"content-test-{uuid.uuid4().hex[:12]}"
    chosen = httpx.post(
        f"{url}/api/chat",
        json={"session": session, "payload": f'/change_language{{"language": "{language}"}}'},
        timeout=60,
    )
    assert chosen.status_code == 200, chosen.text
    response = httpx.post(f"{url}/api/chat", json={"session": session, "payload": payload}, timeout=60)
    assert response.status_code == 200, response.text
    return "\n".join(reply["text"] for reply in response.json()["replies"])


def eventually_answers(url: str, language: str, payload: str, wanted: Callable[[str], bool]) -> str:
    """The answer once ``wanted`` holds for it; fails with the last answer when it does not within the limit."""
    deadline = time.monotonic() + PICKED_UP_SECONDS
    while True:
        answer = chat_answer(url, language, payload)
        if wanted(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)
