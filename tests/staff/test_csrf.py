"""Every state-changing request to the staff area needs the right CSRF token (httpx with a valid session)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from bot.staff.accounts import Role
from tests.staff.conftest import StaffClient, StaffServer, unique_name

SignedIn = Callable[[Role], StaffClient]
CSRF_MESSAGE = "Sicherheits-Token (CSRF) fehlt oder nicht stimmt"


def new_account_form(name: str) -> dict[str, str]:
    return {"name": name, "role": "editor", "password": "ein-gutes-passwort", "password_repeat": "ein-gutes-passwort"}


def test_a_form_without_the_token_is_refused_and_changes_nothing(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    name = unique_name("Ohne Token")
    response = admin.post("/admin/users", new_account_form(name), csrf=False)
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.text
    assert name not in admin.get("/admin/users").text


def test_a_form_with_a_wrong_token_is_refused(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    name = unique_name("Falsches Token")
    response = admin.post("/admin/users", {**new_account_form(name), "csrf_token": "x" * 43}, csrf=False)
    assert response.status_code == 403
    assert name not in admin.get("/admin/users").text


def test_the_token_of_another_session_is_refused(staff_client: SignedIn) -> None:
    admin, other = staff_client(Role.ADMIN), staff_client(Role.ADMIN)
    foreign_token = {**new_account_form(unique_name("Fremd")), "csrf_token": other.csrf_token}
    response = admin.post("/admin/users", foreign_token, csrf=False)
    assert response.status_code == 403


def test_a_form_with_the_token_is_accepted(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    name = unique_name("Mit Token")
    response = admin.post("/admin/users", new_account_form(name))
    assert response.status_code == 303
    assert name in admin.get("/admin/users").text


def test_a_fetch_without_the_header_gets_a_json_403(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    response = admin.post("/admin/users/role", json={"name": "Emil Redakteur", "role": "admin"}, csrf=False)
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.json()["error"]


def test_a_fetch_with_a_wrong_header_gets_a_json_403(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    response = admin.post(
        "/admin/logout", json={}, csrf=False, headers={"x-csrf-token": "falsch", "sec-fetch-mode": "cors"}
    )
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.json()["error"]
    assert admin.get("/admin").status_code == 200


def test_logging_out_needs_the_token_too(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    assert admin.post("/admin/logout", csrf=False).status_code == 403
    assert admin.get("/admin").status_code == 200


def test_the_sign_in_form_without_its_token_is_refused(staff_server: StaffServer) -> None:
    response = httpx.post(
        f"{staff_server.url}/admin/login", data={"name": "Ada Admin", "password": "admin-passwort-2024"}, timeout=30
    )
    assert response.status_code == 403
    assert CSRF_MESSAGE in response.text
    assert "wegweiser_staff=" not in response.headers.get("set-cookie", "")


def test_the_sign_in_form_with_a_token_that_is_not_its_cookie_is_refused(staff_server: StaffServer) -> None:
    response = httpx.post(
        f"{staff_server.url}/admin/login",
        data={"name": "Ada Admin", "password": "admin-passwort-2024", "csrf_token": "a" * 43},
        headers={"cookie": f"wegweiser_staff_login={'b' * 43}"},
        timeout=30,
    )
    assert response.status_code == 403
