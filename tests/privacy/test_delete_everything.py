"""``/delete`` removes every trace of a person from the state store, whichever store is configured.

The person chats with message ids (answers kept for redeliveries), asks for a
counsellor (ticket, transcript), gets a counsellor's reply (web chat outbox),
and then deletes her data. Afterwards no key or value in the whole store
holds her session id or what she wrote.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from bot.staff.accounts import Role
from tests.conftest import stop_server
from tests.handover.test_counsellor_inbox import submit
from tests.staff.conftest import STAFF_ACCOUNTS, StaffClient, StaffServer, start_staff_server

SESSION = "forget-me-7f3a9c"
SECRET_TEXT = "Mein Name ist Zuhra Qasemi-Traceable"


def chat(server: StaffServer, message_id: str, **message: str) -> dict:
    body = {"session": SESSION, "message_id": message_id, **message}
    response = httpx.post(f"{server.url}/api/chat", json=body, timeout=30)
    assert response.status_code == 200
    return response.json()


def leave_traces(server: StaffServer) -> None:
    chat(server, "m1", payload='/change_language{"language": "de"}')
    chat(server, "m2", text="Wo ist die Beratungsstelle in Bebra?")
    assert chat(server, "m3", payload="/human_handover")["handover"] is True
    chat(server, "m4", text=SECRET_TEXT)
    credentials = STAFF_ACCOUNTS[Role.COUNSELLOR]
    counsellor = StaffClient.signed_in(server.url, credentials.name, credentials.password)
    ticket = re.search(r"/admin/inbox/([0-9a-f]{16})", counsellor.get("/admin/inbox").text)
    assert ticket is not None
    submit(counsellor, f"/admin/inbox/{ticket.group(1)}/claim")
    submit(counsellor, f"/admin/inbox/{ticket.group(1)}/reply", {"text": "Guten Tag, ich bin für Sie da."})
    updates = httpx.get(f"{server.url}/api/chat/updates", params={"session": SESSION, "seen": "0"}, timeout=30)
    assert updates.json()["replies"], "the counsellor's reply waits in the web chat outbox"


def traces_in_sqlite(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT namespace, key, value FROM state"
            " UNION ALL SELECT namespace, key, value FROM queue_items"
            " UNION ALL SELECT namespace, key, '' FROM queues"
            " UNION ALL SELECT namespace, key, token FROM locks"
        ).fetchall()
    return [f"{namespace}/{key}" for namespace, key, value in rows if _holds_trace(key, value)]


async def traces_in_redis(url: str) -> list[str]:
    client = Redis.from_url(url)
    found = []
    try:
        async for name in client.scan_iter(count=1000):
            kind = await client.type(name)
            if kind == b"string":
                values = [await client.get(name)]
            elif kind == b"list":
                values = await client.lrange(name, 0, -1)
            else:
                values = []
            if _holds_trace(name.decode(errors="replace"), b"".join(value or b"" for value in values)):
                found.append(name.decode(errors="replace"))
    finally:
        await client.aclose()
    return found


def _holds_trace(key: str, value: bytes | str) -> bool:
    raw = value.encode() if isinstance(value, str) else bytes(value)
    return SESSION in key or SESSION.encode() in raw or SECRET_TEXT.encode() in raw


@pytest.fixture
def embedded_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[StaffServer]:
    server = start_staff_server(tmp_path_factory, data_dir)
    yield server
    assert server.process is not None
    stop_server(server.process)


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, private_redis) -> Iterator[StaffServer]:
    server = start_staff_server(tmp_path_factory, data_dir, WEGWEISER_REDIS_URL=private_redis.url)
    yield server
    assert server.process is not None
    stop_server(server.process)


def test_delete_leaves_nothing_of_the_person_in_the_embedded_store(embedded_server: StaffServer) -> None:
    leave_traces(embedded_server)
    store_file = Path(embedded_server.env["WEGWEISER_DATA_DIR"]) / "state.sqlite3"
    assert traces_in_sqlite(store_file), "the person left traces before deleting"
    chat(embedded_server, "m5", text="/delete")
    assert traces_in_sqlite(store_file) == []


@pytest.mark.redis
def test_delete_leaves_nothing_of_the_person_in_redis(redis_server: StaffServer, private_redis) -> None:
    leave_traces(redis_server)
    assert asyncio.run(traces_in_redis(private_redis.url)), "the person left traces before deleting"
    chat(redis_server, "m5", text="/delete")
    assert asyncio.run(traces_in_redis(private_redis.url)) == []
