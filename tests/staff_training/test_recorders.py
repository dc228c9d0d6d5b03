"""What the dialogue's recorders keep of a finished turn: counts for the dashboard, unanswered questions without
the person, and how unanswered questions are grouped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dialogue import Understanding
from bot.messages import Outcome
from bot.staff.question_groups import group_questions
from bot.statistics import Statistics
from bot.store import EmbeddedStore
from bot.unanswered import NAMESPACE, Reason, UnansweredMessage, UnansweredQuestions

USER = "telegram:4711"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path / "state.sqlite3")
    yield opened
    await opened.close()


def turn(
    intent: str, text: str, confidence: float, language: str = "fa", handover: bool = False
) -> tuple[Understanding, Outcome]:
    """A finished turn as the dialogue hands it to its recorders."""
    ranking = [{"name": intent, "confidence": confidence}, {"name": "greet", "confidence": 0.05}]
    understanding = Understanding(intent, ranking=ranking, text=text, language=language, language_confidence=0.9)
    return understanding, Outcome(USER, language, intent, (), handover)


async def test_a_question_the_bot_fell_back_on_is_kept_without_the_person(store: EmbeddedStore) -> None:
    questions = UnansweredQuestions(store)
    await questions.record("telegram", *turn("nlu_fallback", "دوره ادغام ساعتش چند است", 0.45))

    (kept,) = await questions.newest()
    assert (kept.text, kept.language, kept.reason) == ("دوره ادغام ساعتش چند است", "fa", Reason.FALLBACK)
    stored = [await store.get(NAMESPACE, key) for key in await store.keys(NAMESPACE)]
    assert all(b"4711" not in value and b"telegram" not in value for value in stored if value is not None)


async def test_an_answer_the_nlu_was_unsure_of_is_kept_as_unsure(store: EmbeddedStore) -> None:
    questions = UnansweredQuestions(store)
    await questions.record("web", *turn("opening_hours", "wann kann ich kommen", 0.5, language="de"))

    (kept,) = await questions.newest()
    assert (kept.reason, kept.guess, kept.confidence) == (Reason.UNSURE, "opening_hours", 0.5)


@pytest.mark.parametrize(
    ("intent", "confidence", "handover"),
    [("opening_hours", 0.9, False), ("emergency", 0.3, False), ("nlu_fallback", 0.45, True)],
    ids=["confident answer", "emergency", "during a handover"],
)
async def test_answered_emergency_and_counsellor_messages_are_not_kept(
    store: EmbeddedStore, intent: str, confidence: float, handover: bool
) -> None:
    questions = UnansweredQuestions(store)
    await questions.record("web", *turn(intent, "eine Nachricht", confidence, handover=handover))

    assert await questions.newest() == []


async def test_statistics_of_several_workers_add_up_by_language_channel_and_intent(store: EmbeddedStore) -> None:
    first, second = Statistics(store, BERLIN), Statistics(store, BERLIN)
    await first.record("web", *turn("greet", "سلام", 0.9))
    await second.record("telegram", *turn("nlu_fallback", "xyz", 0.45, language="de"))
    await second.record("web", *turn("greet", "Hallo", 0.95, language="de"))

    today = first.today()
    (day,) = await first.days(today, today)
    assert (day.messages, day.fallbacks) == (3, 1)
    assert day.languages == {"fa": 1, "de": 2}
    assert day.channels == {"web": 2, "telegram": 1}
    assert day.intents == {"greet": 2, "nlu_fallback": 1}


async def test_every_day_of_a_period_is_reported_also_without_messages(store: EmbeddedStore) -> None:
    statistics = Statistics(store, BERLIN)
    today = statistics.today()
    days = await statistics.days(today - timedelta(days=6), today)
    assert [day.day for day in days] == [today - timedelta(days=ago) for ago in range(6, -1, -1)]
    assert all(day.messages == 0 for day in days)


def test_questions_asking_the_same_are_grouped_per_language() -> None:
    texts = [
        ("fa", "دوره ادغام ساعتش چند است"),
        ("fa", "دوره ادغام چند ساعت است؟"),
        ("fa", "کجا میتوانم دوچرخه بخرم"),
        ("de", "Wann beginnt der Integrationskurs?"),
        ("de", "wann beginnt der integrationskurs"),
        ("de", "Wo kann ich ein Fahrrad kaufen"),
    ]
    messages = [
        UnansweredMessage(str(index), text, language, float(index), Reason.FALLBACK, None, 0.4)
        for index, (language, text) in enumerate(texts)
    ]

    grouped = group_questions(messages)
    groups = {(group.language, frozenset(message.text for message in group.messages)) for group in grouped}
    assert groups == {
        ("fa", frozenset({"دوره ادغام ساعتش چند است", "دوره ادغام چند ساعت است؟"})),
        ("fa", frozenset({"کجا میتوانم دوچرخه بخرم"})),
        ("de", frozenset({"Wann beginnt der Integrationskurs?", "wann beginnt der integrationskurs"})),
        ("de", frozenset({"Wo kann ich ein Fahrrad kaufen"})),
    }
