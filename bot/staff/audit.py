"""The audit log: who changed what, and when, in the staff area.

Entries are appended to one queue in the state store, so every worker (and
the ``wegweiser admin`` command) writes to the same log, and they are kept
without expiry. Other staff modules record their changes through
:meth:`AuditLog.record`, inside a guarded endpoint as
``await audit_log(request).record(current_user(request).name, action, target, detail)``.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

from starlette.requests import Request

from bot.store import StateStore

NAMESPACE = "staff:audit"
_ENTRIES = "entries"
# The actor of changes made with the ``wegweiser admin`` command on the server.
COMMAND_LINE_ACTOR = "Kommandozeile"


@dataclass(frozen=True)
class AuditEntry:
    at: float
    actor: str
    action: str
    target: str
    detail: str = ""

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> AuditEntry:
        return cls(**json.loads(raw))


class AuditLog:
    def __init__(self, store: StateStore) -> None:
        self._store = store

    async def record(self, actor: str, action: str, target: str, detail: str = "") -> AuditEntry:
        """Append one entry; ``action`` is a short code such as ``user.create`` or ``content.edit``."""
        entry = AuditEntry(time.time(), actor, action, target, detail)
        await self._store.push(NAMESPACE, _ENTRIES, entry.to_bytes())
        return entry

    async def newest(self, limit: int, skip: int = 0) -> list[AuditEntry]:
        """Up to ``limit`` entries, newest first, after the ``skip`` newest."""
        if limit <= 0:
            return []
        raw = await self._store.range(NAMESPACE, _ENTRIES, -(skip + limit), -(skip + 1))
        return [AuditEntry.from_bytes(value) for value in reversed(raw)]

    async def count(self) -> int:
        return await self._store.length(NAMESPACE, _ENTRIES)


def audit_log(request: Request) -> AuditLog:
    return AuditLog(request.app.state.assistant.store)

