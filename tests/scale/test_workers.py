"""Several ``wegweiser serve`` workers on one Redis: any worker answers any message, exactly once, in order."""

from __future__ import annotations

import asyncio
import random
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import start_server, stop_server
from tests.redis_server import RedisServer
from tests.scale.load import crowd, run_crowd, violations

pytestmark = pytest.mark.redis


@pytest.fixture(scope="module")
def workers(data_dir: Path, redis_url: str) -> Iterator[list[str]]:
    started = [start_server(data_dir, WEGWEISER_REDIS_URL=redis_url) for _ in range(2)]
    yield [url for _, url in started]
    for process, _ in started:
        stop_server(process)


def web_messages(url: str) -> float:
    text = httpx.get(f"{url}/metrics").text
    return sum(float(value) for value in re.findall(r'wegweiser_messages_in_total\{channel="web".*\} (\S+)', text))


def test_a_language_chosen_on_one_worker_is_used_by_the_other(workers: list[str]) -> None:
    first, second = workers
    httpx.post(f"{first}/api/chat", json={"session": "two-workers", "payload": '/change_language{"language": "ar"}'})
    answer = httpx.post(f"{second}/api/chat", json={"session": "two-workers", "payload": "/opening_hours"}).json()
    assert answer["language"] == "ar"


def test_a_redelivered_message_is_answered_once_with_the_same_answer(workers: list[str]) -> None:
    first, second = workers
    body = {"session": "redelivery", "message_id": "42", "text": "qwrtz plmok"}
    once = httpx.post(f"{first}/api/chat", json=body).json()
    again = httpx.post(f"{second}/api/chat", json=body).json()
    assert once == again
    follow_up = httpx.post(f"{second}/api/chat", json={**body, "message_id": "43"}).json()
    assert [b["payload"] for r in follow_up["replies"] for b in r["buttons"]] == ["/human_handover"]


def test_a_crowd_in_bursts_is_answered_exactly_once_and_in_order(workers: list[str]) -> None:
    people = crowd(users=500, messages=10)
    before = sum(web_messages(url) for url in workers)
    asyncio.run(run_crowd(people, lambda: workers, concurrency=64, rng=random.Random(1)))
    assert [problem for person in people for problem in violations(person)] == []
    assert sum(web_messages(url) for url in workers) - before == 5000


def test_killing_a_worker_mid_load_loses_and_doubles_nothing(data_dir: Path, redis_url: str) -> None:
    survivor, survivor_url = start_server(data_dir, WEGWEISER_REDIS_URL=redis_url)
    victim, victim_url = start_server(data_dir, WEGWEISER_REDIS_URL=redis_url)
    alive = [survivor_url, victim_url]

    def kill_soon() -> None:
        time.sleep(3)
        victim.send_signal(signal.SIGKILL)
        alive.remove(victim_url)

    people = crowd(users=100, messages=10, seed=11)
    killer = threading.Thread(target=kill_soon)
    killer.start()
    try:
        asyncio.run(run_crowd(people, lambda: list(alive), concurrency=32, rng=random.Random(2)))
    finally:
        killer.join()
        stop_server(survivor)
    assert victim.poll() == -signal.SIGKILL
    assert [problem for person in people for problem in violations(person)] == []


def test_a_redis_restart_mid_load_is_recovered_without_restarting_workers(data_dir: Path, tmp_path: Path) -> None:
    redis = RedisServer(tmp_path, persistent=True)
    redis.start()
    servers = [start_server(data_dir, WEGWEISER_REDIS_URL=redis.url) for _ in range(2)]

    def restart_soon() -> None:
        time.sleep(3)
        redis.stop()
        redis.start()

    people = crowd(users=100, messages=10, seed=13)
    restarter = threading.Thread(target=restart_soon)
    restarter.start()
    try:
        asyncio.run(run_crowd(people, lambda: [url for _, url in servers], concurrency=32, rng=random.Random(3)))
    finally:
        restarter.join()
        for process, _ in servers:
            stop_server(process)
        redis.stop()
    assert [problem for person in people for problem in violations(person)] == []


