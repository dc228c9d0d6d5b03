"""A second process for the lock tests: increments a shared counter under the store's lock.

Usage: ``python -m tests.state.lock_worker KIND LOCATION PREFIX ROUNDS``. Prints
``ready``, waits for a line on stdin so that every worker starts at once, then
does ``ROUNDS`` read-pause-write increments, each under the lock; without
mutual exclusion increments get lost.
"""

from __future__ import annotations

import asyncio
import sys

from tests.state.spec import StoreSpec

NAMESPACE = "lock-test"
COUNTER = "counter"


async def increment(spec: StoreSpec, rounds: int) -> None:
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


def main() -> None:
    spec = StoreSpec.from_argv(sys.argv[1:4])
    rounds = int(sys.argv[4])
    print("ready", flush=True)
    sys.stdin.readline()
    asyncio.run(increment(spec, rounds))


if __name__ == "__main__":
    main()
