"""The staff area on Redis: two workers share accounts, sessions, CSRF tokens, the sign-in limit and the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.staff.accounts import Role
from tests.conftest import stop_server
from tests.staff.conftest import StaffClient, StaffServer, audit_rows, sign_in, start_staff_server, unique_name

pytestmark = pytest.mark.redis

PASSWORD = "ein-gutes-passwort"
LIMIT = 3


@pytest.fixture(scope="module")
def workers(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, redis_url: str
) -> Iterator[tuple[StaffServer, StaffServer]]:
    """Two servers with their own data directories and one Redis, like two workers behind one address."""
    settings = {
        "WEGWEISER_REDIS_URL": redis_url,
        "WEGWEISER_STAFF_LOGIN_ATTEMPTS": str(LIMIT),
        "WEGWEISER_STAFF_LOGIN_ATTEMPTS_PER_ADDRESS": "100000",
    }
    first = start_staff_server(tmp_path_factory, data_dir, accounts=False, **settings)
    second = start_staff_server(tmp_path_factory, data_dir, accounts=False, **settings)
    yield first, second
    for server in (first, second):
        assert server.process is not None
        stop_server(server.process)


def test_a_session_from_one_worker_works_on_the_other(workers: tuple[StaffServer, StaffServer]) -> None:
    first, second = workers
    admin_name, created = unique_name("Redis Admin"), unique_name("Redis Neu")
    first.create_account(admin_name, Role.ADMIN, PASSWORD)
    on_first = StaffClient.signed_in(first.url, admin_name, PASSWORD)
    on_second = StaffClient(second.url, on_first.session_token)
    assert on_second.csrf_token == on_first.csrf_token
    form = {"name": created, "role": "counsellor", "password": PASSWORD, "password_repeat": PASSWORD}
    assert on_second.post("/admin/users", form).status_code == 303
    assert created in on_first.get("/admin/users").text
    assert on_second.post("/admin/users", {**form, "name": unique_name("x")}, csrf=False).status_code == 403
    newest = audit_rows(on_first)[0]
    assert (newest["actor"], newest["action"], newest["target"]) == (admin_name, "user.create", created)
    assert on_second.post("/admin/logout").status_code == 303
    assert on_first.get("/admin").status_code == 303
    on_first.close()
    on_second.close()


def test_the_sign_in_limit_counts_failures_on_every_worker(workers: tuple[StaffServer, StaffServer]) -> None:
    first, second = workers
    name = unique_name("Redis Limit")
    first.create_account(name, Role.EDITOR, PASSWORD)
    for attempt in range(LIMIT):
        assert sign_in(workers[attempt % 2].url, name, "falsch-geraten").status_code == 401
    assert sign_in(first.url, name, PASSWORD).status_code == 429
    assert sign_in(second.url, name, PASSWORD).status_code == 429
