"""A crowd of simulated newcomers writing to several workers at once, and what they must observe."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

LANGUAGES = ["de", "en", "ar", "fa", "uk", "ru", "tr"]
GIBBERISH = "qwrtz plmok"
RETRY_PAUSE_SECONDS = 0.5
MAX_ATTEMPTS = 40


@dataclass
class Person:
    """One simulated user: a script of messages and what the answers showed."""

    session: str
    script: list[dict[str, str]]
    answers: list[dict] = field(default_factory=list)
    retries: int = 0


def script_for(number: int, messages: int, rng: random.Random) -> list[dict[str, str]]:
    """Language switches, questions and two misunderstandings in a row, so order and doubling show."""
    script: list[dict[str, str]] = [{"text": GIBBERISH}, {"text": GIBBERISH}]
    while len(script) < messages:
        language = rng.choice(LANGUAGES)
        script.append({"payload": f'/change_language{{"language": "{language}"}}'})
        script.append({"payload": rng.choice(["/opening_hours", "/privacy", "/language_courses", "/greet"])})
    return script[:messages]


def crowd(users: int, messages: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    return [Person(f"load-{seed}-{number}", script_for(number, messages, rng)) for number in range(users)]


async def run_crowd(
    people: Sequence[Person], workers: Callable[[], Sequence[str]], concurrency: int, rng: random.Random
) -> None:
    """Every person sends their script in order, each message to a random worker, retrying failures."""
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=30) as client:

        async def send(person: Person, index: int, message: dict[str, str]) -> dict:
            body = {"session": person.session, "message_id": f"m{index}", **message}
            for _ in range(MAX_ATTEMPTS):
                url = rng.choice(list(workers()))
                try:
                    response = await client.post(f"{url}/api/chat", json=body)
                    if response.status_code == 200:
                        return response.json()
                except httpx.HTTPError:
                    pass
                person.retries += 1
                await asyncio.sleep(RETRY_PAUSE_SECONDS)
            raise AssertionError(f"{person.session} message {index} was never answered")

        async def live(person: Person) -> None:
            for index, message in enumerate(person.script):
                async with gate:
                    person.answers.append(await send(person, index, message))

        await asyncio.gather(*(live(person) for person in people))


def _payloads(answer: dict) -> list[str]:
    return [button["payload"] for reply in answer["replies"] for button in reply["buttons"]]


def violations(person: Person) -> list[str]:
    """What a person saw that breaks exactly-once, in-order handling."""
    found = []
    if len(person.answers) != len(person.script):
        found.append(f"{len(person.answers)} answers for {len(person.script)} messages")
    intents = [answer["intent"] for answer in person.answers[:2]]
    if intents != ["nlu_fallback", "nlu_fallback"]:
        found.append(f"first two answers were {intents}")
    elif "/human_handover" in _payloads(person.answers[0]):
        found.append("first misunderstanding counted twice")
    elif _payloads(person.answers[1]) != ["/human_handover"]:
        found.append("second misunderstanding did not offer a counsellor")
    chosen = None
    for message, answer in zip(person.script, person.answers, strict=False):
        payload = message.get("payload", "")
        if payload.startswith("/change_language"):
            chosen = payload.split('"')[3]
        if chosen is not None and answer["language"] != chosen:
            found.append(f"answer in {answer['language']} after switching to {chosen}")
    return found
