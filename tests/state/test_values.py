"""The store contract for values, on both stores: round trip, expiry, add-once, odd keys, limits, prefixes."""

import asyncio

import pytest

from bot.store import MAX_VALUE_BYTES, StateStore, StoreError
from tests.state.conftest import StoreOpener
from tests.state.worker import run_workers

pytestmark = pytest.mark.asyncio(loop_scope="session")

ODD_KEYS = {
    "quotes": "telegram:'; DROP TABLE state; --\"",
    "newlines": "web:line\nbreak\r\n",
    "nul": "web:\x00after-nul",
    "rtl-override": "whatsapp:\u202e4917612345",
    "emoji": "web:🙂👩🏽‍🦱",
    "glob-characters": "web:*?[a-z]\\",
    "colons": "a:b:c",
    "empty": "",
    "ten-kilobytes": "k" * 10_240,
}


async def test_a_stored_value_is_read_back(store: StateStore) -> None:
    await store.put("conversation", "web:1", b"hello")
    assert await store.get("conversation", "web:1") == b"hello"


async def test_a_missing_value_is_none(store: StateStore) -> None:
    assert await store.get("conversation", "nobody") is None


async def test_a_value_is_replaced_by_the_next_put(store: StateStore) -> None:
    await store.put("conversation", "u", b"first")
    await store.put("conversation", "u", b"second")
    assert await store.get("conversation", "u") == b"second"


async def test_namespaces_keep_equal_keys_apart(store: StateStore) -> None:
    await store.put("a", "k", b"1")
    await store.put("b", "k", b"2")
    assert (await store.get("a", "k"), await store.get("b", "k")) == (b"1", b"2")


async def test_a_separator_in_namespace_or_key_does_not_join_them(store: StateStore) -> None:
    await store.put("x:a", "b", b"1")
    await store.put("x", "a:b", b"2")
    assert (await store.get("x:a", "b"), await store.get("x", "a:b")) == (b"1", b"2")


async def test_a_value_is_seen_by_another_connection(stores: StoreOpener) -> None:
    await stores.open().put("conversation", "u", b"shared")
    assert await stores.open().get("conversation", "u") == b"shared"


async def test_an_expired_value_is_gone(store: StateStore) -> None:
    await store.put("conversation", "u", b"x", ttl_seconds=0.05)
    await asyncio.sleep(0.1)
    assert await store.get("conversation", "u") is None


async def test_a_value_is_there_until_it_expires(store: StateStore) -> None:
    await store.put("conversation", "u", b"x", ttl_seconds=5)
    assert await store.get("conversation", "u") == b"x"


async def test_a_time_to_live_that_is_not_positive_is_refused(store: StateStore) -> None:
    with pytest.raises(StoreError):
        await store.put("conversation", "u", b"x", ttl_seconds=0)


async def test_a_deleted_value_is_gone(store: StateStore) -> None:
    await store.put("conversation", "u", b"x")
    await store.delete("conversation", "u")
    assert await store.get("conversation", "u") is None


async def test_deleting_a_missing_value_is_no_error(store: StateStore) -> None:
    await store.delete("conversation", "nobody")
    assert await store.get("conversation", "nobody") is None


async def test_an_oversized_value_is_refused(store: StateStore) -> None:
    with pytest.raises(StoreError):
        await store.put("conversation", "u", b"x" * (MAX_VALUE_BYTES + 1))


async def test_an_oversized_value_is_refused_by_add(store: StateStore) -> None:
    with pytest.raises(StoreError):
        await store.add("seen", "u", b"x" * (MAX_VALUE_BYTES + 1))


async def test_a_value_of_exactly_the_limit_is_kept(store: StateStore) -> None:
    value = b"x" * MAX_VALUE_BYTES
    await store.put("conversation", "u", value)
    assert await store.get("conversation", "u") == value


async def test_arbitrary_bytes_are_kept_exactly(store: StateStore) -> None:
    value = bytes(range(256)) + b"\xff\xfe\xc3\x28\x00\x80"
    await store.put("conversation", "u", value)
    assert await store.get("conversation", "u") == value


@pytest.mark.parametrize("key", ODD_KEYS.values(), ids=ODD_KEYS.keys())
async def test_keys_with_odd_characters_are_kept_exactly(store: StateStore, key: str) -> None:
    await store.put("conversation", key, b"v")
    await store.put("conversation", key + "x", b"neighbour")
    assert await store.get("conversation", key) == b"v"


async def test_a_key_that_is_not_valid_text_is_refused(store: StateStore) -> None:
    with pytest.raises(StoreError):
        await store.put("conversation", "web:\ud800", b"v")


async def test_add_stores_only_the_first_value(store: StateStore) -> None:
    assert await store.add("seen", "update-1", b"1") is True
    assert await store.add("seen", "update-1", b"2") is False
    assert await store.get("seen", "update-1") == b"1"


async def test_add_succeeds_again_after_expiry(store: StateStore) -> None:
    assert await store.add("seen", "u", b"1", ttl_seconds=0.05) is True
    await asyncio.sleep(0.1)
    assert await store.add("seen", "u", b"2") is True


async def test_exactly_one_of_many_concurrent_adds_wins(stores: StoreOpener) -> None:
    connections = [stores.open() for _ in range(3)]
    attempts = [
        connections[number % len(connections)].add("seen", "update-7", str(number).encode(), ttl_seconds=60)
        for number in range(60)
    ]
    results = await asyncio.gather(*attempts)
    winner = results.index(True)
    assert results.count(True) == 1
    assert await connections[0].get("seen", "update-7") == str(winner).encode()


async def test_exactly_one_add_wins_across_processes(stores: StoreOpener) -> None:
    wins = await asyncio.to_thread(run_workers, "add", stores.spec, processes=3, rounds=30)
    assert sum(wins) == 1


async def test_delete_prefix_removes_every_key_with_the_prefix(store: StateStore) -> None:
    for key in ("telegram:42", "telegram:42:draft", "telegram:42\x00"):
        await store.put("conversation", key, b"x")
    await store.delete_prefix("conversation", "telegram:42")
    remaining = [
        await store.get("conversation", key) for key in ("telegram:42", "telegram:42:draft", "telegram:42\x00")
    ]
    assert remaining == [None, None, None]


async def test_delete_prefix_keeps_other_keys_and_namespaces(store: StateStore) -> None:
    await store.put("conversation", "telegram:4", b"other user")
    await store.put("conversation", "web:telegram:42", b"prefix in the middle")
    await store.put("profile", "telegram:42", b"other namespace")
    await store.put("conversation", "telegram:42", b"gone")
    await store.delete_prefix("conversation", "telegram:42")
    kept = [
        await store.get("conversation", "telegram:4"),
        await store.get("conversation", "web:telegram:42"),
        await store.get("profile", "telegram:42"),
    ]
    assert kept == [b"other user", b"prefix in the middle", b"other namespace"]


async def test_delete_prefix_takes_glob_characters_literally(store: StateStore) -> None:
    await store.put("conversation", "web:*1", b"matches")
    await store.put("conversation", "web:a1", b"would match the glob")
    await store.put("conversation", "web:[ab]", b"bracket")
    await store.put("conversation", "web:a", b"would match the bracket")
    await store.delete_prefix("conversation", "web:*")
    await store.delete_prefix("conversation", "web:[ab]")
    assert [
        await store.get("conversation", "web:*1"),
        await store.get("conversation", "web:a1"),
        await store.get("conversation", "web:[ab]"),
        await store.get("conversation", "web:a"),
    ] == [None, b"would match the glob", None, b"would match the bracket"]


async def test_delete_prefix_handles_odd_and_long_keys(store: StateStore) -> None:
    for key in ODD_KEYS.values():
        await store.put("conversation", "user\u202e:" + key, b"x")
    await store.delete_prefix("conversation", "user\u202e:")
    assert [await store.get("conversation", "user\u202e:" + key) for key in ODD_KEYS.values()] == [None] * len(ODD_KEYS)


async def test_keys_lists_live_values_and_queues_with_the_prefix(store: StateStore) -> None:
    await store.put("ticket", "web:2", b"x")
    await store.push("ticket", "web:1", b"y")
    await store.put("ticket", "telegram:1", b"other prefix")
    await store.put("other", "web:3", b"other namespace")
    assert await store.keys("ticket", "web:") == ["web:1", "web:2"]


async def test_keys_leaves_out_expired_values(store: StateStore) -> None:
    await store.put("ticket", "short", b"x", ttl_seconds=0.05)
    await store.put("ticket", "long", b"x")
    await asyncio.sleep(0.1)
    assert await store.keys("ticket") == ["long"]


async def test_keys_keeps_odd_characters(store: StateStore) -> None:
    odd = "web:ä*?[x]\\ \x00"
    await store.put("ticket", odd, b"x")
    assert await store.keys("ticket", "web:") == [odd]
