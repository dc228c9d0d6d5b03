"""``/admin/dashboard``: how the assistant is used, for every staff member, as charts and tables.

Messages per day, per language and per channel, the most frequent intents and the fallback rate come from
:mod:`bot.statistics` (counts of every worker, no personal data); handovers and their waiting times from the
handover tickets (kept for the transcript retention, so the chart reaches back no further than that).
"""

from __future__ import annotations

import statistics as stats
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from actions.content_access import content_source
from bot.assembly import Assistant
from bot.handover.tickets import Status, Ticket
from bot.staff.charts import BarChart, ColumnChart, bar_chart, column_chart, count, minutes, percent
from bot.staff.guard import requires
from bot.staff.pages import render
from bot.statistics import DaySummary, county_statistics

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
TOP_INTENTS = 10
_SECONDS_PER_MINUTE = 60.0


def routes() -> list[BaseRoute]:
    return [Route("/dashboard", dashboard_page, methods=["GET"])]


@dataclass(frozen=True)
class Figure:
    label: str
    value: str


@dataclass(frozen=True)
class Waits:
    """Handovers of the period: how many, and how long people waited for a counsellor."""

    total: int
    waiting: int
    median_minutes: float | None
    p90_minutes: float | None
    longest_waiting_minutes: float | None


def _assistant(request: Request) -> Assistant:
    return request.app.state.assistant


@dataclass(frozen=True)
class ShownChart:
    """A chart and the same numbers as a table (its first column headed ``heading``)."""

    chart: ColumnChart | BarChart
    heading: str
    rows: list[tuple[str, str]]


@requires()
async def dashboard_page(request: Request) -> Response:
    assistant = _assistant(request)
    try:
        period = int(request.query_params.get("days", DEFAULT_PERIOD))
    except ValueError:
        period = DEFAULT_PERIOD
    period = period if period in PERIODS else DEFAULT_PERIOD
    statistics = county_statistics(assistant.store, assistant.settings)
    last = statistics.today()
    first = last - timedelta(days=period - 1)
    days = await statistics.days(first, last)
    zone = statistics.zone
    tickets = [
        ticket for ticket in await assistant.handover.tickets.all() if first <= _day(ticket.created, zone) <= last
    ]
    messages = sum(day.messages for day in days)
    fallbacks = sum(day.fallbacks for day in days)
    waits = _waits(tickets, time.time())
    figures = [
        Figure("Nachrichten", count(messages)),
        Figure("Nicht verstanden", percent(fallbacks / messages) if messages else "–"),
        Figure("Übergaben", count(waits.total)),
        Figure("Wartezeit (Median)", _minutes_or_dash(waits.median_minutes)),
        Figure("Wartezeit (90 %)", _minutes_or_dash(waits.p90_minutes)),
        Figure("Warten jetzt", count(waits.waiting)),
        Figure("Wartet am längsten", _minutes_or_dash(waits.longest_waiting_minutes)),
    ]
    return render(
        request,
        "dashboard.html",
        {
            "period": period,
            "periods": PERIODS,
            "first": first,
            "last": last,
            "figures": figures,
            "usage": _usage_charts(period, days, _language_names(assistant)),
            "handovers": _handover_charts(days, tickets, zone),
        },
    )


def _usage_charts(period: int, days: list[DaySummary], languages: dict[str, str]) -> list[ShownChart]:
    totals = DaySummary(days[-1].day)
    for day in days:
        totals.languages.update(day.languages)
        totals.channels.update(day.channels)
        totals.intents.update(day.intents)
    by_language = [(languages.get(code, code), value) for code, value in totals.languages.most_common()]
    by_channel = [(_channel(name), value) for name, value in totals.channels.most_common()]
    top_intents = totals.intents.most_common(TOP_INTENTS)
    fallback_rates = [(day, day.fallbacks / day.messages if day.messages else 0.0) for day in days]
    return [
        ShownChart(
            column_chart(
                "messages-per-day",
                "Nachrichten pro Tag",
                f"Säulendiagramm: eingegangene Nachrichten an jedem der letzten {period} Tage.",
                [(_short(day.day), day.messages) for day in days],
            ),
            "Tag",
            [(_long(day.day), count(day.messages)) for day in days],
        ),
        ShownChart(
            bar_chart(
                "messages-per-language",
                "Nachrichten nach Sprache",
                "Balkendiagramm: Nachrichten je Sprache des Gesprächs im Zeitraum, die häufigste zuerst.",
                by_language,
            ),
            "Sprache",
            [(label, count(value)) for label, value in by_language],
        ),
        ShownChart(
            bar_chart(
                "messages-per-channel",
                "Nachrichten nach Kanal",
                "Balkendiagramm: Nachrichten je Kanal (Web-Chat, Telegram, WhatsApp) im Zeitraum.",
                by_channel,
            ),
            "Kanal",
            [(label, count(value)) for label, value in by_channel],
        ),
        ShownChart(
            bar_chart(
                "top-intents",
                f"Die {TOP_INTENTS} häufigsten Themen",
                "Balkendiagramm: wie oft jedes Thema (Intent) erkannt wurde, das häufigste zuerst.",
                top_intents,
            ),
            "Thema",
            [(intent, count(value)) for intent, value in top_intents],
        ),
        ShownChart(
            column_chart(
                "fallback-rate",
                "Nicht verstanden (Anteil pro Tag)",
                "Säulendiagramm: Anteil der Nachrichten, die der Bot nicht verstanden hat, an jedem Tag.",
                [(_short(day.day), rate) for day, rate in fallback_rates],
                percent,
            ),
            "Tag",
            [
                (_long(day.day), f"{percent(rate)} ({day.fallbacks} von {day.messages})" if day.messages else "–")
                for day, rate in fallback_rates
            ],
        ),
    ]


def _handover_charts(days: list[DaySummary], tickets: list[Ticket], zone: tzinfo) -> list[ShownChart]:
    by_day = Counter(_day(ticket.created, zone) for ticket in tickets)
    waits = _median_wait_by_day(tickets, zone)
    return [
        ShownChart(
            column_chart(
                "handovers-per-day",
                "Übergaben an die Beratung pro Tag",
                "Säulendiagramm: wie viele Gespräche an jedem Tag an die Beratung übergeben wurden.",
                [(_short(day.day), by_day[day.day]) for day in days],
            ),
            "Tag",
            [(_long(day.day), count(by_day[day.day])) for day in days],
        ),
        ShownChart(
            column_chart(
                "handover-wait",
                "Wartezeit bis zur Übernahme (Median pro Tag)",
                "Säulendiagramm: Median der Wartezeit vom Eingang einer Übergabe, bis jemand aus der Beratung "
                "sie übernimmt, nach Tag des Eingangs.",
                [(_short(day.day), waits.get(day.day, 0.0)) for day in days],
                minutes,
            ),
            "Tag",
            [(_long(day.day), _minutes_or_dash(waits.get(day.day))) for day in days],
        ),
    ]


def _minutes_or_dash(value: float | None) -> str:
    return minutes(value) if value is not None else "–"


def _waits(tickets: list[Ticket], now: float) -> Waits:
    waited = sorted(
        (ticket.claimed - ticket.created) / _SECONDS_PER_MINUTE for ticket in tickets if ticket.claimed is not None
    )
    waiting = [(now - ticket.created) / _SECONDS_PER_MINUTE for ticket in tickets if ticket.status is Status.OPEN]
    return Waits(
        total=len(tickets),
        waiting=len(waiting),
        median_minutes=stats.median(waited) if waited else None,
        p90_minutes=waited[min(len(waited) - 1, int(0.9 * len(waited)))] if waited else None,
        longest_waiting_minutes=max(waiting, default=None),
    )


def _median_wait_by_day(tickets: list[Ticket], zone: tzinfo) -> dict[date, float]:
    by_day: dict[date, list[float]] = {}
    for ticket in tickets:
        if ticket.claimed is not None:
            by_day.setdefault(_day(ticket.created, zone), []).append(
                (ticket.claimed - ticket.created) / _SECONDS_PER_MINUTE
            )
    return {day: stats.median(waits) for day, waits in by_day.items()}


def _day(timestamp: float, zone: tzinfo) -> date:
    return datetime.fromtimestamp(timestamp, zone).date()


def _short(day: date) -> str:
    return day.strftime("%d.%m.")


def _long(day: date) -> str:
    return day.strftime("%d.%m.%Y")


_CHANNELS = {"web": "Web-Chat", "telegram": "Telegram", "whatsapp": "WhatsApp", "terminal": "Terminal"}


def _channel(name: str) -> str:
    return _CHANNELS.get(name, name)


def _language_names(assistant: Assistant) -> dict[str, str]:
    """Language names as the content store has them now (staff may have published since the start)."""
    catalogue = content_source(assistant.settings.content_dir).content().source
    return {code: language.name for code, language in catalogue.languages.items()}
