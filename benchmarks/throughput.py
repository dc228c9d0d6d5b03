"""Messages per second and time from request to reply, for one and two workers, embedded store and Redis.

    .venv/bin/python benchmarks/throughput.py [--messages 3000] [--telegram-messages 600]
        [--concurrency 32] [--telegram-rate 20]

Starts real ``wegweiser serve`` processes (and a private ``redis-server`` and a
fake Telegram Bot API) on 127.0.0.1 and sends a mix of typed questions and
button presses over two paths:

- ``POST /api/chat``, the web chat, at steady concurrency, timed from request
  to answer;
- ``POST /telegram/webhook``, timed from the webhook call to the first reply's
  arrival at the Bot API: once at steady concurrency (as much as the workers
  take; replies leave at the pace Telegram allows, 30 messages a second per
  worker, which bounds this path) and once at a steady rate below that bound.

Prints two tables.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.bot_api import FakeBotApi  # noqa: E402
from tests.net import free_port  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

WEGWEISER = str(Path(sys.executable).with_name("wegweiser"))
QUESTIONS = [
    {"text": "Wo ist die Beratungsstelle in Bebra?"},
    {"text": "أين يمكنني تعلم اللغة الألمانية؟"},
    {"text": "کلاس زبان آلمانی کجاست؟"},
    {"text": "Хочу поговорити з консультантом"},
    {"text": "Bürgergeld Jobcenter Beratung"},
    {"payload": "/opening_hours"},
    {"payload": '/change_language{"language": "tr"}'},
    {"payload": "/limea_programme"},
]
SESSIONS = 500
TELEGRAM_SECRET = "benchmark-secret"
SETUPS = [
    ("1 worker, embedded store", 1, False),
    ("2 workers, embedded store", 2, False),
    ("1 worker, Redis", 1, True),
    ("2 workers, Redis", 2, True),
]


@dataclass
class Run:
    messages: int
    seconds: float
    latencies: list[float]

    @property
    def columns(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
        return f"{self.messages / self.seconds:.0f} | {p50:.1f} | {p99:.1f}"


@dataclass
class Result:
    name: str
    web: Run
    telegram: Run
    telegram_steady: Run
    rss_mb: list[float]

    def web_row(self) -> str:
        rss = "/".join(f"{value:.0f}" for value in self.rss_mb)
        return f"| {self.name} | {self.web.columns} | {rss} |"

    def telegram_row(self) -> str:
        return f"| {self.name} | {self.telegram.columns} | {self.telegram_steady.columns} |"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(data_dir: Path, redis_url: str | None, bot_api: FakeBotApi) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEGWEISER_")}
    env["WEGWEISER_DATA_DIR"] = str(data_dir)
    env["WEGWEISER_LOG_LEVEL"] = "WARNING"
    env["WEGWEISER_TELEGRAM_TOKEN"] = bot_api.token
    env["WEGWEISER_TELEGRAM_WEBHOOK_SECRET"] = TELEGRAM_SECRET
    env["WEGWEISER_TELEGRAM_API_URL"] = bot_api.url
    if redis_url:
        env["WEGWEISER_REDIS_URL"] = redis_url
    process = subprocess.Popen(
        [WEGWEISER, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


async def drive_web(urls: list[str], messages: int, concurrency: int) -> tuple[float, list[float]]:
    rng = random.Random(5)
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one(number: int) -> None:
            body = {"session": f"bench-{number % SESSIONS}", **rng.choice(QUESTIONS)}
            async with gate:
                started = time.perf_counter()
                response = await client.post(f"{urls[number % len(urls)]}/api/chat", json=body)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(number) for number in range(messages)))
        return time.perf_counter() - started, latencies


async def drive_telegram(
    urls: list[str], bot_api: FakeBotApi, messages: int, concurrency: int, first_chat: int, rate: float | None = None
) -> tuple[float, list[float]]:
    """Updates to the webhooks, each timed until the first reply to its chat reaches the fake Bot API.

    Each update comes from a chat of its own (a chat in a handover would get no reply to time). With
    ``rate``, updates start at that many a second whatever the answers, else as soon as one of
    ``concurrency`` is free.
    """
    rng = random.Random(6)
    sent: list[tuple[int, float]] = []
    gate = asyncio.Semaphore(concurrency)
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one(number: int) -> None:
            chat = first_chat + number
            question = rng.choice(QUESTIONS)
            if "payload" in question:
                update = bot_api.button_update(chat, question["payload"])
            else:
                update = bot_api.text_update(chat, question["text"])
            if rate is not None:
                await asyncio.sleep(max(0.0, started + number / rate - time.perf_counter()))
            async with gate:
                sent.append((chat, time.monotonic()))
                url = urls[number % len(urls)]
                response = await client.post(f"{url}/telegram/webhook", json=update, headers=headers)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(number) for number in range(messages)))
        seconds = time.perf_counter() - started
    arrivals: dict[int, list[float]] = defaultdict(list)
    for entry in bot_api.records("sendMessage"):
        if entry.status == 200:
            arrivals[int(entry.params["chat_id"])].append(entry.at)
    latencies = [min(arrivals[chat]) - at for chat, at in sent]
    return seconds, latencies


def measure(
    name: str,
    data_dir: Path,
    workers: int,
    redis_url: str | None,
    bot_api: FakeBotApi,
    first_chat: int,
    arguments: argparse.Namespace,
) -> Result:
    started = [start(data_dir, redis_url, bot_api) for _ in range(workers)]
    try:
        urls = [url for _, url in started]
        count, concurrency = arguments.telegram_messages, arguments.concurrency
        asyncio.run(drive_web(urls, 200, concurrency))
        web = asyncio.run(drive_web(urls, arguments.messages, concurrency))
        telegram = asyncio.run(drive_telegram(urls, bot_api, count, concurrency, first_chat))
        steady = asyncio.run(
            drive_telegram(urls, bot_api, count, concurrency, first_chat + count, arguments.telegram_rate)
        )
        return Result(
            name,
            Run(arguments.messages, *web),
            Run(count, *telegram),
            Run(count, *steady),
            [rss_mb(process.pid) for process, _ in started],
        )
    finally:
        for process, _ in started:
            process.terminate()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--telegram-messages", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--telegram-rate", type=float, default=20.0, help="updates a second in the steady run")
    arguments = parser.parse_args()
    bot_api = FakeBotApi()
    bot_api.start()
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = Path(temporary) / "var"
        subprocess.run(
            [WEGWEISER, "nlu", "train"],
            env={**os.environ, "WEGWEISER_DATA_DIR": str(data_dir)},
            check=True,
            capture_output=True,
        )
        redis = RedisServer(Path(temporary))
        redis.start()
        try:
            results = [
                # Every setup writes to chats of its own, so that replies are matched to its own updates.
                measure(name, data_dir, workers, redis.url if shared else None, bot_api, number * 10**6, arguments)
                for number, (name, workers, shared) in enumerate(SETUPS)
            ]
        finally:
            redis.stop()
            bot_api.stop()
    print(f"Web API: {arguments.messages} messages per setup, {arguments.concurrency} concurrent clients")
    print("| setup | messages/s | p50 ms | p99 ms | RSS per worker MB |")
    print("|---|---|---|---|---|")
    for result in results:
        print(result.web_row())
    print(
        f"\nTelegram webhook: {arguments.telegram_messages} updates per run, {arguments.concurrency} concurrent"
        f" or {arguments.telegram_rate:g} a second; {os.cpu_count()} cores"
    )
    print("| setup | updates/s | p50 ms | p99 ms | steady: updates/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for result in results:
        print(result.telegram_row())


if __name__ == "__main__":
    main()
