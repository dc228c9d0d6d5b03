"""The sign-in limit: after too many failures for one name or from one address, sign-ins are refused for a while."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.staff.accounts import Role
from tests.conftest import stop_server
from tests.staff.conftest import StaffServer, sign_in, start_staff_server, unique_name

PASSWORD = "ein-gutes-passwort"
LIMIT = 3
UNLIMITED = "100000"


def limited_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, **limits: str) -> Iterator[StaffServer]:
    server = start_staff_server(
        tmp_path_factory, data_dir, accounts=False, WEGWEISER_STAFF_LOGIN_WINDOW_SECONDS="600", **limits
    )
    yield server
    assert server.process is not None
    stop_server(server.process)


@pytest.fixture(scope="module")
def per_account(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[StaffServer]:
    yield from limited_server(
        tmp_path_factory,
        data_dir,
        WEGWEISER_STAFF_LOGIN_ATTEMPTS=str(LIMIT),
        WEGWEISER_STAFF_LOGIN_ATTEMPTS_PER_ADDRESS=UNLIMITED,
    )


@pytest.fixture(scope="module")
def per_address(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[StaffServer]:
    yield from limited_server(
        tmp_path_factory,
        data_dir,
        WEGWEISER_STAFF_LOGIN_ATTEMPTS=UNLIMITED,
        WEGWEISER_STAFF_LOGIN_ATTEMPTS_PER_ADDRESS=str(LIMIT),
    )


def test_after_repeated_failures_even_the_right_password_is_refused(per_account: StaffServer) -> None:
    name = unique_name("Gesperrt")
    per_account.create_account(name, Role.EDITOR, PASSWORD)
    for _ in range(LIMIT):
        assert sign_in(per_account.url, name, "falsch-geraten").status_code == 401
    refused = sign_in(per_account.url, name, PASSWORD)
    assert refused.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.text
    assert "10 Minuten" in refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert "wegweiser_staff=" not in refused.headers.get("set-cookie", "")


def test_other_accounts_are_not_held_up_by_one_account_s_failures(per_account: StaffServer) -> None:
    blocked, other = unique_name("Blockiert"), unique_name("Andere")
    per_account.create_account(other, Role.EDITOR, PASSWORD)
    for _ in range(LIMIT):
        sign_in(per_account.url, blocked, "falsch-geraten")
    assert sign_in(per_account.url, blocked, "falsch-geraten").status_code == 429
    assert sign_in(per_account.url, other, PASSWORD).status_code == 303


def test_a_success_clears_the_account_s_earlier_failures(per_account: StaffServer) -> None:
    name = unique_name("Vertippt")
    per_account.create_account(name, Role.EDITOR, PASSWORD)
    for _ in range(LIMIT - 1):
        sign_in(per_account.url, name, "falsch-geraten")
    assert sign_in(per_account.url, name, PASSWORD).status_code == 303
    for _ in range(LIMIT - 1):
        sign_in(per_account.url, name, "falsch-geraten")
    assert sign_in(per_account.url, name, PASSWORD).status_code == 303


def test_many_failures_from_one_address_refuse_every_name_from_it(per_address: StaffServer) -> None:
    name = unique_name("Adresse")
    per_address.create_account(name, Role.EDITOR, PASSWORD)
    for _ in range(LIMIT):
        assert sign_in(per_address.url, unique_name("Geraten"), "falsch").status_code == 401
    refused = sign_in(per_address.url, name, PASSWORD)
    assert refused.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.text
