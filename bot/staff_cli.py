"""The ``wegweiser admin`` commands: staff accounts from the server's command line.

``wegweiser admin create-user NAME --role admin|editor|counsellor`` makes the
first admin (and any other account); ``wegweiser admin set-password NAME``
sets a new password, for example when the last admin forgot theirs. The
password comes from standard input with ``--password-stdin`` (one line), or
is asked for twice without echo. Both write to the state store the server
uses (the same ``WEGWEISER_DATA_DIR`` or ``WEGWEISER_REDIS_URL``) and to the
audit log, as the actor "Kommandozeile".
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable

from bot.config import Settings
from bot.staff.accounts import AccountError, Accounts, Role
from bot.staff.audit import COMMAND_LINE_ACTOR
from bot.staff.passwords import PasswordRejected

# A change of accounts, given them and the password read; returns what to tell the person at the terminal.
_Change = Callable[[Accounts, str], Awaitable[str]]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the ``admin`` command group; every handler is called as ``handler(arguments, settings)``."""
    admin = subparsers.add_parser("admin", help="staff accounts of the staff area at /admin")
    actions = admin.add_subparsers(dest="admin_command", required=True)
    create = actions.add_parser("create-user", help="create a staff account")
    create.add_argument("name")
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--password-stdin", action="store_true", help="read the password from the first stdin line")
    create.set_defaults(handler=create_user_command)
    password = actions.add_parser("set-password", help="set a new password for a staff account")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true", help="read the password from the first stdin line")
    password.set_defaults(handler=set_password_command)


def create_user_command(arguments: argparse.Namespace, settings: Settings) -> int:
    async def create(accounts: Accounts, password: str) -> str:
        account = await accounts.create(COMMAND_LINE_ACTOR, arguments.name, Role(arguments.role), password)
        return f"Konto {account.name} ({account.role.label}) angelegt."

    return _run(settings, arguments.password_stdin, create)


def set_password_command(arguments: argparse.Namespace, settings: Settings) -> int:
    async def set_password(accounts: Accounts, password: str) -> str:
        account = await accounts.set_password(COMMAND_LINE_ACTOR, arguments.name, password)
        return f"Neues Passwort für {account.name} gesetzt; angemeldete Sitzungen sind beendet."

    return _run(settings, arguments.password_stdin, set_password)


def _run(settings: Settings, from_stdin: bool, change: _Change) -> int:
    password = _read_password(from_stdin)
    if password is None:
        return 1
    try:
        print(asyncio.run(_with_accounts(settings, password, change)))
    except (AccountError, PasswordRejected) as refused:
        print(refused, file=sys.stderr)
        return 1
    return 0


async def _with_accounts(settings: Settings, password: str, change: _Change) -> str:
    # Imported here: the assembly pulls in the NLU stack, which every other ``wegweiser`` command would pay for.
    from bot.assembly import open_store

    store = open_store(settings)
    try:
        return await change(Accounts(store), password)
    finally:
        await store.close()


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        print("Die beiden Passwörter stimmen nicht überein.", file=sys.stderr)
        return None
    return first

