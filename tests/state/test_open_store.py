"""Choosing the state store from the settings."""

from pathlib import Path

import pytest

from bot.assembly import open_store
from bot.config import Settings
from bot.redis_store import RedisStore
from bot.store import EmbeddedStore
from tests.state.conftest import private_prefix, remove_keys

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_without_a_redis_url_the_embedded_store_is_used(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path, redis_url=None))
    try:
        assert isinstance(store, EmbeddedStore)
        assert (tmp_path / "state.sqlite3").exists()
    finally:
        await store.close()


@pytest.mark.redis
async def test_with_a_redis_url_state_lives_in_redis(tmp_path: Path, redis_url: str) -> None:
    store = open_store(Settings(data_dir=tmp_path, redis_url=redis_url))
    key = private_prefix()
    try:
        await store.put("conversation", key, b"in redis")
        assert isinstance(store, RedisStore)
        assert await store.get("conversation", key) == b"in redis"
    finally:
        await store.close()
        await remove_keys(redis_url, f"wegweiser:v:conversation:{key}")
