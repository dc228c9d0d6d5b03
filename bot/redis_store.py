"""The state store on Redis, shared by every worker on every machine.

Key layout below the configurable prefix (``wegweiser:`` by default), with
the namespace percent-encoded so that it never contains the ``:`` that ends it
and the key kept byte for byte::

    {prefix}v:{namespace}:{key}      a value (string)
    {prefix}q:{namespace}:{key}      a queue (list)
    {prefix}lock:{namespace}:{key}   a lock (string holding its owner's token)
    {prefix}version:{topic}          a change counter (integer)

Connections come from a bounded pool; a command that meets a broken
connection (Redis restarted, network blip) is retried on a new one with
exponential backoff, so a Redis restart costs a moment, not a process restart.
"""

from __future__ import annotations

import math
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import EqualJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.store import (
    DEFAULT_LOCK_TIMEOUT_SECONDS,
    LockQueue,
    StoreError,
    StoreUnavailable,
    check_ttl,
    check_value,
    encode_text,
)

DEFAULT_PREFIX = "wegweiser:"
_RELEASE_LOCK = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""
_GLOB_SPECIAL = re.compile(rb"([\\*?\[\]])")
_DELETE_BATCH = 500


@dataclass(frozen=True)
class RedisOptions:
    """How the store talks to Redis; the defaults suit one county's traffic."""

    max_connections: int = 32
    pool_timeout_seconds: float = 5.0
    socket_timeout_seconds: float = 5.0
    connect_timeout_seconds: float = 2.0
    health_check_interval_seconds: int = 10
    # With these, a command keeps trying for roughly 2 to 3.5 s: long enough for a Redis restart.
    retries: int = 6
    backoff_base_seconds: float = 0.05
    backoff_cap_seconds: float = 1.0


class RedisStore:
    """A :class:`bot.store.StateStore` on Redis (``redis.asyncio``)."""

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX, options: RedisOptions | None = None) -> None:
        options = options or RedisOptions()
        pool = BlockingConnectionPool.from_url(
            url,
            max_connections=options.max_connections,
            timeout=options.pool_timeout_seconds,
            socket_timeout=options.socket_timeout_seconds,
            socket_connect_timeout=options.connect_timeout_seconds,
            health_check_interval=options.health_check_interval_seconds,
            # Only connection failures: a timed-out command may have run, and a retry could apply it twice.
            retry=Retry(
                EqualJitterBackoff(cap=options.backoff_cap_seconds, base=options.backoff_base_seconds),
                options.retries,
                supported_errors=(RedisConnectionError,),
            ),
        )
        self._client = Redis.from_pool(pool)
        self._prefix = encode_text(prefix)
        self._release = self._client.register_script(_RELEASE_LOCK)
        self._locks = LockQueue()

    async def get(self, namespace: str, key: str) -> bytes | None:
        name = self._name(b"v", namespace, key)
        with _translated_errors():
            value: bytes | None = await self._client.get(name)
        return value

    async def put(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> None:
        check_value(value)
        check_ttl(ttl_seconds)
        name = self._name(b"v", namespace, key)
        with _translated_errors():
            await self._client.set(name, value, px=_milliseconds(ttl_seconds))

    async def add(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> bool:
        check_value(value)
        check_ttl(ttl_seconds)
        name = self._name(b"v", namespace, key)
        with _translated_errors():
            return bool(await self._client.set(name, value, px=_milliseconds(ttl_seconds), nx=True))

    async def delete(self, namespace: str, key: str) -> None:
        names = (self._name(b"v", namespace, key), self._name(b"q", namespace, key))
        with _translated_errors():
            await self._client.unlink(*names)

    async def delete_prefix(self, namespace: str, prefix: str) -> None:
        # SCAN walks the whole keyspace: right for a rare privacy deletion, wrong for a hot path.
        with _translated_errors():
            batch: list[bytes] = []
            async for name in self._client.scan_iter(match=self._pattern(namespace, prefix), count=1000):
                batch.append(name)
                if len(batch) >= _DELETE_BATCH:
                    await self._client.unlink(*batch)
                    batch.clear()
            if batch:
                await self._client.unlink(*batch)

    async def keys(self, namespace: str, prefix: str = "") -> list[str]:
        # SCAN walks the whole keyspace: fine for staff views of a few hundred tickets or accounts.
        start = len(self._prefix) + len(b"v:") + len(_namespace(namespace)) + 1
        found: set[str] = set()
        with _translated_errors():
            async for name in self._client.scan_iter(match=self._pattern(namespace, prefix), count=1000):
                found.add(name[start:].decode())
        return sorted(found)

    def lock(
        self,
        namespace: str,
        key: str,
        ttl_seconds: float,
        timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
    ) -> AbstractAsyncContextManager[None]:
        check_ttl(ttl_seconds)
        name = self._name(b"lock", namespace, key)
        token = secrets.token_bytes(16)

        async def acquire() -> bool:
            with _translated_errors():
                return bool(await self._client.set(name, token, px=_milliseconds(ttl_seconds), nx=True))

        async def release() -> None:
            with _translated_errors():
                await self._release(keys=[name], args=[token])

        return self._locks.hold((namespace, key), acquire, release, timeout_seconds)

    async def publish(self, topic: str) -> int:
        name = self._prefix + b"version:" + encode_text(topic)
        # A Redis without persistence forgets counters on restart; starting a new counter at the current
        # time in milliseconds keeps it from ever coming back to a version a worker saw before.
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.set(name, time.time_ns() // 1_000_000, nx=True)
            pipe.incr(name)
            with _translated_errors():
                results = await pipe.execute()
        return int(results[1])

    async def version(self, topic: str) -> int:
        name = self._prefix + b"version:" + encode_text(topic)
        with _translated_errors():
            value = await self._client.get(name)
        return int(value) if value is not None else 0

    async def push(self, namespace: str, key: str, value: bytes, ttl_seconds: float | None = None) -> int:
        check_value(value)
        check_ttl(ttl_seconds)
        name = self._name(b"q", namespace, key)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.rpush(name, value)
            if ttl_seconds is not None:
                pipe.pexpire(name, _milliseconds(ttl_seconds))
            with _translated_errors():
                results = await pipe.execute()
        return int(results[0])

    async def range(self, namespace: str, key: str, start: int = 0, end: int = -1) -> list[bytes]:
        name = self._name(b"q", namespace, key)
        with _translated_errors():
            values: list[bytes] = await self._client.lrange(name, start, end)
        return values

    async def length(self, namespace: str, key: str) -> int:
        name = self._name(b"q", namespace, key)
        with _translated_errors():
            return int(await self._client.llen(name))

    async def ping(self) -> bool:
        try:
            with _translated_errors():
                return bool(await self._client.ping())
        except StoreUnavailable:
            return False

    async def close(self) -> None:
        await self._client.aclose()

    def _name(self, kind: bytes, namespace: str, key: str) -> bytes:
        return self._prefix + kind + b":" + _namespace(namespace) + b":" + encode_text(key)

    def _pattern(self, namespace: str, prefix: str) -> bytes:
        """A SCAN pattern for the values and queues in ``namespace`` whose key starts with ``prefix``."""
        return (
            _glob_literal(self._prefix)
            + b"[vq]:"
            + _glob_literal(_namespace(namespace) + b":" + encode_text(prefix))
            + b"*"
        )


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Redis's failures as the store's, so that callers need not know which store they use."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError) as error:
        raise StoreUnavailable(f"Redis is unreachable: {error}") from error
    except RedisError as error:
        raise StoreError(f"Redis refused the operation: {error}") from error


def _namespace(namespace: str) -> bytes:
    return quote(encode_text(namespace), safe="").encode()


def _glob_literal(raw: bytes) -> bytes:
    """``raw`` as a SCAN pattern matching exactly itself."""
    return _GLOB_SPECIAL.sub(rb"\\\1", raw)


def _milliseconds(ttl_seconds: float | None) -> int | None:
    return max(1, math.ceil(ttl_seconds * 1000)) if ttl_seconds is not None else None
