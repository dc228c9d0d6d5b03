"""The store contract for change notices, on both stores: versions that every connection sees change."""

import pytest

from bot.store import StateStore
from tests.state.conftest import StoreOpener

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_topic_never_published_is_at_version_zero(store: StateStore) -> None:
    assert await store.version("content") == 0


async def test_every_publish_raises_the_version(store: StateStore) -> None:
    versions = [await store.publish("content") for _ in range(3)]
    assert 0 < versions[0] < versions[1] < versions[2]


async def test_the_version_is_the_last_published_one(store: StateStore) -> None:
    await store.publish("content")
    published = await store.publish("content")
    assert await store.version("content") == published


async def test_another_connection_sees_the_new_version(stores: StoreOpener) -> None:
    watcher, publisher = stores.open(), stores.open()
    before = await watcher.version("model")
    await publisher.publish("model")
    assert await watcher.version("model") != before


async def test_topics_have_their_own_versions(store: StateStore) -> None:
    await store.publish("content")
    assert await store.version("model") == 0


async def test_topics_with_odd_characters_are_kept_apart(store: StateStore) -> None:
    await store.publish("content:\x00\u202e🙂")
    assert await store.version("content:") == 0
