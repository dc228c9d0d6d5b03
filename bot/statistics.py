"""Usage statistics for the staff dashboard: how many messages, in which languages and channels, about what.

At the end of every turn the dialogue hands the turn to :meth:`Statistics.record`, which appends one small
event (channel, language, intent, whether it fell back) to the queue of the day, in the county's time
zone. Nothing in it names or links to a person, and appending to a queue is atomic in both stores, so every
worker counts into the same day without locks. Reading adds the events up; a day that lies two days back or
more is added up once into a :class:`DaySummary` kept in its place, so the store holds one small value per
day after that.

Store layout, namespace ``statistics``::

    events:{YYYY-MM-DD}   queue of events of the day (JSON lists)
    day:{YYYY-MM-DD}      the summary of a finished day (JSON)

Both expire after :data:`RETENTION_SECONDS`.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.messages import Outcome
from bot.store import StateStore
from nlu import FALLBACK_INTENT

if TYPE_CHECKING:
    from bot.dialogue import Understanding

NAMESPACE = "statistics"
RETENTION_SECONDS = 400 * 24 * 3600.0
"""A year and a bit, so that a month can be compared with the same month of the year before."""
_LOCK_SECONDS = 30.0
# Events of today and yesterday stay raw: a worker may still be appending to yesterday's queue at midnight.
_RAW_DAYS = 2


@dataclass(frozen=True)
class DaySummary:
    """The counts of one day."""

    day: date
    messages: int = 0
    fallbacks: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    channels: Counter[str] = field(default_factory=Counter)
    intents: Counter[str] = field(default_factory=Counter)

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "day": self.day.isoformat(),
                "messages": self.messages,
                "fallbacks": self.fallbacks,
                "languages": dict(self.languages),
                "channels": dict(self.channels),
                "intents": dict(self.intents),
            }
        ).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> DaySummary:
        fields = json.loads(raw)
        return cls(
            date.fromisoformat(fields["day"]),
            int(fields["messages"]),
            int(fields["fallbacks"]),
            Counter(fields["languages"]),
            Counter(fields["channels"]),
            Counter(fields["intents"]),
        )

    @classmethod
    def of_events(cls, day: date, events: list[bytes]) -> DaySummary:
        languages: Counter[str] = Counter()
        channels: Counter[str] = Counter()
        intents: Counter[str] = Counter()
        fallbacks = 0
        for raw in events:
            channel, language, intent, fell_back = json.loads(raw)
            channels[channel] += 1
            languages[language] += 1
            if intent:
                intents[intent] += 1
            fallbacks += bool(fell_back)
        return cls(day, len(events), fallbacks, languages, channels, intents)


class Statistics:
    """Counts of every worker's turns, by day in ``zone`` (the county's time zone)."""

    def __init__(self, store: StateStore, zone: tzinfo, retention_seconds: float = RETENTION_SECONDS) -> None:
        self._store = store
        self.zone = zone
        self._retention_seconds = retention_seconds

    def today(self) -> date:
        return datetime.now(self.zone).date()

    async def record(self, channel: str, understanding: Understanding, outcome: Outcome) -> None:
        """Count one finished turn."""
        day = datetime.fromtimestamp(time.time(), self.zone).date()
        event = [channel, outcome.language, outcome.intent, outcome.intent == FALLBACK_INTENT]
        await self._store.push(NAMESPACE, _events_key(day), json.dumps(event).encode(), self._retention_seconds)

    async def days(self, first: date, last: date) -> list[DaySummary]:
        """One summary per day from ``first`` to ``last``, both included (days without messages count zero)."""
        today = self.today()
        summaries = []
        day = first
        while day <= last:
            if (today - day).days >= _RAW_DAYS:
                summaries.append(await self._finished_day(day))
            else:
                summaries.append(DaySummary.of_events(day, await self._store.range(NAMESPACE, _events_key(day))))
            day += timedelta(days=1)
        return summaries

    async def _finished_day(self, day: date) -> DaySummary:
        """The day's summary, made from its events (which are then dropped) the first time it is asked for."""
        stored = await self._store.get(NAMESPACE, _day_key(day))
        if stored is not None:
            return DaySummary.from_bytes(stored)
        if not await self._store.length(NAMESPACE, _events_key(day)):
            return DaySummary(day)
        async with self._store.lock(NAMESPACE, _day_key(day), _LOCK_SECONDS):
            stored = await self._store.get(NAMESPACE, _day_key(day))
            if stored is not None:
                return DaySummary.from_bytes(stored)
            summary = DaySummary.of_events(day, await self._store.range(NAMESPACE, _events_key(day)))
            if summary.messages:
                await self._store.put(NAMESPACE, _day_key(day), summary.to_bytes(), self._retention_seconds)
                await self._store.delete(NAMESPACE, _events_key(day))
            return summary


def _events_key(day: date) -> str:
    return f"events:{day.isoformat()}"


def _day_key(day: date) -> str:
    return f"day:{day.isoformat()}"


def county_statistics(store: StateStore, settings: Settings) -> Statistics:
    """The statistics with days in the county's time zone (the one its office hours are given in)."""
    return Statistics(store, ZoneInfo(settings.handover_timezone))
