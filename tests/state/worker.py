"""Another process using the same store, for the tests that need real concurrency.

Usage: ``python -m tests.state.worker TASK KIND LOCATION PREFIX ROUNDS``. Prints
``ready``, waits for a line on stdin so that every worker starts at once, runs
the task and prints its result.

Tasks:
- ``count``: ``ROUNDS`` read-pause-write increments of a shared counter, each
  under the store's lock; without mutual exclusion increments get lost.
- ``add``: ``ROUNDS`` attempts to ``add`` one shared key; prints how many won.
- ``open``: opens the store and answers a ping; prints 1.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from tests.state.spec import StoreSpec

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKER_TIMEOUT_SECONDS = 60
NAMESPACE = "worker"
COUNTER = "counter"
UPDATE = "update-1"


async def count(spec: StoreSpec, rounds: int) -> int:
    store = spec.open()
    try:
        for _ in range(rounds):
            async with store.lock(NAMESPACE, COUNTER, ttl_seconds=10, timeout_seconds=30):
                current = int(await store.get(NAMESPACE, COUNTER) or b"0")
                await asyncio.sleep(0.002)
                await store.put(NAMESPACE, COUNTER, str(current + 1).encode())
            await asyncio.sleep(0.001)
    finally:
        await store.close()
    return rounds


async def add(spec: StoreSpec, rounds: int) -> int:
    store = spec.open()
    try:
        wins = 0
        for number in range(rounds):
            wins += await store.add(NAMESPACE, UPDATE, f"{os.getpid()}:{number}".encode(), ttl_seconds=60)
    finally:
        await store.close()
    return wins


async def open_and_ping(spec: StoreSpec, rounds: int) -> int:
    store = spec.open()
    try:
        return int(await store.ping())
    finally:
        await store.close()


TASKS = {"count": count, "add": add, "open": open_and_ping}


def run_workers(task: str, spec: StoreSpec, processes: int, rounds: int) -> list[int]:
    """Start ``processes`` workers, let them all go at once and return what each printed."""
    command = [sys.executable, "-m", "tests.state.worker", task, *spec.argv(), str(rounds)]
    workers = [
        subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            worker.stdout.readline()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            output, errors = worker.communicate(timeout=WORKER_TIMEOUT_SECONDS)
            if worker.returncode != 0:
                raise RuntimeError(f"worker failed: {errors}")
            results.append(int(output))
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()


def main() -> None:
    task = TASKS[sys.argv[1]]
    spec = StoreSpec.from_argv(sys.argv[2:5])
    rounds = int(sys.argv[5])
    print("ready", flush=True)
    sys.stdin.readline()
    print(asyncio.run(task(spec, rounds)), flush=True)


if __name__ == "__main__":
    main()
