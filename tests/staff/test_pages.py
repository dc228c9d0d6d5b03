"""The staff pages in Chromium: no policy violations or script errors, and usable on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page

from bot.staff.accounts import Role
from tests.browser.conftest import PHONE_VIEWPORT
from tests.staff.conftest import STAFF_ACCOUNTS, StaffServer, new_page, sign_in_page

pytestmark = pytest.mark.browser

ADMIN_PAGES = ["/admin", "/admin/users", "/admin/users/edit?name=Emil%20Redakteur", "/admin/audit"]


def problems_while_visiting(page: Page, paths: list[str]) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    return problems


def test_admin_pages_run_without_console_errors_or_policy_violations(staff_page: Callable[[Role], Page]) -> None:
    assert problems_while_visiting(staff_page(Role.ADMIN), ADMIN_PAGES) == []


def test_the_sign_in_page_runs_without_console_errors(browser: Browser, staff_server: StaffServer) -> None:
    page = new_page(browser, staff_server.url)
    assert problems_while_visiting(page, ["/admin/login"]) == []
    page.context.close()


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_pages_fit_a_phone_screen_without_sideways_scrolling(
    browser: Browser, staff_server: StaffServer, path: str
) -> None:
    page = new_page(browser, staff_server.url, viewport=PHONE_VIEWPORT)
    credentials = STAFF_ACCOUNTS[Role.ADMIN]
    sign_in_page(page, credentials.name, credentials.password)
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.context.close()


def test_pages_load_their_style_and_script_from_the_staff_area(staff_page: Callable[[Role], Page]) -> None:
    page = staff_page(Role.EDITOR)
    loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => new URL(entry.name).pathname)")
    assert "/admin/static/staff.css" in loaded
    assert "/admin/static/staff.js" in loaded
    assert page.evaluate("typeof window.wegweiserStaff.fetch") == "function"
