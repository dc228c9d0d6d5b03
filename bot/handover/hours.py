"""When counsellors answer: the configured weekly hours, and the next time they are back.

The county's page names no hours, so none are assumed: without a configuration
the person is only told that an answer can take time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Span:
    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Reopening:
    """When counsellors are back: a weekday key of the content's ``weekdays`` and a time of day."""

    weekday: str
    time: str


@dataclass(frozen=True)
class OfficeHours:
    spans: tuple[Span, ...]
    zone: ZoneInfo

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        return any(
            span.weekday == local.weekday() and span.start <= local.time() < span.end for span in self.spans
        )

    def next_opening(self, moment: datetime) -> Reopening | None:
        """The next start of a span after ``moment`` (within a week), or None without spans."""
        local = moment.astimezone(self.zone)
        for days in range(8):
            day = local + timedelta(days=days)
            starts = sorted(span.start for span in self.spans if span.weekday == day.weekday())
            for start in starts:
                if days > 0 or start > local.time():
                    return Reopening(WEEKDAYS[day.weekday()], start.strftime("%H:%M"))
        return None


def parse_hours(text: str, zone: str) -> OfficeHours:
    """``"mon-thu 08:00-16:00, fri 08:00-12:00"`` in the time zone ``zone``; ValueError explains a mistake."""
    spans: list[Span] = []
    for part in filter(None, (piece.strip() for piece in text.lower().split(","))):
        match = _SPAN.match(part)
        if match is None:
            raise ValueError(f"cannot read {part!r}; write for example 'mon-fri 08:00-16:00'")
        first, last, start_hour, start_minute, end_hour, end_minute = match.groups()
        if first not in WEEKDAYS or (last or first) not in WEEKDAYS:
            raise ValueError(f"unknown weekday in {part!r}; use {', '.join(WEEKDAYS)}")
        try:
            start, end = time(int(start_hour), int(start_minute)), time(int(end_hour), int(end_minute))
        except ValueError:
            raise ValueError(f"impossible time in {part!r}") from None
        if not start < end:
            raise ValueError(f"the end comes before the start in {part!r}")
        from_day, to_day = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        if to_day < from_day:
            raise ValueError(f"the weekdays run backwards in {part!r}")
        spans.extend(Span(day, start, end) for day in range(from_day, to_day + 1))
    if not spans:
        raise ValueError("no hours given")
    return OfficeHours(tuple(spans), ZoneInfo(zone))
