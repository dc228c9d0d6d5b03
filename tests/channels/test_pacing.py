"""Pacing per key with bursts, and one lock per key that is forgotten when free."""

from __future__ import annotations

import asyncio

from bot.channels.pacing import KeyedLocks, Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_goes_out_at_once_and_the_rest_one_a_second() -> None:
    pacer = Pacer(rate=1.0, burst=3, clock=Clock())
    assert [pacer.reserve("chat") for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]


def test_keys_are_paced_independently() -> None:
    pacer = Pacer(rate=1.0, clock=Clock())
    assert [pacer.reserve("a"), pacer.reserve("a"), pacer.reserve("b")] == [0.0, 1.0, 0.0]


def test_a_quiet_key_gets_its_burst_back() -> None:
    clock = Clock()
    pacer = Pacer(rate=1.0, burst=2, clock=clock)
    for _ in range(4):
        pacer.reserve("chat")
    clock.now += 10
    assert [pacer.reserve("chat"), pacer.reserve("chat"), pacer.reserve("chat")] == [0.0, 0.0, 1.0]


async def test_waiting_takes_the_reserved_time() -> None:
    pacer = Pacer(rate=20.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(5):
        await pacer.wait("chat")
    assert loop.time() - started >= 0.19


async def test_a_keyed_lock_runs_holders_of_one_key_in_turn_and_forgets_it() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def hold(key: str, name: str) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(hold("a", "first"), hold("a", "second"))
    assert order == ["first in", "first out", "second in", "second out"]
    assert len(locks) == 0
