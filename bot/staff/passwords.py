"""Staff passwords: argon2id hashes (argon2-cffi), checked off the event loop.

Hashing takes a noticeable fraction of a second on purpose, so the web
application calls these functions through :func:`asyncio.to_thread`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256

_hasher = PasswordHasher()


class PasswordRejected(ValueError):
    """A new password does not meet the rules; the message says which, in German, for the form."""


@dataclass(frozen=True)
class PasswordCheck:
    """The outcome of checking a password: whether it matched and, if so, a fresher hash to store."""

    matches: bool
    new_hash: str | None = None


def check_rules(password: str) -> None:
    """Raise :class:`PasswordRejected` unless ``password`` may become a staff password."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein.")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"Das Passwort darf höchstens {MAX_LENGTH} Zeichen lang sein.")
    if password != password.strip():
        raise PasswordRejected("Das Passwort darf nicht mit Leerzeichen beginnen oder enden.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> PasswordCheck:
    """Check ``password`` against ``password_hash`` (``None``: an unknown account, never matches).

    A match on a hash made with older parameters comes with a new hash, so that
    raising the parameters upgrades every account at its next sign-in.
    """
    if password_hash is None or len(password) > MAX_LENGTH:
        _verifies(_unknown_account_hash(), password[:MAX_LENGTH])
        return PasswordCheck(matches=False)
    if not _verifies(password_hash, password):
        return PasswordCheck(matches=False)
    if _hasher.check_needs_rehash(password_hash):
        return PasswordCheck(matches=True, new_hash=_hasher.hash(password))
    return PasswordCheck(matches=True)


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _unknown_account_hash() -> str:
    """Verified in place of a missing hash, so that a wrong name costs as long as a wrong password."""
    return _hasher.hash("wegweiser: no such account")
