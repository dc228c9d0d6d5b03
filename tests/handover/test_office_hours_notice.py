"""Outside the configured hours a person asking for a counsellor is told when counsellors are back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.handover.hours import WEEKDAYS
from tests.conftest import ChatProcess
from tests.dialogue.helpers import catalogue, shown

# Two days from now counsellors are in for one hour: now is always outside, whatever the time.
REOPENING_DAY = WEEKDAYS[(datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=2)).weekday()]


@pytest.fixture(scope="module")
def chat(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatProcess]:
    directory = tmp_path_factory.mktemp("hours-var")
    (directory / "models").symlink_to(data_dir / "models", target_is_directory=True)
    process = ChatProcess(directory, WEGWEISER_HANDOVER_HOURS=f"{REOPENING_DAY} 10:00-11:00")
    yield process
    process.close()


def test_outside_the_hours_the_person_learns_when_counsellors_are_back(chat: ChatProcess) -> None:
    chat.press("closed-1", '/change_language{"language": "uk"}')
    answer = chat.press("closed-1", "/human_handover")
    messages = catalogue("uk").messages
    expected = messages.handover_closed.replace("{weekday}", getattr(messages.weekdays, REOPENING_DAY))
    assert expected.replace("{time}", "10:00") in shown(answer)
    assert answer["handover"] is True


def test_the_emergency_numbers_are_given_while_waiting(chat: ChatProcess) -> None:
    answer = chat.press("closed-2", "/human_handover")
    assert "112" in shown(answer)
