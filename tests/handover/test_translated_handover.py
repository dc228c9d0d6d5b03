"""Each side reads the other in its own language: machine translation in the inbox and in the reply.

The server has tiny argos packages installed that the tests build themselves
(tests/translation/conftest.py): their models answer with one signature word,
which shows that a text went through the real loading and translating path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.staff.accounts import Role
from bot.translation_cli import install_package_file
from tests.conftest import stop_server
from tests.dialogue.helpers import catalogue
from tests.handover.test_counsellor_inbox import submit
from tests.staff.conftest import STAFF_ACCOUNTS, StaffClient, StaffServer, start_staff_server
from tests.translation.conftest import SIGNATURE_WORDS, build_package

REPLY = "Guten Tag, ich helfe Ihnen gern."
# Direct from Farsi to German; back from German to Farsi only through English.
PAIRS = [("fa", "de"), ("de", "en"), ("en", "fa")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[StaffServer]:
    home = tmp_path_factory.mktemp("translation")
    packages = tmp_path_factory.mktemp("argosmodels")
    for pair in PAIRS:
        install_package_file(build_package(packages, *pair), home)
    served = start_staff_server(tmp_path_factory, data_dir, WEGWEISER_TRANSLATION_DIR=str(home))
    yield served
    assert served.process is not None
    stop_server(served.process)


def chat(server: StaffServer, session: str, **message: str) -> dict:
    response = httpx.post(f"{server.url}/api/chat", json={"session": session, **message}, timeout=30)
    assert response.status_code == 200
    return response.json()


def farsi_ticket(server: StaffServer, session: str) -> tuple[StaffClient, str]:
    """A Farsi web chat user asks for a person; a counsellor signs in and claims the new ticket."""
    chat(server, session, payload='/change_language{"language": "fa"}')
    chat(server, session, text="کلاس زبان کجاست؟")
    assert chat(server, session, payload="/human_handover")["handover"] is True
    credentials = STAFF_ACCOUNTS[Role.COUNSELLOR]
    counsellor = StaffClient.signed_in(server.url, credentials.name, credentials.password)
    found = re.search(r"/admin/inbox/([0-9a-f]{16})", counsellor.get("/admin/inbox").text)
    assert found is not None
    submit(counsellor, f"/admin/inbox/{found.group(1)}/claim")
    return counsellor, found.group(1)


def test_the_counsellor_reads_the_german_translation_beside_the_original(server: StaffServer) -> None:
    counsellor, ticket = farsi_ticket(server, "translated-1")
    page = re.sub(r"\s+", " ", counsellor.get(f"/admin/inbox/{ticket}").text)
    assert "کلاس زبان کجاست؟" in page
    assert f"Maschinelle Übersetzung:</span> {SIGNATURE_WORDS[('fa', 'de')]}" in page


def test_the_person_receives_the_translation_with_the_german_original_below(server: StaffServer) -> None:
    counsellor, ticket = farsi_ticket(server, "translated-2")
    submit(counsellor, f"/admin/inbox/{ticket}/reply", {"text": REPLY})
    updates = httpx.get(f"{server.url}/api/chat/updates", params={"session": "translated-2", "seen": "0"}).json()
    text = updates["replies"][0]["text"]
    label = catalogue("fa").messages.counsellor_original
    translated, _, original = text.partition(f"\n\n{label}:\n")
    assert SIGNATURE_WORDS[("en", "fa")] in translated
    assert original.replace("\u2066", "").replace("\u2069", "") == REPLY
