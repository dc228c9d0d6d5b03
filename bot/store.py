"""The state store: where everything that outlives one message is kept.

One small interface, :class:`StateStore`, with the embedded implementation
here (SQLite in the data directory: no server, survives a restart). Values are
bytes under a namespace and a key; every value may expire.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Protocol

MAX_VALUE_BYTES = 1_000_000


class StoreError(Exception):
    """The store refused an operation (for example an oversized value)."""


class StateStore(Protocol):
    async def get(self, namespace: str, key: str) -> bytes | None: ...

    async def put(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> None: ...

    async def add(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> bool:
        """Store ``value`` only if ``key`` holds none; True if it was stored (first delivery wins)."""
        ...

    async def delete(self, namespace: str, key: str) -> None: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


class EmbeddedStore:
    """SQLite-backed store for one machine; safe for several processes on it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute(
            "CREATE TABLE IF NOT EXISTS state (namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
            " expires REAL, PRIMARY KEY (namespace, key))"
        )
        self._lock = asyncio.Lock()

    async def get(self, namespace: str, key: str) -> bytes | None:
        async with self._lock:
            row = self._connection.execute(
                "SELECT value, expires FROM state WHERE namespace = ? AND key = ?", (namespace, key)
            ).fetchone()
        if row is None or (row[1] is not None and row[1] < time.time()):
            return None
        return bytes(row[0])

    async def put(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> None:
        _check_size(value)
        expires = time.time() + ttl_seconds if ttl_seconds is not None else None
        async with self._lock:
            self._connection.execute(
                "INSERT OR REPLACE INTO state (namespace, key, value, expires) VALUES (?, ?, ?, ?)",
                (namespace, key, value, expires),
            )

    async def add(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> bool:
        _check_size(value)
        now = time.time()
        expires = now + ttl_seconds if ttl_seconds is not None else None
        async with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                self._connection.execute(
                    "DELETE FROM state WHERE namespace = ? AND key = ? AND expires IS NOT NULL AND expires < ?",
                    (namespace, key, now),
                )
                cursor = self._connection.execute(
                    "INSERT OR IGNORE INTO state (namespace, key, value, expires) VALUES (?, ?, ?, ?)",
                    (namespace, key, value, expires),
                )
            finally:
                self._connection.execute("COMMIT")
        return cursor.rowcount == 1

    async def delete(self, namespace: str, key: str) -> None:
        async with self._lock:
            self._connection.execute("DELETE FROM state WHERE namespace = ? AND key = ?", (namespace, key))

    async def purge_expired(self) -> int:
        async with self._lock:
            cursor = self._connection.execute("DELETE FROM state WHERE expires IS NOT NULL AND expires < ?", (time.time(),))
        return cursor.rowcount

    async def ping(self) -> bool:
        async with self._lock:
            return self._connection.execute("SELECT 1").fetchone() == (1,)

    async def close(self) -> None:
        self._connection.close()


def _check_size(value: bytes) -> None:
    if len(value) > MAX_VALUE_BYTES:
        raise StoreError(f"value of {len(value)} bytes exceeds the limit of {MAX_VALUE_BYTES}")
