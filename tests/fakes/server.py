"""A fake platform API: a Starlette app served by uvicorn in a thread on 127.0.0.1.

It records every request it answers and can be told to fail the next ones
(429, 5xx) the way the real service does under load.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse

START_TIMEOUT = 10.0


@dataclass(frozen=True)
class Recorded:
    """One request the fake answered: the API method, its parameters, when, and how it answered."""

    method: str
    params: dict[str, Any]
    at: float
    status: int


@dataclass(frozen=True)
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class ServedApp:
    """An ASGI application served by uvicorn in a thread on a free port of 127.0.0.1."""

    def __init__(self, app: Starlette, lifespan: bool = False) -> None:
        self._app = app
        self._lifespan = lifespan
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(self._app, log_level="warning", lifespan="on" if self._lifespan else "off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the served application did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=START_TIMEOUT)


class FakeServer(ServedApp):
    """A fake platform API that records what it answers and fails on demand."""

    def __init__(self, app: Starlette) -> None:
        super().__init__(app)
        self._records: list[Recorded] = []
        self._failures: deque[Failure] = deque()
        self._changed = threading.Condition()

    def fail_next(self, failure: Failure, times: int = 1) -> None:
        with self._changed:
            self._failures.extend([failure] * times)

    def take_failure(self) -> Failure | None:
        with self._changed:
            return self._failures.popleft() if self._failures else None

    def record(self, method: str, params: dict[str, Any], status: int) -> None:
        with self._changed:
            self._records.append(Recorded(method, params, time.monotonic(), status))
            self._changed.notify_all()

    def records(self, method: str | None = None) -> list[Recorded]:
        with self._changed:
            return [entry for entry in self._records if method is None or entry.method == method]

    def wait_for(self, enough: Callable[[list[Recorded]], bool], timeout: float = 15.0) -> list[Recorded]:
        """All records once ``enough`` holds for them; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not enough(list(self._records)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"waited {timeout} s; the fake received {self._records}")
                self._changed.wait(remaining)
            return list(self._records)

    def clear(self) -> None:
        with self._changed:
            self._records.clear()
            self._failures.clear()

    def failure_response(self, failure: Failure) -> JSONResponse:
        return JSONResponse(failure.body, status_code=failure.status, headers=failure.headers)
