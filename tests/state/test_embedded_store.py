"""What only the embedded store does: keep its state across a restart and purge expired entries."""

import asyncio
from pathlib import Path

import pytest

from bot.store import EmbeddedStore
from tests.state.spec import StoreSpec
from tests.state.worker import run_workers

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_values_survive_a_restart(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "state.sqlite3")
    await first.put("conversation", "u", b"kept")
    await first.close()
    second = EmbeddedStore(tmp_path / "state.sqlite3")
    assert await second.get("conversation", "u") == b"kept"
    await second.close()


async def test_queues_and_versions_survive_a_restart(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "state.sqlite3")
    await first.push("handover", "u", b"kept")
    version = await first.publish("content")
    await first.close()
    second = EmbeddedStore(tmp_path / "state.sqlite3")
    assert (await second.range("handover", "u"), await second.version("content")) == ([b"kept"], version)
    await second.close()


async def test_purge_removes_expired_values_and_queues_only(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "state.sqlite3")
    await store.put("conversation", "old", b"x", ttl_seconds=0.05)
    await store.push("handover", "old", b"x", ttl_seconds=0.05)
    await store.put("conversation", "new", b"x", ttl_seconds=60)
    await asyncio.sleep(0.1)
    assert await store.purge_expired() == 2
    assert await store.get("conversation", "new") == b"x"
    await store.close()


async def test_processes_creating_the_store_at_once_all_open_it(tmp_path: Path) -> None:
    spec = StoreSpec("embedded", str(tmp_path / "state.sqlite3"))
    opened = await asyncio.to_thread(run_workers, "open", spec, processes=4, rounds=1)
    assert opened == [1, 1, 1, 1]
