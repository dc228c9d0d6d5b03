"""The Redis store across Redis restarts: the same store object carries on by itself."""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.redis_store import RedisOptions, RedisStore
from bot.store import StoreUnavailable
from tests.redis_server import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.asyncio(loop_scope="session")]


@pytest.fixture
async def store(private_redis: RedisServer) -> AsyncIterator[RedisStore]:
    store = RedisStore(private_redis.url)
    yield store
    await store.close()


def start_after(server: RedisServer, delay_seconds: float) -> None:
    time.sleep(delay_seconds)
    server.start()


async def restart(server: RedisServer) -> None:
    await asyncio.to_thread(server.stop)
    await asyncio.to_thread(server.start)


async def test_a_restarted_redis_is_used_again_without_reopening_the_store(
    store: RedisStore, private_redis: RedisServer
) -> None:
    # Several pooled connections, all of which the restart breaks.
    await asyncio.gather(*(store.put("conversation", f"u{number}", b"before") for number in range(20)))
    await restart(private_redis)
    await asyncio.gather(*(store.put("conversation", f"u{number}", b"after") for number in range(20)))
    values = await asyncio.gather(*(store.get("conversation", f"u{number}") for number in range(20)))
    assert values == [b"after"] * 20


async def test_a_lock_is_released_after_redis_restarts(store: RedisStore, private_redis: RedisServer) -> None:
    async with store.lock("user", "web:1", ttl_seconds=10):
        pass
    await restart(private_redis)
    async with store.lock("user", "web:1", ttl_seconds=10):
        pass
    other = RedisStore(private_redis.url)
    try:
        async with other.lock("user", "web:1", ttl_seconds=10, timeout_seconds=0):
            assert await other.ping()
    finally:
        await other.close()


async def test_versions_move_on_after_redis_restarts(store: RedisStore, private_redis: RedisServer) -> None:
    seen = await store.publish("content")
    await restart(private_redis)
    assert await store.publish("content") not in {0, seen}


async def test_a_command_during_a_short_outage_succeeds_once_redis_is_back(
    store: RedisStore, private_redis: RedisServer
) -> None:
    await store.put("conversation", "u", b"before")
    await asyncio.to_thread(private_redis.stop)
    comeback = asyncio.create_task(asyncio.to_thread(start_after, private_redis, 0.3))
    await store.put("conversation", "u", b"during")
    await comeback
    assert await store.get("conversation", "u") == b"during"


async def test_a_long_outage_is_reported_as_unavailable_within_seconds(
    store: RedisStore, private_redis: RedisServer
) -> None:
    await store.put("conversation", "u", b"before")
    await asyncio.to_thread(private_redis.stop)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        await store.get("conversation", "u")
    assert time.monotonic() - started < 10


async def test_ping_is_false_while_redis_is_down(private_redis: RedisServer) -> None:
    store = RedisStore(private_redis.url, options=RedisOptions(retries=1))
    try:
        await asyncio.to_thread(private_redis.stop)
        assert await store.ping() is False
    finally:
        await store.close()
