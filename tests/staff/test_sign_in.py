"""Signing in and out of the staff area in headless Chromium against a running ``wegweiser serve``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from bot.staff.accounts import Role
from bot.staff.sessions import COOKIE
from tests.staff.conftest import StaffServer, new_page, sign_in_page, unique_name

pytestmark = pytest.mark.browser


def test_an_account_made_with_the_command_signs_in_in_chromium(browser: Browser, staff_server: StaffServer) -> None:
    name = unique_name("Neue Beraterin")
    staff_server.create_account(name, Role.COUNSELLOR, "ein-gutes-passwort")
    page = new_page(browser, staff_server.url)
    sign_in_page(page, name, "ein-gutes-passwort")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Guten Tag, {name}")
    expect(page.locator(".account-role")).to_have_text("Beratung")
    page.context.close()


def test_the_session_cookie_is_http_only_strict_secure_and_limited_to_admin(
    browser: Browser, staff_server: StaffServer
) -> None:
    page = new_page(browser, staff_server.url)
    sign_in_page(page, "Ada Admin", "admin-passwort-2024")
    [cookie] = [cookie for cookie in page.context.cookies() if cookie["name"] == COOKIE]
    assert cookie["httpOnly"] is True
    assert cookie["secure"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/admin"
    assert cookie["expires"] > 0
    page.context.close()


def test_a_wrong_password_shows_a_message_and_starts_no_session(browser: Browser, staff_server: StaffServer) -> None:
    page = new_page(browser, staff_server.url)
    page.goto("/admin/login")
    page.get_by_label("Name").fill("Ada Admin")
    page.get_by_label("Passwort").fill("falsches-passwort")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_have_text("Name oder Passwort ist falsch.")
    assert [cookie for cookie in page.context.cookies() if cookie["name"] == COOKIE] == []
    page.goto("/admin")
    expect(page).to_have_url(re.compile(r"/admin/login"))
    page.context.close()


def test_a_page_opened_before_signing_in_is_shown_after_it(browser: Browser, staff_server: StaffServer) -> None:
    page = new_page(browser, staff_server.url)
    page.goto("/admin/audit?page=1")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))
    page.get_by_label("Name").fill("Ada Admin")
    page.get_by_label("Passwort").fill("admin-passwort-2024")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/audit\?page=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll")
    page.context.close()


def test_signing_out_returns_to_the_sign_in_page(browser: Browser, staff_server: StaffServer) -> None:
    page = new_page(browser, staff_server.url)
    sign_in_page(page, "Emil Redakteur", "editor-passwort-2024")
    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/admin/login"))
    expect(page.get_by_role("status")).to_have_text("Sie haben sich abgemeldet.")
    page.goto("/admin")
    expect(page).to_have_url(re.compile(r"/admin/login"))
    page.context.close()
