"""Fixtures for the staff area's tests, and for the tests of the staff pages built on it (inbox, content, training).

- ``staff_server`` (session): a running ``wegweiser serve`` with its own state
  store and one account per role, made with ``wegweiser admin create-user``;
  ``STAFF_ACCOUNTS[role]`` holds each account's name and password.
- ``staff_client`` (factory): ``staff_client(Role.EDITOR)`` is an httpx client
  signed in as that role, which sends the session's CSRF token with ``post``.
- ``staff_page`` (factory): ``staff_page(Role.COUNSELLOR)`` is a Playwright page
  in headless Chromium, signed in through the sign-in form.
- ``browser`` (module): headless Chromium, the same fixture as tests/browser.
- helpers: ``sign_in`` (post the sign-in form), ``set_cookies`` (a response's
  cookies with attributes), ``audit_rows`` (the audit page as rows),
  ``unique_name``, ``start_staff_server`` (a server with other settings).

The session cookie is ``Secure`` (the default setting): headless Chromium keeps
it on http://127.0.0.1, which counts as a secure origin, but httpx's cookie jar
does not send it over plain HTTP, so the httpx helpers set the ``cookie``
header themselves.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import Morsel, SimpleCookie
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from bot.staff.accounts import Role
from bot.staff.csrf import LOGIN_COOKIE
from bot.staff.sessions import COOKIE
from tests.browser.conftest import TIMEOUT_MS, browser
from tests.conftest import PROJECT_ROOT, WEGWEISER, start_server, stop_server, wegweiser_env

__all__ = ["browser"]

LAPTOP_VIEWPORT = {"width": 1280, "height": 800}
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
_LOGIN_FIELD = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]*)">')
_AUDIT_ROW = re.compile(
    r'<td>(?P<actor>[^<]*)</td>\s*<td data-action="(?P<action>[^"]*)">[^<]*</td>\s*'
    r"<td>(?P<target>[^<]*)</td>\s*<td>(?P<detail>[^<]*)</td>"
)


@dataclass(frozen=True)
class Credentials:
    name: str
    password: str


STAFF_ACCOUNTS = {
    Role.ADMIN: Credentials("Ada Admin", "admin-passwort-2024"),
    Role.EDITOR: Credentials("Emil Redakteur", "editor-passwort-2024"),
    Role.COUNSELLOR: Credentials("Clara Beraterin", "berater-passwort-2024"),
}


@dataclass
class StaffServer:
    """A running ``wegweiser serve`` and the environment its ``wegweiser admin`` commands need."""

    url: str
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def admin(self, *arguments: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``wegweiser admin ...`` against this server's store; ``password`` goes to stdin."""
        command = [*WEGWEISER, "admin", *arguments]
        if password is not None:
            command.append("--password-stdin")
        return subprocess.run(
            command,
            input=f"{password}\n" if password is not None else "",
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def create_account(self, name: str, role: Role, password: str) -> None:
        result = self.admin("create-user", name, "--role", role.value, password=password)
        assert result.returncode == 0, result.stderr


def staff_data_dir(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """A data directory of its own (own embedded store) that shares the session's trained model."""
    directory = tmp_path_factory.mktemp("staff-var")
    (directory / "models").symlink_to(data_dir / "models", target_is_directory=True)
    return directory


def start_staff_server(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, accounts: bool = True, **settings: str
) -> StaffServer:
    """Start a server with its own store and ``settings`` (``WEGWEISER_*``); with one account per role."""
    directory = staff_data_dir(tmp_path_factory, data_dir)
    server = StaffServer("", wegweiser_env(directory, **settings))
    if accounts:
        for role, credentials in STAFF_ACCOUNTS.items():
            server.create_account(credentials.name, role, credentials.password)
    server.process, server.url = start_server(directory, log_to=directory / "serve.log", **settings)
    return server


@pytest.fixture(scope="session")
def staff_server(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[StaffServer]:
    # Every test signs in from 127.0.0.1: the per-address limit is tested on a server of its own.
    server = start_staff_server(tmp_path_factory, data_dir, WEGWEISER_STAFF_LOGIN_ATTEMPTS_PER_ADDRESS="100000")
    yield server
    assert server.process is not None
    stop_server(server.process)


def unique_name(prefix: str) -> str:
    """An account name no other test uses (tests share one server and its accounts)."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def set_cookies(response: httpx.Response) -> dict[str, Morsel[str]]:
    """The cookies ``response`` sets, with their attributes."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return dict(jar)


def sign_in(url: str, name: str, password: str, next_page: str | None = None) -> httpx.Response:
    """Post the sign-in form as a browser would (sign-in token in cookie and form); redirects are not followed."""
    page = httpx.get(f"{url}/admin/login", timeout=30)
    form_token = _LOGIN_FIELD.search(page.text)
    assert form_token is not None, "the sign-in page has no CSRF field"
    fields = {"csrf_token": form_token.group(1), "name": name, "password": password}
    if next_page is not None:
        fields["next"] = next_page
    return httpx.post(
        f"{url}/admin/login",
        data=fields,
        headers={"cookie": f"{LOGIN_COOKIE}={set_cookies(page)[LOGIN_COOKIE].value}"},
        timeout=30,
    )


class StaffClient:
    """An httpx client with a staff session: ``post`` adds the session's CSRF token unless told not to."""

    def __init__(self, url: str, session_token: str) -> None:
        self.session_token = session_token
        self.http = httpx.Client(base_url=url, headers={"cookie": f"{COOKIE}={session_token}"}, timeout=30)
        home = self.http.get("/admin")
        assert home.status_code == 200, f"the session does not open /admin: {home.status_code}"
        match = _CSRF_META.search(home.text)
        assert match is not None and match.group(1), "the start page has no CSRF token"
        self.csrf_token = match.group(1)

    @classmethod
    def signed_in(cls, url: str, name: str, password: str) -> StaffClient:
        response = sign_in(url, name, password)
        assert response.status_code == 303, f"sign-in as {name} failed with {response.status_code}"
        return cls(url, set_cookies(response)[COOKIE].value)

    def get(self, path: str, **options: Any) -> httpx.Response:
        return self.http.get(path, **options)

    def post(self, path: str, data: dict[str, str] | None = None, csrf: bool = True, **options: Any) -> httpx.Response:
        """Post a form (``data``, with the field ``csrf_token``) or, with ``json=...``, JSON (with the header)."""
        if "json" in options:
            headers = {"x-csrf-token": self.csrf_token} if csrf else {}
            return self.http.post(path, headers={**headers, **options.pop("headers", {})}, **options)
        fields = {**(data or {}), **({"csrf_token": self.csrf_token} if csrf else {})}
        return self.http.post(path, data=fields, **options)

    def close(self) -> None:
        self.http.close()


def audit_rows(client: StaffClient) -> list[dict[str, str]]:
    """The rows of the first audit page (newest first): actor, action code, target, detail, still HTML-escaped."""
    return [match.groupdict() for match in _AUDIT_ROW.finditer(client.get("/admin/audit").text)]


@pytest.fixture
def staff_client(staff_server: StaffServer) -> Iterator[Callable[[Role], StaffClient]]:
    clients: list[StaffClient] = []

    def signed_in_as(role: Role) -> StaffClient:
        credentials = STAFF_ACCOUNTS[role]
        client = StaffClient.signed_in(staff_server.url, credentials.name, credentials.password)
        clients.append(client)
        return client

    yield signed_in_as
    for client in clients:
        client.close()


def new_page(browser: Browser, url: str, viewport: dict[str, int] = LAPTOP_VIEWPORT) -> Page:
    context = browser.new_context(base_url=url, viewport=viewport, locale="de-DE", reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def sign_in_page(page: Page, name: str, password: str) -> None:
    """Sign in through the form and wait for the start page."""
    page.goto("/admin/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/admin$"))


@pytest.fixture
def staff_page(browser: Browser, staff_server: StaffServer) -> Iterator[Callable[[Role], Page]]:
    pages: list[Page] = []

    def signed_in_as(role: Role) -> Page:
        page = new_page(browser, staff_server.url)
        pages.append(page)
        credentials = STAFF_ACCOUNTS[role]
        sign_in_page(page, credentials.name, credentials.password)
        return page

    yield signed_in_as
    for page in pages:
        page.context.close()
