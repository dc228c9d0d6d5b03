"""Office hours of the counsellors: reading the setting and telling when they are back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.handover.hours import Reopening, parse_hours

BERLIN = ZoneInfo("Europe/Berlin")
HOURS = parse_hours("mon-thu 08:00-16:00, fri 08:00-12:00", "Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 in Berlin; 23 November 2026 is a Monday."""
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=BERLIN)


def test_counsellors_answer_within_the_hours() -> None:
    assert HOURS.is_open(at(0, 9))


def test_the_end_of_a_span_is_already_closed() -> None:
    assert not HOURS.is_open(at(4, 12))


def test_before_opening_they_are_back_the_same_morning() -> None:
    assert HOURS.next_opening(at(1, 6, 30)) == Reopening("tue", "08:00")


def test_on_friday_afternoon_they_are_back_on_monday() -> None:
    assert HOURS.next_opening(at(4, 15)) == Reopening("mon", "08:00")


def test_hours_are_read_in_the_configured_zone() -> None:
    utc_morning = datetime(2026, 11, 23, 7, 30, tzinfo=ZoneInfo("UTC"))
    assert HOURS.is_open(utc_morning)


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("monday 08:00-16:00", "cannot read"),
        ("mon-frx 08:00-16:00", "unknown weekday"),
        ("mon 25:00-26:00", "impossible time"),
        ("mon 16:00-08:00", "end comes before the start"),
        ("fri-mon 08:00-16:00", "backwards"),
        (" , ", "no hours"),
    ],
)
def test_a_wrong_setting_is_explained(setting: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_hours(setting, "Europe/Berlin")
