"""Messages per second and time from request to reply, for one and two workers, embedded store and Redis.

    .venv/bin/python benchmarks/throughput.py [--messages 3000] [--concurrency 32]

Starts real ``wegweiser serve`` processes (and a private ``redis-server``) on
127.0.0.1, sends a mix of typed questions and button presses through
``POST /api/chat`` at steady concurrency, and prints a table. Through the web
API because it is the path every channel shares after its webhook parsing.
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
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


@dataclass
class Result:
    name: str
    messages: int
    seconds: float
    latencies: list[float]
    rss_mb: list[float]

    def row(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
        rss = "/".join(f"{value:.0f}" for value in self.rss_mb)
        return f"| {self.name} | {self.messages / self.seconds:.0f} | {p50:.1f} | {p99:.1f} | {rss} |"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start(data_dir: Path, redis_url: str | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEGWEISER_")}
    env["WEGWEISER_DATA_DIR"] = str(data_dir)
    env["WEGWEISER_LOG_LEVEL"] = "WARNING"
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


async def drive(urls: list[str], messages: int, concurrency: int) -> tuple[float, list[float]]:
    rng = random.Random(5)
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one(number: int) -> None:
            body = {"session": f"bench-{number % 500}", **rng.choice(QUESTIONS)}
            async with gate:
                started = time.perf_counter()
                response = await client.post(f"{urls[number % len(urls)]}/api/chat", json=body)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(number) for number in range(messages)))
        return time.perf_counter() - started, latencies


def measure(name: str, data_dir: Path, workers: int, redis_url: str | None, messages: int, concurrency: int) -> Result:
    started = [start(data_dir, redis_url) for _ in range(workers)]
    try:
        urls = [url for _, url in started]
        asyncio.run(drive(urls, 200, concurrency))
        seconds, latencies = asyncio.run(drive(urls, messages, concurrency))
        return Result(name, messages, seconds, latencies, [rss_mb(process.pid) for process, _ in started])
    finally:
        for process, _ in started:
            process.terminate()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    arguments = parser.parse_args()
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
                measure("1 worker, embedded store", data_dir, 1, None, arguments.messages, arguments.concurrency),
                measure("2 workers, embedded store", data_dir, 2, None, arguments.messages, arguments.concurrency),
                measure("1 worker, Redis", data_dir, 1, redis.url, arguments.messages, arguments.concurrency),
                measure("2 workers, Redis", data_dir, 2, redis.url, arguments.messages, arguments.concurrency),
            ]
        finally:
            redis.stop()
    print(
        f"{arguments.messages} messages per setup, {arguments.concurrency} concurrent clients, {os.cpu_count()} cores"
    )
    print("| setup | messages/s | p50 ms | p99 ms | RSS per worker MB |")
    print("|---|---|---|---|---|")
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
