"""Who is asking: the staff member signed in on a request, looked up once per request.

The lookup reads the session cookie, the session record and the account
afresh on every request, so a changed role or a disabled account takes
effect at once on every worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from bot.config import Settings
from bot.staff.accounts import Account, Accounts
from bot.staff.sessions import COOKIE, Sessions, StaffSession
from bot.store import StateStore

_STATE_KEY = "staff_sign_in"


@dataclass(frozen=True)
class SignedIn:
    account: Account
    session: StaffSession


def store(request: Request) -> StateStore:
    return request.app.state.assistant.store


def settings(request: Request) -> Settings:
    return request.app.state.assistant.settings


def accounts(request: Request) -> Accounts:
    return Accounts(store(request))


def sessions(request: Request) -> Sessions:
    return Sessions(store(request), settings(request).staff_session_hours * 3600)


async def signed_in(request: Request) -> SignedIn | None:
    """The staff member signed in on ``request``, or None; looked up in the store once per request."""
    if not hasattr(request.state, _STATE_KEY):
        setattr(request.state, _STATE_KEY, await _look_up(request))
    return known_sign_in(request)


def known_sign_in(request: Request) -> SignedIn | None:
    """The sign-in :func:`signed_in` found on this request; None if nobody is signed in or it was not asked yet."""
    found: SignedIn | None = getattr(request.state, _STATE_KEY, None)
    return found


def current_user(request: Request) -> Account:
    """The signed-in account inside an endpoint behind :func:`bot.staff.guard.requires`."""
    found = known_sign_in(request)
    if found is None:
        raise RuntimeError("current_user() needs an endpoint behind bot.staff.guard.requires")
    return found.account


async def _look_up(request: Request) -> SignedIn | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    session = await sessions(request).find(token)
    if session is None:
        return None
    account = await accounts(request).by_key(session.account)
    if account is None or account.disabled or account.credentials_version != session.credentials_version:
        return None
    return SignedIn(account, session)
