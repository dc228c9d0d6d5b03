"""The web chat and Telegram under one load over two workers on Redis, a worker killed and Redis restarted meanwhile.

500 people write 5,000 messages in bursts: 440 on the web chat, 60 on Telegram
(whose replies leave at Telegram's pace of 30 messages a second per worker).
Each Telegram chat writes what one of the web users writes, so that what it
must receive is known: the same answers, each once, in order.
"""

from __future__ import annotations

import asyncio
import random
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.channels.helpers import new_id
from tests.conftest import start_server, stop_server
from tests.fakes.bot_api import FakeBotApi
from tests.redis_server import RedisServer
from tests.scale.load import Person, crowd, run_crowd, violations
from tests.scale.telegram_load import SECRET, Chat, push_updates, received_violations

pytestmark = pytest.mark.redis

WEB_USERS = 440
TELEGRAM_CHATS = 60
MESSAGES_EACH = 10
KILL_AFTER_SECONDS = 3.0
RESTART_REDIS_AFTER_SECONDS = 6.0


@dataclass(frozen=True)
class LoadRun:
    people: list[Person]
    chats: list[Chat]
    received: dict[int, list[str]]


@pytest.fixture(scope="module")
def bot_api() -> Iterator[FakeBotApi]:
    fake = FakeBotApi()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def load_run(data_dir: Path, bot_api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> LoadRun:
    """The whole load, once; one worker is SIGKILLed and Redis restarted while it runs."""
    redis = RedisServer(tmp_path_factory.mktemp("redis"), persistent=True)
    redis.start()
    env = {
        "WEGWEISER_REDIS_URL": redis.url,
        "WEGWEISER_TELEGRAM_TOKEN": bot_api.token,
        "WEGWEISER_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "WEGWEISER_TELEGRAM_API_URL": bot_api.url,
        "WEGWEISER_LOG_LEVEL": "WARNING",
    }
    with ThreadPoolExecutor(2) as pool:
        (survivor, survivor_url), (victim, victim_url) = pool.map(lambda _: start_server(data_dir, **env), range(2))
    alive = [survivor_url, victim_url]
    people = crowd(users=WEB_USERS, messages=MESSAGES_EACH, seed=23)
    chats = [Chat(new_id(), twin) for twin in people[:TELEGRAM_CHATS]]

    def faults() -> None:
        time.sleep(KILL_AFTER_SECONDS)
        victim.send_signal(signal.SIGKILL)
        alive.remove(victim_url)
        time.sleep(RESTART_REDIS_AFTER_SECONDS - KILL_AFTER_SECONDS)
        redis.stop()
        redis.start()

    async def load() -> None:
        await asyncio.gather(
            run_crowd(people, lambda: list(alive), concurrency=48, rng=random.Random(4)),
            push_updates(chats, bot_api, lambda: list(alive), random.Random(5)),
        )

    faulting = threading.Thread(target=faults)
    faulting.start()
    try:
        asyncio.run(load())
    finally:
        faulting.join()
        stop_server(survivor)
        stop_server(victim)
        redis.stop()
    assert victim.returncode == -signal.SIGKILL
    return LoadRun(people, chats, {chat.chat_id: bot_api.sent_texts(chat.chat_id) for chat in chats})


def test_every_web_user_is_answered_exactly_once_and_in_order(load_run: LoadRun) -> None:
    assert [problem for person in load_run.people for problem in violations(person)] == []


def test_every_telegram_chat_receives_its_answers_exactly_once_and_in_order(load_run: LoadRun) -> None:
    problems = [
        problem for chat in load_run.chats for problem in received_violations(chat, load_run.received[chat.chat_id])
    ]
    assert problems == []
