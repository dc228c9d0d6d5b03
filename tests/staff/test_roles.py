"""Who may see what: roles, the navigation each role sees, and what happens without a sign-in."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from bot.staff.accounts import Role
from bot.staff.navigation import sections_for
from tests.staff.conftest import StaffClient, StaffServer

SignedIn = Callable[[Role], StaffClient]


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit", "/admin/users/edit?name=Ada%20Admin"])
def test_an_editor_gets_403_on_admin_pages(staff_client: SignedIn, path: str) -> None:
    response = staff_client(Role.EDITOR).get(path)
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.text
    assert "Sie sind mit der Rolle Redaktion angemeldet." in response.text


def test_a_counsellor_cannot_create_accounts(staff_client: SignedIn) -> None:
    counsellor = staff_client(Role.COUNSELLOR)
    fields = {"name": "Heimlich", "role": "admin", "password": "ein-gutes-passwort", "password_repeat": "x"}
    assert counsellor.post("/admin/users", fields).status_code == 403


def test_a_script_asking_for_a_role_it_lacks_gets_a_json_403(staff_client: SignedIn) -> None:
    response = staff_client(Role.EDITOR).get("/admin/users", headers={"accept": "application/json"})
    assert response.status_code == 403
    assert "Redaktion" in response.json()["error"]


def test_a_page_opened_without_a_session_leads_to_the_sign_in(staff_server: StaffServer) -> None:
    response = httpx.get(f"{staff_server.url}/admin/users", timeout=30)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?next=%2Fadmin%2Fusers"


@pytest.mark.parametrize(
    "headers",
    [{"accept": "application/json"}, {"accept": "text/event-stream"}, {"accept": "*/*", "sec-fetch-mode": "cors"}],
)
def test_a_script_without_a_session_gets_401_json(staff_server: StaffServer, headers: dict[str, str]) -> None:
    response = httpx.get(f"{staff_server.url}/admin", headers=headers, timeout=30)
    assert response.status_code == 401
    assert response.json() == {"error": "Bitte melden Sie sich an."}


def test_a_form_posted_without_a_session_leads_to_the_sign_in(staff_server: StaffServer) -> None:
    response = httpx.post(f"{staff_server.url}/admin/users", data={"name": "x"}, timeout=30)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"


def test_a_stolen_looking_cookie_is_no_session(staff_server: StaffServer) -> None:
    response = httpx.get(f"{staff_server.url}/admin", headers={"cookie": "wegweiser_staff=erfunden"}, timeout=30)
    assert response.status_code == 303


@pytest.mark.browser
@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_shows_only_what_the_role_may_use(staff_page: Callable[[Role], Page], role: Role) -> None:
    page = staff_page(role)
    shown = page.get_by_role("navigation", name="Bereiche").get_by_role("link").all_inner_texts()
    assert shown == ["Start", *(section.title for section in sections_for(role))]
    assert ("Benutzer" in shown) is (role is Role.ADMIN)
    assert ("Protokoll" in shown) is (role is Role.ADMIN)


@pytest.mark.browser
def test_the_start_page_offers_the_member_s_sections(staff_page: Callable[[Role], Page]) -> None:
    page = staff_page(Role.EDITOR)
    expected = [section.title for section in sections_for(Role.EDITOR)]
    expect(page.locator(".cards").get_by_role("link")).to_have_text(expected)
    assert "Benutzer" not in expected


@pytest.mark.browser
def test_an_editor_opening_the_users_page_reads_why_not(staff_page: Callable[[Role], Page]) -> None:
    page = staff_page(Role.EDITOR)
    response = page.goto("/admin/users")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Keine Berechtigung")
    expect(page.get_by_role("alert")).to_contain_text("nur für die Rollen Administration freigegeben")
