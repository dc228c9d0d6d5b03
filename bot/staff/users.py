"""``/admin/users``: admins list, create and change staff accounts.

Accounts are addressed by name in the query (``/admin/users/edit?name=...``)
and in form fields, never in the path, because a name may hold any
character, ``/`` included. Each change is one small form posting to its own
endpoint, which redirects back to the account's page (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.staff.accounts import Account, AccountError, Accounts, Role
from bot.staff.forms import read_form
from bot.staff.guard import requires
from bot.staff.identity import accounts, current_user
from bot.staff.pages import NO_STORE, render
from bot.staff.passwords import MIN_LENGTH, PasswordRejected

USERS_PATH = "/admin/users"
EDIT_PATH = "/admin/users/edit"

DONE_MESSAGES = {
    "created": "Das Konto wurde angelegt.",
    "role": "Die Rolle wurde geändert.",
    "disabled": "Das Konto wurde gesperrt. Angemeldete Sitzungen sind beendet.",
    "enabled": "Das Konto wurde entsperrt.",
    "password": "Das Passwort wurde neu gesetzt. Angemeldete Sitzungen sind beendet.",
}


@requires(Role.ADMIN)
async def users_page(request: Request) -> Response:
    return await _users(request)


@requires(Role.ADMIN)
async def create_user(request: Request) -> Response:
    form = await read_form(request)
    name = str(form.get("name", ""))
    role = _role(form)
    try:
        if str(form.get("password", "")) != str(form.get("password_repeat", "")):
            raise PasswordRejected("Die beiden Passwörter stimmen nicht überein.")
        if role is None:
            raise AccountError("Bitte wählen Sie eine Rolle.")
        account = await accounts(request).create(current_user(request).name, name, role, str(form.get("password")))
    except (AccountError, PasswordRejected) as refused:
        return await _users(request, error=str(refused), entered={"name": name, "role": role}, status=400)
    return _to_account(account, "created")


@requires(Role.ADMIN)
async def edit_user_page(request: Request) -> Response:
    account = await accounts(request).get(request.query_params.get("name", ""))
    if account is None:
        return render(request, "message.html", _unknown_account(), 404)
    done = DONE_MESSAGES.get(request.query_params.get("done", ""))
    return _edit_page(request, account, notice=done)


@requires(Role.ADMIN)
async def change_role(request: Request) -> Response:
    async def change(store: Accounts, actor: str, name: str, form: FormData) -> Account:
        role = _role(form)
        if role is None:
            raise AccountError("Bitte wählen Sie eine Rolle.")
        return await store.set_role(actor, name, role)

    return await _change(request, change, "role")


@requires(Role.ADMIN)
async def change_status(request: Request) -> Response:
    async def change(store: Accounts, actor: str, name: str, form: FormData) -> Account:
        return await store.set_disabled(actor, name, form.get("disabled") == "1")

    return await _change(request, change, None)


@requires(Role.ADMIN)
async def reset_password(request: Request) -> Response:
    async def change(store: Accounts, actor: str, name: str, form: FormData) -> Account:
        password = str(form.get("password", ""))
        if password != str(form.get("password_repeat", "")):
            raise PasswordRejected("Die beiden Passwörter stimmen nicht überein.")
        return await store.set_password(actor, name, password)

    return await _change(request, change, "password")


Change = Callable[[Accounts, str, str, FormData], Awaitable[Account]]


async def _change(request: Request, change: Change, done: str | None) -> Response:
    """Apply ``change`` to the account named in the form; back to its page with a notice, or the error."""
    form = await read_form(request)
    store = accounts(request)
    name = str(form.get("name", ""))
    account = await store.get(name)
    if account is None:
        return render(request, "message.html", _unknown_account(), 404)
    try:
        changed = await change(store, current_user(request).name, account.name, form)
    except (AccountError, PasswordRejected) as refused:
        return _edit_page(request, account, error=str(refused), status=400)
    return _to_account(changed, done or ("disabled" if changed.disabled else "enabled"))


async def _users(
    request: Request, error: str | None = None, entered: dict[str, Any] | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "users.html",
        {
            "accounts": await accounts(request).all(),
            "roles": list(Role),
            "error": error,
            "entered": entered or {"name": "", "role": None},
            "min_length": MIN_LENGTH,
            "edit_path": EDIT_PATH,
        },
        status,
    )


def _edit_page(
    request: Request, account: Account, notice: str | None = None, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "user.html",
        {
            "account": account,
            "roles": list(Role),
            "notice": notice,
            "error": error,
            "min_length": MIN_LENGTH,
            "is_self": account.key == current_user(request).key,
        },
        status,
    )


def _to_account(account: Account, done: str) -> Response:
    query = urlencode({"name": account.name, "done": done})
    return RedirectResponse(f"{EDIT_PATH}?{query}", status_code=303, headers=NO_STORE)


def _role(form: FormData) -> Role | None:
    try:
        return Role(str(form.get("role", "")))
    except ValueError:
        return None


def _unknown_account() -> dict[str, Any]:
    return {
        "title": "Konto nicht gefunden",
        "message": "Dieses Konto gibt es nicht.",
        "link": (USERS_PATH, "Zur Benutzerliste"),
    }
