"""Managing accounts: the admin pages, the ``wegweiser admin`` command and the audit log they write to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from bot.staff.accounts import Role
from tests.conftest import stop_server
from tests.staff.conftest import StaffClient, StaffServer, audit_rows, sign_in, start_staff_server, unique_name

SignedIn = Callable[[Role], StaffClient]
PASSWORD = "ein-gutes-passwort"
MARKUP = "<script>alert(1)</script>"
def new_account(name: str, role: str = "editor", password: str = PASSWORD) -> dict[str, str]:
    return {"name": name, "role": role, "password": password, "password_repeat": password}


def test_every_change_of_an_account_is_in_the_audit_log_newest_first(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    name = unique_name("Protokolliert")
    admin.post("/admin/users", new_account(name))
    admin.post("/admin/users/role", {"name": name, "role": "counsellor"})
    admin.post("/admin/users/status", {"name": name, "disabled": "1"})
    admin.post("/admin/users/status", {"name": name, "disabled": "0"})
    new_password = {"name": name, "password": "neues-passwort-1", "password_repeat": "neues-passwort-1"}
    admin.post("/admin/users/password", new_password)
    rows = [row for row in audit_rows(admin) if row["target"] == name]
    assert [row["action"] for row in rows] == [
        "user.password",
        "user.enable",
        "user.disable",
        "user.role",
        "user.create",
    ]
    assert {row["actor"] for row in rows} == {"Ada Admin"}
    assert rows[3]["detail"] == "Redaktion → Beratung"
    assert rows[4]["detail"] == "Rolle: Redaktion"


def test_accounts_made_on_the_command_line_are_in_the_audit_log(
    staff_server: StaffServer, staff_client: SignedIn
) -> None:
    name = unique_name("Von der Konsole")
    staff_server.create_account(name, Role.COUNSELLOR, PASSWORD)
    assert staff_server.admin("set-password", name, password="ein-anderes-passwort").returncode == 0
    rows = [row for row in audit_rows(staff_client(Role.ADMIN)) if row["target"] == name]
    assert [(row["actor"], row["action"]) for row in rows] == [
        ("Kommandozeile", "user.password"),
        ("Kommandozeile", "user.create"),
    ]
    assert sign_in(staff_server.url, name, "ein-anderes-passwort").status_code == 303


def test_the_command_refuses_a_short_password(staff_server: StaffServer) -> None:
    result = staff_server.admin("create-user", unique_name("Kurz"), "--role", "editor", password="kurz")
    assert result.returncode == 1
    assert "mindestens 12 Zeichen" in result.stderr


def test_the_command_refuses_a_name_that_exists_in_other_case(staff_server: StaffServer) -> None:
    result = staff_server.admin("create-user", "ADA ADMIN", "--role", "editor", password=PASSWORD)
    assert result.returncode == 1
    assert "gibt es schon" in result.stderr


def test_the_command_cannot_set_the_password_of_nobody(staff_server: StaffServer) -> None:
    result = staff_server.admin("set-password", unique_name("Niemand"), password=PASSWORD)
    assert result.returncode == 1
    assert "gibt es nicht" in result.stderr


def test_a_new_account_gets_the_chosen_role(staff_server: StaffServer, staff_client: SignedIn) -> None:
    name = unique_name("Neu")
    staff_client(Role.ADMIN).post("/admin/users", new_account(name, role="counsellor"))
    created = StaffClient.signed_in(staff_server.url, name, PASSWORD)
    assert ">Beratung<" in created.get("/admin").text
    created.close()


def test_mismatched_passwords_create_no_account(staff_client: SignedIn) -> None:
    admin = staff_client(Role.ADMIN)
    name = unique_name("Vertippt")
    response = admin.post("/admin/users", {**new_account(name), "password_repeat": "etwas-anderes-123"})
    assert response.status_code == 400
    assert "stimmen nicht überein" in response.text
    assert f">{name}<" not in admin.get("/admin/users").text


@pytest.fixture(scope="module")
def lone_admin(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[StaffClient]:
    """Signed in as the only admin of a server of its own."""
    server = start_staff_server(tmp_path_factory, data_dir, accounts=False)
    server.create_account("Einzige Admin", Role.ADMIN, PASSWORD)
    client = StaffClient.signed_in(server.url, "Einzige Admin", PASSWORD)
    yield client
    client.close()
    assert server.process is not None
    stop_server(server.process)


def test_the_last_active_admin_cannot_be_locked(lone_admin: StaffClient) -> None:
    response = lone_admin.post("/admin/users/status", {"name": "Einzige Admin", "disabled": "1"})
    assert response.status_code == 400
    assert "mindestens ein aktives Konto mit der Rolle Administration" in response.text
    assert lone_admin.get("/admin/users").status_code == 200


def test_the_last_active_admin_cannot_be_demoted(lone_admin: StaffClient) -> None:
    response = lone_admin.post("/admin/users/role", {"name": "Einzige Admin", "role": "editor"})
    assert response.status_code == 400
    assert lone_admin.get("/admin/users").status_code == 200


@pytest.mark.browser
def test_a_name_with_markup_is_shown_as_text(staff_page: Callable[[Role], Page]) -> None:
    page = staff_page(Role.ADMIN)
    dialogs: list[str] = []

    def note(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note)
    name = unique_name(MARKUP)
    page.goto("/admin/users")
    page.locator("#new-name").fill(name)
    page.locator("#new-role").select_option("editor")
    page.locator("#new-password").fill(PASSWORD)
    page.locator("#new-password-repeat").fill(PASSWORD)
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("status")).to_have_text("Das Konto wurde angelegt.")
    expect(page.locator(".account-title")).to_have_text(name)
    page.goto("/admin/users")
    expect(page.get_by_role("link", name=name)).to_be_visible()
    page.goto("/admin/audit")
    expect(page.get_by_role("cell", name=name, exact=True).first).to_be_visible()
    assert page.locator("main script").count() == 0
    assert dialogs == []
