"""Stores for the contract tests: the embedded one on a private file, the Redis one on a real server.

Redis is ``WEGWEISER_TEST_REDIS_URL`` when set, else a private ``redis-server``
started for the session on a free port. Every test gets its own key prefix
(and its own SQLite file), and everything a test wrote is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.store import StateStore
from tests.conftest import free_port
from tests.state.spec import StoreSpec

REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT_SECONDS = 10.0


class RedisServer:
    """A private ``redis-server`` without persistence that can be stopped and started on its port."""

    def __init__(self, directory: Path) -> None:
        binary = REDIS_SERVER if Path(REDIS_SERVER).exists() else shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self._binary = binary
        self.port = free_port()
        self._directory = directory
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self._process = subprocess.Popen(
            [
                self._binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self._directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


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


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("WEGWEISER_TEST_REDIS_URL")
    if external:
        yield external
        return
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis server of this test alone, for tests that stop and start it."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


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
