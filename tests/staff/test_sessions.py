"""Sessions end on the server: signing out, a new password or a locked account make an old cookie worthless."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from bot.staff.accounts import Role
from bot.staff.sessions import COOKIE
from tests.staff.conftest import StaffClient, StaffServer, set_cookies, sign_in, unique_name

SignedIn = Callable[[Role], StaffClient]
PASSWORD = "ein-gutes-passwort"


def opens_home(url: str, session_token: str) -> bool:
    response = httpx.get(f"{url}/admin", headers={"cookie": f"{COOKIE}={session_token}"}, timeout=30)
    return response.status_code == 200


def account_of_its_own(server: StaffServer, role: Role = Role.EDITOR) -> str:
    name = unique_name("Sitzung")
    server.create_account(name, role, PASSWORD)
    return name


def test_signing_out_ends_the_session_on_the_server(staff_server: StaffServer) -> None:
    client = StaffClient.signed_in(staff_server.url, "Emil Redakteur", "editor-passwort-2024")
    kept_cookie = client.session_token
    response = client.post("/admin/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?logged_out"
    assert set_cookies(response)[COOKIE]["max-age"] == "0"
    assert not opens_home(staff_server.url, kept_cookie)
    client.close()


def test_signing_out_leaves_other_sessions_of_the_account_alone(staff_server: StaffServer) -> None:
    first = StaffClient.signed_in(staff_server.url, "Clara Beraterin", "berater-passwort-2024")
    second = StaffClient.signed_in(staff_server.url, "Clara Beraterin", "berater-passwort-2024")
    first.post("/admin/logout")
    assert opens_home(staff_server.url, second.session_token)
    first.close()
    second.close()


def test_a_new_password_ends_every_session_of_the_account(staff_server: StaffServer, staff_client: SignedIn) -> None:
    name = account_of_its_own(staff_server)
    victim = StaffClient.signed_in(staff_server.url, name, PASSWORD)
    new_password = {"name": name, "password": "ein-neues-passwort", "password_repeat": "ein-neues-passwort"}
    staff_client(Role.ADMIN).post("/admin/users/password", new_password)
    assert not opens_home(staff_server.url, victim.session_token)
    assert sign_in(staff_server.url, name, PASSWORD).status_code == 401
    assert sign_in(staff_server.url, name, "ein-neues-passwort").status_code == 303
    victim.close()


def test_locking_an_account_ends_its_sessions_and_its_sign_ins(
    staff_server: StaffServer, staff_client: SignedIn
) -> None:
    name = account_of_its_own(staff_server)
    locked = StaffClient.signed_in(staff_server.url, name, PASSWORD)
    staff_client(Role.ADMIN).post("/admin/users/status", {"name": name, "disabled": "1"})
    assert not opens_home(staff_server.url, locked.session_token)
    refused = sign_in(staff_server.url, name, PASSWORD)
    assert refused.status_code == 401
    assert "Dieses Konto ist gesperrt." in refused.text
    assert COOKIE not in set_cookies(refused)
    locked.close()


def test_an_unlocked_account_signs_in_again(staff_server: StaffServer, staff_client: SignedIn) -> None:
    name = account_of_its_own(staff_server)
    admin = staff_client(Role.ADMIN)
    admin.post("/admin/users/status", {"name": name, "disabled": "1"})
    admin.post("/admin/users/status", {"name": name, "disabled": "0"})
    assert sign_in(staff_server.url, name, PASSWORD).status_code == 303


def test_a_new_role_applies_to_a_running_session(staff_server: StaffServer, staff_client: SignedIn) -> None:
    name = account_of_its_own(staff_server)
    promoted = StaffClient.signed_in(staff_server.url, name, PASSWORD)
    assert promoted.get("/admin/users").status_code == 403
    staff_client(Role.ADMIN).post("/admin/users/role", {"name": name, "role": "admin"})
    assert promoted.get("/admin/users").status_code == 200
    promoted.close()


def test_the_account_name_is_not_case_sensitive_at_sign_in(staff_server: StaffServer) -> None:
    assert sign_in(staff_server.url, "ada admin", "admin-passwort-2024").status_code == 303


def test_signing_in_leads_only_to_pages_of_the_staff_area(staff_server: StaffServer) -> None:
    response = sign_in(staff_server.url, "Ada Admin", "admin-passwort-2024", next_page="https://example.org/")
    assert response.headers["location"] == "/admin"
