"""The state store: where everything that outlives one message is kept.

One small interface, :class:`StateStore`, with the embedded implementation
here (SQLite in the data directory: no server, survives a restart) and the
Redis one in :mod:`bot.redis_store`. Values are bytes under a namespace and a
key; every value may expire. Beside plain values a store keeps queues (lists
of values under a key), locks shared by every process using the store, and
version counters that tell workers something changed.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Literal, Protocol

MAX_VALUE_BYTES = 1_000_000
DEFAULT_LOCK_TIMEOUT_SECONDS = 10.0
# Waiting for a lock polls, starting fast for the common short hold and backing off for long ones.
LOCK_POLL_FIRST_SECONDS = 0.005
LOCK_POLL_MAX_SECONDS = 0.1

logger = logging.getLogger(__name__)


class StoreError(Exception):
    """The store refused an operation (for example an oversized value)."""


class StoreUnavailable(StoreError):
    """The store could not be reached (for example Redis is down and did not come back in time)."""


class LockTimeout(StoreError):
    """A lock stayed held by someone else for longer than the caller was willing to wait."""


class StateStore(Protocol):
    async def get(self, namespace: str, key: str) -> bytes | None: ...

    async def put(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> None: ...

    async def add(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> bool:
        """Store ``value`` only if ``key`` holds none; True if it was stored (first delivery wins)."""
        ...

    async def delete(self, namespace: str, key: str) -> None:
        """Remove the value and the queue under ``key``."""
        ...

    async def delete_prefix(self, namespace: str, prefix: str) -> None:
        """Remove every value and queue in ``namespace`` whose key starts with ``prefix``."""
        ...

    async def keys(self, namespace: str, prefix: str = "") -> list[str]:
        """The keys in ``namespace`` starting with ``prefix`` that hold a live value or queue, sorted."""
        ...

    def lock(
        self,
        namespace: str,
        key: str,
        ttl_seconds: float,
        timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    ) -> AbstractAsyncContextManager[None]:
        """Hold ``key`` exclusively among all users of the store, waiting up to ``timeout_seconds``.

        Raises :class:`LockTimeout` when the wait is over. A holder that dies
        keeps the lock for at most ``ttl_seconds``; after that the lock is free
        and the late holder's release leaves the next holder's lock alone.
        """
        ...

    async def publish(self, topic: str) -> int:
        """Announce a change of ``topic``; returns its new version."""
        ...

    async def version(self, topic: str) -> int:
        """The current version of ``topic``, 0 if it never changed.

        Versions increase with every publish but are otherwise opaque: compare
        them for inequality (a Redis without persistence restarts them).
        """
        ...

    async def push(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> int:
        """Append ``value`` to the queue under ``key``; returns the queue's new length.

        ``ttl_seconds`` (re)sets the expiry of the whole queue.
        """
        ...

    async def range(self, namespace: str, key: str, start: int = 0, end: int = -1) -> list[bytes]:
        """The queue's values from ``start`` to ``end`` inclusive; negative positions count from the end."""
        ...

    async def length(self, namespace: str, key: str) -> int: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


def check_value(value: bytes) -> None:
    if len(value) > MAX_VALUE_BYTES:
        raise StoreError(f"value of {len(value)} bytes exceeds the limit of {MAX_VALUE_BYTES}")


def check_ttl(ttl_seconds: float | None) -> None:
    if ttl_seconds is not None and not ttl_seconds > 0:
        raise StoreError(f"a time to live must be positive, not {ttl_seconds}")


def encode_text(text: str) -> bytes:
    """``text`` as UTF-8; a string with lone surrogates (possible from JSON input) is refused."""
    try:
        return text.encode()
    except UnicodeEncodeError as error:
        raise StoreError(f"not valid text: {error}") from error


class LockQueue:
    """Waiting for store locks: in this process in arrival order, across processes by polling the store.

    Waiters of one process take turns on an :class:`asyncio.Lock` per key
    (first come, first served, woken at once) and only the one whose turn it
    is polls the store, which settles who holds the key among processes.
    """

    def __init__(self) -> None:
        self._turns: dict[tuple[str, str], asyncio.Lock] = {}
        self._waiting: Counter[tuple[str, str]] = Counter()

    @asynccontextmanager
    async def hold(
        self,
        name: tuple[str, str],
        acquire: Callable[[], Awaitable[bool]],
        release: Callable[[], Awaitable[None]],
        timeout_seconds: float,
    ) -> AsyncIterator[None]:
        """Hold ``name`` until the block ends, once ``acquire`` succeeded within ``timeout_seconds``."""
        deadline = time.monotonic() + timeout_seconds
        async with self._turn(name, timeout_seconds):
            pause = LOCK_POLL_FIRST_SECONDS
            while not await acquire():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise LockTimeout(f"lock still held by another process after {timeout_seconds} s")
                await asyncio.sleep(min(pause, remaining))
                pause = min(pause * 2, LOCK_POLL_MAX_SECONDS)
            try:
                yield
            finally:
                try:
                    await release()
                except StoreError:
                    # The lock frees itself after its TTL; a failed release must not hide the work's outcome.
                    logger.warning("could not release a lock; it expires by itself", exc_info=True)

    @asynccontextmanager
    async def _turn(self, name: tuple[str, str], timeout_seconds: float) -> AsyncIterator[None]:
        turn = self._turns.setdefault(name, asyncio.Lock())
        self._waiting[name] += 1
        try:
            try:
                async with asyncio.timeout(timeout_seconds):
                    await turn.acquire()
            except TimeoutError:
                raise LockTimeout(f"lock still held in this process after {timeout_seconds} s") from None
            try:
                yield
            finally:
                turn.release()
        finally:
            self._waiting[name] -= 1
            if not self._waiting[name]:
                del self._waiting[name], self._turns[name]


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS state (namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
    " expires REAL, PRIMARY KEY (namespace, key))",
    "CREATE TABLE IF NOT EXISTS queues (namespace TEXT NOT NULL, key TEXT NOT NULL, expires REAL,"
    " PRIMARY KEY (namespace, key))",
    "CREATE TABLE IF NOT EXISTS queue_items (namespace TEXT NOT NULL, key TEXT NOT NULL,"
    " position INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY (namespace, key, position),"
    " FOREIGN KEY (namespace, key) REFERENCES queues (namespace, key) ON DELETE CASCADE)",
    "CREATE TABLE IF NOT EXISTS locks (namespace TEXT NOT NULL, key TEXT NOT NULL, token TEXT NOT NULL,"
    " expires REAL NOT NULL, PRIMARY KEY (namespace, key))",
    "CREATE TABLE IF NOT EXISTS versions (topic TEXT PRIMARY KEY, version INTEGER NOT NULL)",
)
_BUSY_TIMEOUT_SECONDS = 10.0
# Keys are compared as UTF-8 bytes because SQLite's text functions stop at a NUL character.
_HAS_PREFIX = "namespace = ? AND substr(CAST(key AS BLOB), 1, ?) = ?"
_LIVE_QUEUE = (
    "EXISTS (SELECT 1 FROM queues WHERE queues.namespace = ? AND queues.key = ?"
    " AND (queues.expires IS NULL OR queues.expires >= ?))"
)


class EmbeddedStore:
    """SQLite-backed store for one machine; safe for several processes on it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=_BUSY_TIMEOUT_SECONDS
        )
        _switch_to_wal(self._connection)
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._connection.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA:
            self._connection.execute(statement)
        self._connection.execute("COMMIT")
        self._lock = asyncio.Lock()
        self._locks = LockQueue()

    async def get(self, namespace: str, key: str) -> bytes | None:
        async with self._session() as db:
            row = db.execute(
                "SELECT value, expires FROM state WHERE namespace = ? AND key = ?", (namespace, key)
            ).fetchone()
        if row is None or (row[1] is not None and row[1] < time.time()):
            return None
        return bytes(row[0])

    async def put(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> None:
        check_value(value)
        check_ttl(ttl_seconds)
        async with self._session() as db:
            db.execute(
                "INSERT OR REPLACE INTO state (namespace, key, value, expires) VALUES (?, ?, ?, ?)",
                (namespace, key, value, _expiry(ttl_seconds)),
            )

    async def add(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> bool:
        check_value(value)
        check_ttl(ttl_seconds)
        async with self._transaction() as db:
            db.execute(
                "DELETE FROM state WHERE namespace = ? AND key = ? AND expires IS NOT NULL AND expires < ?",
                (namespace, key, time.time()),
            )
            cursor = db.execute(
                "INSERT OR IGNORE INTO state (namespace, key, value, expires) VALUES (?, ?, ?, ?)",
                (namespace, key, value, _expiry(ttl_seconds)),
            )
        return cursor.rowcount == 1

    async def delete(self, namespace: str, key: str) -> None:
        async with self._transaction() as db:
            db.execute("DELETE FROM state WHERE namespace = ? AND key = ?", (namespace, key))
            db.execute("DELETE FROM queues WHERE namespace = ? AND key = ?", (namespace, key))

    async def delete_prefix(self, namespace: str, prefix: str) -> None:
        raw = encode_text(prefix)
        async with self._transaction() as db:
            db.execute(f"DELETE FROM state WHERE {_HAS_PREFIX}", (namespace, len(raw), raw))
            db.execute(f"DELETE FROM queues WHERE {_HAS_PREFIX}", (namespace, len(raw), raw))

    async def keys(self, namespace: str, prefix: str = "") -> list[str]:
        raw = encode_text(prefix)
        live = "(expires IS NULL OR expires >= ?)"
        async with self._session() as db:
            rows = db.execute(
                f"SELECT key FROM state WHERE {_HAS_PREFIX} AND {live}"
                f" UNION SELECT key FROM queues WHERE {_HAS_PREFIX} AND {live}",
                (namespace, len(raw), raw, time.time(), namespace, len(raw), raw, time.time()),
            ).fetchall()
        return sorted(row[0] for row in rows)

    def lock(
        self,
        namespace: str,
        key: str,
        ttl_seconds: float,
        timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    ) -> AbstractAsyncContextManager[None]:
        check_ttl(ttl_seconds)
        token = secrets.token_hex(16)

        async def acquire() -> bool:
            async with self._transaction() as db:
                now = time.time()
                db.execute("DELETE FROM locks WHERE namespace = ? AND key = ? AND expires < ?", (namespace, key, now))
                cursor = db.execute(
                    "INSERT OR IGNORE INTO locks (namespace, key, token, expires) VALUES (?, ?, ?, ?)",
                    (namespace, key, token, now + ttl_seconds),
                )
            return cursor.rowcount == 1

        async def release() -> None:
            async with self._session() as db:
                db.execute("DELETE FROM locks WHERE namespace = ? AND key = ? AND token = ?", (namespace, key, token))

        return self._locks.hold((namespace, key), acquire, release, timeout_seconds)

    async def publish(self, topic: str) -> int:
        async with self._transaction() as db:
            rows = db.execute(
                "INSERT INTO versions (topic, version) VALUES (?, 1)"
                " ON CONFLICT (topic) DO UPDATE SET version = version + 1 RETURNING version",
                (topic,),
            ).fetchall()
        return int(rows[0][0])

    async def version(self, topic: str) -> int:
        async with self._session() as db:
            row = db.execute("SELECT version FROM versions WHERE topic = ?", (topic,)).fetchone()
        return int(row[0]) if row is not None else 0

    async def push(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> int:
        check_value(value)
        check_ttl(ttl_seconds)
        async with self._transaction() as db:
            db.execute(
                "DELETE FROM queues WHERE namespace = ? AND key = ? AND expires IS NOT NULL AND expires < ?",
                (namespace, key, time.time()),
            )
            db.execute(
                "INSERT INTO queues (namespace, key, expires) VALUES (?, ?, ?) ON CONFLICT (namespace, key)"
                " DO UPDATE SET expires = coalesce(excluded.expires, queues.expires)",
                (namespace, key, _expiry(ttl_seconds)),
            )
            db.execute(
                "INSERT INTO queue_items (namespace, key, position, value)"
                " SELECT ?, ?, coalesce(max(position), -1) + 1, ? FROM queue_items"
                " WHERE namespace = ? AND key = ?",
                (namespace, key, value, namespace, key),
            )
            return _count_items(db, namespace, key)

    async def range(self, namespace: str, key: str, start: int = 0, end: int = -1) -> list[bytes]:
        async with self._transaction("DEFERRED") as db:
            window = _window(_count_items(db, namespace, key), start, end)
            if window is None:
                return []
            offset, count = window
            rows = db.execute(
                "SELECT value FROM queue_items WHERE namespace = ? AND key = ? ORDER BY position LIMIT ? OFFSET ?",
                (namespace, key, count, offset),
            ).fetchall()
        return [bytes(row[0]) for row in rows]

    async def length(self, namespace: str, key: str) -> int:
        async with self._session() as db:
            return _count_items(db, namespace, key)

    async def purge_expired(self) -> int:
        """Remove expired values, queues and locks; returns how many values and queues went."""
        async with self._transaction() as db:
            now = time.time()
            values = db.execute("DELETE FROM state WHERE expires IS NOT NULL AND expires < ?", (now,)).rowcount
            queues = db.execute("DELETE FROM queues WHERE expires IS NOT NULL AND expires < ?", (now,)).rowcount
            db.execute("DELETE FROM locks WHERE expires < ?", (now,))
        return values + queues

    async def ping(self) -> bool:
        async with self._session() as db:
            return db.execute("SELECT 1").fetchone() == (1,)

    async def close(self) -> None:
        self._connection.close()

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[sqlite3.Connection]:
        """The connection, for this task alone, with SQLite's failures as store errors."""
        async with self._lock:
            try:
                yield self._connection
            except UnicodeEncodeError as error:
                raise StoreError(f"not valid text: {error}") from error
            except sqlite3.OperationalError as error:
                raise StoreUnavailable(f"the embedded store failed: {error}") from error

    @asynccontextmanager
    async def _transaction(
        self, mode: Literal["IMMEDIATE", "DEFERRED"] = "IMMEDIATE"
    ) -> AsyncIterator[sqlite3.Connection]:
        async with self._session() as db:
            db.execute(f"BEGIN {mode}")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """Put the database in WAL mode, which lets readers and one writer work at once.

    Processes that create the file at the same moment race for the switch, and
    SQLite reports the loser busy at once instead of waiting; so wait here.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _expiry(ttl_seconds: float | None) -> float | None:
    return time.time() + ttl_seconds if ttl_seconds is not None else None


def _count_items(db: sqlite3.Connection, namespace: str, key: str) -> int:
    row = db.execute(
        f"SELECT count(*) FROM queue_items WHERE namespace = ? AND key = ? AND {_LIVE_QUEUE}",
        (namespace, key, namespace, key, time.time()),
    ).fetchone()
    return int(row[0])


def _window(length: int, start: int, end: int) -> tuple[int, int] | None:
    """Offset and count of positions ``start``..``end`` (inclusive, negative from the end) in ``length``."""
    first = max(length + start, 0) if start < 0 else start
    last = min(length + end if end < 0 else end, length - 1)
    if first > last:
        return None
    return first, last - first + 1
