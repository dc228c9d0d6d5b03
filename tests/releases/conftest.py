"""Workers that each keep their own copy of the content store and the training data, as on separate machines."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import PROJECT_ROOT, WEGWEISER, start_server, stop_server, wegweiser_env

# Publishing reaches every worker within seconds, but a worker on a busy machine may first have to train.
PICKED_UP_TIMEOUT = 300.0
# How long to watch for a change that must not come; workers poll the store every second.
SILENCE_SECONDS = 2.0


@dataclass(frozen=True)
class Machine:
    """The directories one worker keeps for itself."""

    content_dir: Path
    nlu_data_dir: Path
    data_dir: Path
    store_env: dict[str, str]
    """How the machine reaches the shared state store (empty: the embedded store in ``data_dir``)."""

    @classmethod
    def copy(cls, root: Path, data_dir: Path, **store_env: str) -> Machine:
        """A machine under ``root`` with the project's content and training data, using ``data_dir``."""
        shutil.copytree(PROJECT_ROOT / "content" / "data", root / "content")
        shutil.copytree(PROJECT_ROOT / "nlu" / "data", root / "nlu" / "data")
        shutil.copy(PROJECT_ROOT / "nlu" / "config.yml", root / "nlu" / "config.yml")
        return cls(root / "content", root / "nlu" / "data", data_dir, store_env)

    def env(self) -> dict[str, str]:
        directories = {"WEGWEISER_CONTENT_DIR": str(self.content_dir), "WEGWEISER_NLU_DATA_DIR": str(self.nlu_data_dir)}
        return {**directories, **self.store_env}

    def publish(self) -> subprocess.CompletedProcess[str]:
        """``wegweiser content publish``, run by an operator on this machine."""
        return subprocess.run(
            [*WEGWEISER, "content", "publish"],
            env=wegweiser_env(self.data_dir, **self.env()),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )


@contextmanager
def edited(path: Path, old: str, new: str) -> Iterator[None]:
    """``path`` with ``old`` (found exactly once) replaced by ``new`` until the block ends, as staff would edit it."""
    original = path.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(original.replace(old, new), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (found exactly once) by ``new`` in ``path``, for good."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


@dataclass(frozen=True)
class Worker:
    machine: Machine
    url: str

    def chat(self, **message: str) -> dict[str, Any]:
        """The answer to ``message`` as the first message of a new conversation."""
        body = {"session": f"release-{uuid.uuid4().hex}", **message}
        response = httpx.post(f"{self.url}/api/chat", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def answer_text(self, payload: str) -> str:
        return "\n".join(reply["text"] for reply in self.chat(payload=payload)["replies"])


def model_copy(data_dir: Path, target: Path) -> Path:
    """A data directory holding the session's trained model, so that a worker starts without training."""
    shutil.copytree(data_dir / "models", target / "models", ignore=shutil.ignore_patterns(".*"))
    return target


@contextmanager
def running(machines: list[Machine]) -> Iterator[list[Worker]]:
    """A ``wegweiser serve`` worker on each machine, started side by side."""
    with ThreadPoolExecutor(len(machines)) as pool:
        starting = [pool.submit(start_server, machine.data_dir, **machine.env()) for machine in machines]
    started = [future.result() for future in starting if future.exception() is None]
    try:
        failed = [future.exception() for future in starting if future.exception() is not None]
        if failed:
            raise failed[0]
        yield [Worker(machine, url) for machine, (_, url) in zip(machines, started, strict=True)]
    finally:
        for process, _ in started:
            stop_server(process)


def eventually(check: Callable[[], bool], timeout: float = PICKED_UP_TIMEOUT) -> bool:
    """Whether ``check`` comes true within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False
