"""The embedded state store: values by namespace and key, expiry, limits, survival across restarts."""

import asyncio
from pathlib import Path

import pytest

from bot.store import MAX_VALUE_BYTES, EmbeddedStore, StoreError


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "state.sqlite3")


async def test_a_stored_value_is_read_back(store: EmbeddedStore) -> None:
    await store.put("conversation", "web:1", b"hello")
    assert await store.get("conversation", "web:1") == b"hello"


async def test_namespaces_keep_equal_keys_apart(store: EmbeddedStore) -> None:
    await store.put("a", "k", b"1")
    await store.put("b", "k", b"2")
    assert (await store.get("a", "k"), await store.get("b", "k")) == (b"1", b"2")


async def test_an_expired_value_is_gone(store: EmbeddedStore) -> None:
    await store.put("conversation", "u", b"x", ttl_seconds=0.05)
    await asyncio.sleep(0.1)
    assert await store.get("conversation", "u") is None


async def test_a_deleted_value_is_gone(store: EmbeddedStore) -> None:
    await store.put("conversation", "u", b"x")
    await store.delete("conversation", "u")
    assert await store.get("conversation", "u") is None


async def test_an_oversized_value_is_refused(store: EmbeddedStore) -> None:
    with pytest.raises(StoreError):
        await store.put("conversation", "u", b"x" * (MAX_VALUE_BYTES + 1))


async def test_keys_with_odd_characters_are_kept_exactly(store: EmbeddedStore) -> None:
    key = "telegram:'; DROP TABLE state; --\u0000\u202e🙂"
    await store.put("conversation", key, b"v")
    assert await store.get("conversation", key) == b"v"


async def test_values_survive_a_restart(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "state.sqlite3")
    await first.put("conversation", "u", b"kept")
    await first.close()
    second = EmbeddedStore(tmp_path / "state.sqlite3")
    assert await second.get("conversation", "u") == b"kept"


async def test_add_stores_only_the_first_value(store: EmbeddedStore) -> None:
    assert await store.add("seen", "update-1", b"1") is True
    assert await store.add("seen", "update-1", b"2") is False
    assert await store.get("seen", "update-1") == b"1"


async def test_add_succeeds_again_after_expiry(store: EmbeddedStore) -> None:
    assert await store.add("seen", "u", b"1", ttl_seconds=0.05) is True
    await asyncio.sleep(0.1)
    assert await store.add("seen", "u", b"2") is True
