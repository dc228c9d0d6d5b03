"""The store contract for queues, on both stores: order, positions, length, expiry, deletion."""

import asyncio

import pytest

from bot.store import MAX_VALUE_BYTES, StateStore, StoreError
from tests.state.conftest import StoreOpener

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def fill(store: StateStore, *values: bytes) -> None:
    for value in values:
        await store.push("handover", "web:1", value)


async def test_push_returns_the_new_length(store: StateStore) -> None:
    lengths = [await store.push("handover", "web:1", value) for value in (b"a", b"b", b"c")]
    assert lengths == [1, 2, 3]


async def test_a_queue_keeps_values_in_order(store: StateStore) -> None:
    await fill(store, b"a", b"b", b"c")
    assert await store.range("handover", "web:1") == [b"a", b"b", b"c"]


async def test_range_ends_are_inclusive(store: StateStore) -> None:
    await fill(store, b"a", b"b", b"c", b"d")
    assert await store.range("handover", "web:1", 1, 2) == [b"b", b"c"]


async def test_negative_positions_count_from_the_end(store: StateStore) -> None:
    await fill(store, b"a", b"b", b"c", b"d")
    assert await store.range("handover", "web:1", -2, -1) == [b"c", b"d"]


async def test_positions_beyond_the_queue_are_clipped(store: StateStore) -> None:
    await fill(store, b"a", b"b")
    assert (
        await store.range("handover", "web:1", -10, 10),
        await store.range("handover", "web:1", 5, 10),
        await store.range("handover", "web:1", 1, 0),
    ) == ([b"a", b"b"], [], [])


async def test_a_missing_queue_is_empty(store: StateStore) -> None:
    assert (await store.range("handover", "nobody"), await store.length("handover", "nobody")) == ([], 0)


async def test_length_counts_the_values(store: StateStore) -> None:
    await fill(store, b"a", b"b", b"c")
    assert await store.length("handover", "web:1") == 3


async def test_a_queue_is_shared_between_connections(stores: StoreOpener) -> None:
    first, second = stores.open(), stores.open()
    await first.push("handover", "web:1", b"from one")
    await second.push("handover", "web:1", b"from two")
    assert await first.range("handover", "web:1") == [b"from one", b"from two"]


async def test_a_queue_expires_as_a_whole(store: StateStore) -> None:
    await store.push("handover", "web:1", b"a", ttl_seconds=0.05)
    await asyncio.sleep(0.1)
    assert (await store.range("handover", "web:1"), await store.length("handover", "web:1")) == ([], 0)


async def test_a_push_after_expiry_starts_a_new_queue(store: StateStore) -> None:
    await store.push("handover", "web:1", b"old", ttl_seconds=0.05)
    await asyncio.sleep(0.1)
    assert await store.push("handover", "web:1", b"new") == 1


async def test_a_push_with_a_ttl_renews_the_whole_queue(store: StateStore) -> None:
    await store.push("handover", "web:1", b"a", ttl_seconds=0.3)
    await store.push("handover", "web:1", b"b", ttl_seconds=5)
    await asyncio.sleep(0.4)
    assert await store.range("handover", "web:1") == [b"a", b"b"]


async def test_a_push_without_a_ttl_keeps_the_queues_expiry(store: StateStore) -> None:
    await store.push("handover", "web:1", b"a", ttl_seconds=0.1)
    await store.push("handover", "web:1", b"b")
    await asyncio.sleep(0.15)
    assert await store.length("handover", "web:1") == 0


async def test_queue_values_keep_arbitrary_bytes(store: StateStore) -> None:
    value = bytes(range(256)) + b"\xc3\x28"
    await store.push("handover", "web:\x00\u202e🙂", value)
    assert await store.range("handover", "web:\x00\u202e🙂") == [value]


async def test_an_oversized_queue_value_is_refused(store: StateStore) -> None:
    with pytest.raises(StoreError):
        await store.push("handover", "web:1", b"x" * (MAX_VALUE_BYTES + 1))


async def test_a_queue_and_a_value_under_one_key_are_apart(store: StateStore) -> None:
    await store.push("handover", "web:1", b"queued")
    await store.put("handover", "web:1", b"value")
    assert (await store.get("handover", "web:1"), await store.range("handover", "web:1")) == (
        b"value",
        [b"queued"],
    )


async def test_delete_removes_the_queue_too(store: StateStore) -> None:
    await store.push("handover", "web:1", b"queued")
    await store.delete("handover", "web:1")
    assert await store.length("handover", "web:1") == 0


async def test_delete_prefix_removes_queues_too(store: StateStore) -> None:
    await store.push("handover", "web:1", b"gone")
    await store.push("handover", "web:10", b"gone too")
    await store.push("handover", "web:2", b"kept")
    await store.delete_prefix("handover", "web:1")
    assert [await store.length("handover", key) for key in ("web:1", "web:10", "web:2")] == [0, 0, 1]


async def test_a_queue_pushed_after_delete_starts_empty(store: StateStore) -> None:
    await fill(store, b"a", b"b")
    await store.delete("handover", "web:1")
    assert await store.push("handover", "web:1", b"c") == 1
