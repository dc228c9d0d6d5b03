"""Fixtures shared by the whole suite: a trained model, a running chat process, a running server.

Everything runs for real: the ``wegweiser`` command in subprocesses, the web
application over HTTP on 127.0.0.1. The model is trained once per test session
into a private data directory that every process of the session shares.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.net import free_port
from tests.redis_server import RedisServer

# The installed console script, exactly as a person runs it.
WEGWEISER = [str(Path(sys.executable).with_name("wegweiser"))]
PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 180.0


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the NLU model trained from the shipped data."""
    directory = tmp_path_factory.mktemp("var")
    subprocess.run(
        [*WEGWEISER, "nlu", "train"],
        env=wegweiser_env(directory),
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return directory


def wegweiser_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a wegweiser process: no settings leak in from the developer's shell."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("WEGWEISER_")}
    env["WEGWEISER_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


class ChatProcess:
    """A running ``wegweiser chat --jsonl``: one JSON line in, one JSON line out."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self._process = subprocess.Popen(
            [*WEGWEISER, "chat", "--jsonl"],
            env=wegweiser_env(data_dir, **env),
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )

    def send(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        assert line, "wegweiser chat --jsonl ended without answering"
        return json.loads(line)

    def say(self, user: str, text: str) -> dict[str, Any]:
        return self.send({"user": user, "text": text})

    def press(self, user: str, payload: str) -> dict[str, Any]:
        return self.send({"user": user, "payload": payload})

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)


@pytest.fixture(scope="session")
def chat(data_dir: Path) -> Iterator[ChatProcess]:
    process = ChatProcess(data_dir)
    yield process
    process.close()


def start_server(data_dir: Path, log_to: Path | None = None, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``wegweiser serve`` on a free port and wait until it is ready; its log goes to ``log_to``."""
    port = free_port()
    log = log_to.open("wb") if log_to is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [*WEGWEISER, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=wegweiser_env(data_dir, **env),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"wegweiser serve exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("wegweiser serve did not become ready")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def live_server(data_dir: Path) -> Iterator[str]:
    """The base URL of a running ``wegweiser serve``."""
    process, url = start_server(data_dir)
    yield url
    stop_server(process)


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
