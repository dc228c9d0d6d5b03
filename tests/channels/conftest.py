"""Fixtures of the channel tests: a private state store and the fake platform APIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import EmbeddedStore
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.graph_api import FakeGraphApi


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "state.sqlite3")


@pytest.fixture(scope="module")
def bot_api() -> Iterator[FakeBotApi]:
    fake = FakeBotApi()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def graph_api() -> Iterator[FakeGraphApi]:
    fake = FakeGraphApi()
    fake.start()
    yield fake
    fake.stop()
