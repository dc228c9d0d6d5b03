"""Staff accounts and their roles, kept in the state store so that every worker sees the same ones.

An account is stored under the case-folded form of its name (``Anna`` and
``anna`` are one account) in the namespace ``staff:accounts``. Every change
goes through :class:`Accounts`, which writes it to the audit log; changes
that could leave nobody able to manage accounts are refused.
"""

from __future__ import annotations

import asyncio
import json
import time
import unicodedata
from collections.abc import Collection
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from bot.staff.audit import AuditLog
from bot.staff.passwords import check_rules, hash_password, verify
from bot.store import StateStore

NAMESPACE = "staff:accounts"
MAX_NAME_LENGTH = 64
# Serialises read-modify-write changes of accounts across workers.
_CHANGES_LOCK = "changes"
_LOCK_TTL_SECONDS = 30.0


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    COUNSELLOR = "counsellor"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]

    def may(self, allowed: Collection[Role]) -> bool:
        """Whether this role may use what ``allowed`` names; admins may use everything, and empty means all staff."""
        return self is Role.ADMIN or not allowed or self in allowed


_ROLE_LABELS = {Role.ADMIN: "Administration", Role.EDITOR: "Redaktion", Role.COUNSELLOR: "Beratung"}


class AccountError(ValueError):
    """A change of accounts was refused; the message says why, in German, for the staff."""


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    password_hash: str
    created_at: float
    disabled: bool = False
    # Raised when the password changes or the account is disabled: older sign-ins stop counting.
    credentials_version: int = 0

    @property
    def key(self) -> str:
        return account_key(self.name)

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Account:
        fields = json.loads(raw)
        return cls(**{**fields, "role": Role(fields["role"])})


@dataclass(frozen=True)
class SignInAttempt:
    """The outcome of checking a name and password: the account when both are right and it is enabled."""

    account: Account | None
    disabled: bool = False


def normalise_name(raw: str) -> str:
    """The account name as stored and shown, or :class:`AccountError` if it cannot be one."""
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise AccountError("Bitte geben Sie einen Namen an.")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(f"Der Name darf höchstens {MAX_NAME_LENGTH} Zeichen lang sein.")
    if any(unicodedata.category(character) in {"Cc", "Cf", "Zl", "Zp"} for character in name):
        raise AccountError("Der Name darf keine Steuerzeichen oder Zeilenumbrüche enthalten.")
    return name


def account_key(name: str) -> str:
    return normalise_name(name).casefold()


class Accounts:
    """Reading, checking and changing staff accounts; ``actor`` names who changes them, for the audit log."""

    def __init__(self, store: StateStore) -> None:
        self._store = store
        self._audit = AuditLog(store)

    async def get(self, name: str) -> Account | None:
        try:
            key = account_key(name)
        except AccountError:
            return None
        return await self.by_key(key)

    async def by_key(self, key: str) -> Account | None:
        raw = await self._store.get(NAMESPACE, key)
        return Account.from_bytes(raw) if raw is not None else None

    async def all(self) -> list[Account]:
        accounts = []
        for key in await self._store.keys(NAMESPACE):
            raw = await self._store.get(NAMESPACE, key)
            if raw is not None:
                accounts.append(Account.from_bytes(raw))
        return sorted(accounts, key=lambda account: account.key)

    async def check_sign_in(self, name: str, password: str) -> SignInAttempt:
        """Check a sign-in; a stale password hash is upgraded on success."""
        account = await self.get(name)
        check = await asyncio.to_thread(verify, account.password_hash if account else None, password)
        if account is None or not check.matches:
            return SignInAttempt(None)
        if account.disabled:
            return SignInAttempt(None, disabled=True)
        if check.new_hash is not None:
            async with self._changes():
                current = await self.get(account.name)
                if current is not None and current.password_hash == account.password_hash:
                    account = replace(current, password_hash=check.new_hash)
                    await self._put(account)
        return SignInAttempt(account)

    async def create(self, actor: str, name: str, role: Role, password: str) -> Account:
        name = normalise_name(name)
        check_rules(password)
        account = Account(name, role, await asyncio.to_thread(hash_password, password), time.time())
        if not await self._store.add(NAMESPACE, account.key, account.to_bytes()):
            raise AccountError("Ein Konto mit diesem Namen gibt es schon.")
        await self._audit.record(actor, "user.create", account.name, f"Rolle: {role.label}")
        return account

    async def set_role(self, actor: str, name: str, role: Role) -> Account:
        async with self._changes():
            account = await self._existing(name)
            if account.role is role:
                return account
            if role is not Role.ADMIN:
                await self._keep_an_admin(account)
            changed = replace(account, role=role)
            await self._put(changed)
        await self._audit.record(actor, "user.role", account.name, f"{account.role.label} → {role.label}")
        return changed

    async def set_disabled(self, actor: str, name: str, disabled: bool) -> Account:
        async with self._changes():
            account = await self._existing(name)
            if account.disabled is disabled:
                return account
            if disabled:
                await self._keep_an_admin(account)
            changed = replace(
                account, disabled=disabled, credentials_version=account.credentials_version + int(disabled)
            )
            await self._put(changed)
        await self._audit.record(actor, "user.disable" if disabled else "user.enable", account.name)
        return changed

    async def set_password(self, actor: str, name: str, password: str) -> Account:
        check_rules(password)
        password_hash = await asyncio.to_thread(hash_password, password)
        async with self._changes():
            account = await self._existing(name)
            changed = replace(
                account, password_hash=password_hash, credentials_version=account.credentials_version + 1
            )
            await self._put(changed)
        await self._audit.record(actor, "user.password", account.name)
        return changed

    async def _existing(self, name: str) -> Account:
        account = await self.get(name)
        if account is None:
            raise AccountError("Dieses Konto gibt es nicht.")
        return account

    async def _keep_an_admin(self, leaving: Account) -> None:
        """Refuse to take the last enabled admin away (nobody could manage accounts on the web any more)."""
        if leaving.role is not Role.ADMIN or leaving.disabled:
            return
        others = [
            account
            for account in await self.all()
            if account.role is Role.ADMIN and not account.disabled and account.key != leaving.key
        ]
        if not others:
            raise AccountError("Es muss mindestens ein aktives Konto mit der Rolle Administration bleiben.")

    async def _put(self, account: Account) -> None:
        await self._store.put(NAMESPACE, account.key, account.to_bytes())

    def _changes(self) -> AbstractAsyncContextManager[None]:
        return self._store.lock(NAMESPACE, _CHANGES_LOCK, _LOCK_TTL_SECONDS)
