"""The store contract for locks, on both stores: exclusive across connections and processes, expiring."""

import asyncio

import pytest

from bot.store import LockTimeout, StateStore
from tests.state.conftest import StoreOpener
from tests.state.worker import COUNTER, NAMESPACE, run_workers

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_held_lock_keeps_another_connection_out(stores: StoreOpener) -> None:
    first, second = stores.open(), stores.open()
    async with first.lock("user", "web:1", ttl_seconds=10):
        with pytest.raises(LockTimeout):
            async with second.lock("user", "web:1", ttl_seconds=10, timeout_seconds=0.2):
                pass


async def test_a_released_lock_is_free_for_another_connection(stores: StoreOpener) -> None:
    first, second = stores.open(), stores.open()
    async with first.lock("user", "web:1", ttl_seconds=10):
        pass
    async with second.lock("user", "web:1", ttl_seconds=10, timeout_seconds=0.2):
        assert await second.ping()


async def test_a_waiting_connection_gets_the_lock_when_it_is_released(stores: StoreOpener) -> None:
    first, second = stores.open(), stores.open()
    order: list[str] = []
    held = asyncio.Event()

    async def hold_briefly() -> None:
        async with first.lock("user", "web:1", ttl_seconds=10):
            held.set()
            await asyncio.sleep(0.2)
            order.append("first done")

    holder = asyncio.create_task(hold_briefly())
    await held.wait()
    async with second.lock("user", "web:1", ttl_seconds=10, timeout_seconds=5):
        order.append("second in")
    await holder
    assert order == ["first done", "second in"]


async def test_locks_on_different_keys_do_not_exclude_each_other(store: StateStore) -> None:
    async with (
        store.lock("user", "web:1", ttl_seconds=10),
        store.lock("user", "web:2", ttl_seconds=10, timeout_seconds=0.2),
    ):
        assert await store.ping()


async def test_a_lock_does_not_touch_the_value_under_its_key(store: StateStore) -> None:
    await store.put("user", "web:1", b"state")
    async with store.lock("user", "web:1", ttl_seconds=10):
        pass
    assert await store.get("user", "web:1") == b"state"


async def test_a_lock_of_a_vanished_holder_frees_itself_after_its_ttl(stores: StoreOpener) -> None:
    first, second = stores.open(), stores.open()
    async with (
        first.lock("user", "web:1", ttl_seconds=0.2),
        second.lock("user", "web:1", ttl_seconds=10, timeout_seconds=5),
    ):
        assert await second.ping()


async def test_a_late_holder_does_not_release_the_next_holders_lock(stores: StoreOpener) -> None:
    late, next_holder, third = stores.open(), stores.open(), stores.open()
    late_lock = late.lock("user", "web:1", ttl_seconds=0.1)
    await late_lock.__aenter__()
    await asyncio.sleep(0.2)  # the late holder's lock expires while it still works
    async with next_holder.lock("user", "web:1", ttl_seconds=10, timeout_seconds=1):
        await late_lock.__aexit__(None, None, None)
        with pytest.raises(LockTimeout):
            async with third.lock("user", "web:1", ttl_seconds=10, timeout_seconds=0.2):
                pass


async def test_the_lock_serialises_tasks_in_one_process(store: StateStore) -> None:
    async def increment() -> None:
        async with store.lock("user", "counter", ttl_seconds=10):
            current = int(await store.get("user", "counter") or b"0")
            await asyncio.sleep(0.001)
            await store.put("user", "counter", str(current + 1).encode())

    await asyncio.gather(*(increment() for _ in range(20)))
    assert await store.get("user", "counter") == b"20"


async def test_the_lock_excludes_other_processes(stores: StoreOpener) -> None:
    await asyncio.to_thread(run_workers, "count", stores.spec, processes=2, rounds=40)
    assert await stores.open().get(NAMESPACE, COUNTER) == b"80"


async def test_waiters_in_one_process_get_the_lock_in_arrival_order(store: StateStore) -> None:
    order: list[int] = []

    async def handle(number: int) -> None:
        async with store.lock("user", "web:1", ttl_seconds=10):
            await asyncio.sleep(0.005)
            order.append(number)

    tasks = []
    for number in range(10):
        tasks.append(asyncio.create_task(handle(number)))
        await asyncio.sleep(0.001)
    await asyncio.gather(*tasks)
    assert order == list(range(10))
