"""Stores for the contract tests: the embedded one on a private file, the Redis one on a real server.

Redis is ``WEGWEISER_TEST_REDIS_URL`` when set, else a private ``redis-server``
started for the session on a free port. Every test gets its own key prefix
(and its own SQLite file), and everything a test wrote is removed afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.store import StateStore
from tests.state.spec import StoreSpec


@dataclass
class StoreOpener:
    """Opens stores (each its own connection) on one spec and closes them all at the end."""

    spec: StoreSpec
    opened: list[StateStore] = field(default_factory=list)

    def open(self) -> StateStore:
        store = self.spec.open()
        self.opened.append(store)
        return store

    async def close_all(self) -> None:
        for store in self.opened:
            await store.close()


def private_prefix() -> str:
    return f"wegweiser-test:{uuid.uuid4().hex}:"


async def remove_keys(url: str, prefix: str) -> None:
    client = Redis.from_url(url)
    try:
        names = [name async for name in client.scan_iter(match=f"{prefix}*", count=1000)]
        if names:
            await client.unlink(*names)
    finally:
        await client.aclose()


@pytest.fixture(params=["embedded", pytest.param("redis", marks=pytest.mark.redis)])
async def stores(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StoreOpener]:
    if request.param == "redis":
        url: str = request.getfixturevalue("redis_url")
        spec = StoreSpec("redis", url, private_prefix())
    else:
        spec = StoreSpec("embedded", str(tmp_path / "state.sqlite3"))
    opener = StoreOpener(spec)
    yield opener
    await opener.close_all()
    if spec.kind == "redis":
        await remove_keys(spec.location, spec.prefix)


@pytest.fixture
def store(stores: StoreOpener) -> StateStore:
    return stores.open()
