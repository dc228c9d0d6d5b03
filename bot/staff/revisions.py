"""The revision history of the content store: who published what, when, and how the files looked before and after.

Revisions live in the state store, not in the data directory: every worker,
on every machine, must show the same history and be able to roll back to any
revision, and the store (SQLite in the data directory, or Redis) is the one
place they all share and that survives restarts. Each revision keeps snapshots
of the whole content directory before and after, so a rollback needs nothing
but the store; snapshots are gzipped JSON (about 40 kB for the present content,
the store takes values up to 1 MB), stored once per distinct content.

Namespace ``staff:content-revisions``::

    log                 queue of revisions, oldest first (JSON; a revision's number is its position + 1)
    snapshot:{digest}   gzipped JSON of {path: text} of every YAML file of the content directory
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Literal

from bot.store import StateStore

NAMESPACE = "staff:content-revisions"
_LOG = "log"
_SNAPSHOT = "snapshot:"
# Lines of unchanged context around each change in a diff.
CONTEXT_LINES = 2

Files = dict[str, str]
"""The YAML files of a content directory: text by POSIX path relative to it."""


@dataclass(frozen=True)
class Revision:
    number: int
    at: float
    actor: str
    summary: str
    changed: tuple[str, ...]
    before: str
    """Digest of the snapshot before the change."""
    after: str
    rollback_of: int | None = None

    def to_bytes(self) -> bytes:
        values = asdict(self)
        del values["number"]
        return json.dumps(values, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, number: int, raw: bytes) -> Revision:
        values = json.loads(raw)
        values["changed"] = tuple(values["changed"])
        return cls(number=number, **values)


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["hunk", "added", "removed", "context"]
    text: str


@dataclass(frozen=True)
class FileDiff:
    path: str
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(line.kind == "added" for line in self.lines)

    @property
    def removed(self) -> int:
        return sum(line.kind == "removed" for line in self.lines)


class RevisionLog:
    def __init__(self, store: StateStore) -> None:
        self._store = store

    async def keep(self, files: Files) -> str:
        """Store a snapshot of ``files`` (once per distinct content); returns its digest."""
        raw = json.dumps(files, sort_keys=True, ensure_ascii=False).encode()
        digest = hashlib.sha256(raw).hexdigest()[:32]
        await self._store.add(NAMESPACE, _SNAPSHOT + digest, gzip.compress(raw, mtime=0))
        return digest

    async def snapshot(self, digest: str) -> Files | None:
        raw = await self._store.get(NAMESPACE, _SNAPSHOT + digest)
        return json.loads(gzip.decompress(raw)) if raw is not None else None

    async def append(
        self, actor: str, summary: str, before: str, after: str, changed: tuple[str, ...], rollback_of: int | None
    ) -> Revision:
        """Record a published change between the snapshots ``before`` and ``after`` (kept with :meth:`keep`)."""
        revision = Revision(0, time.time(), actor, summary, changed, before, after, rollback_of)
        number = await self._store.push(NAMESPACE, _LOG, revision.to_bytes())
        return Revision(number, revision.at, actor, summary, changed, before, after, rollback_of)

    async def count(self) -> int:
        return await self._store.length(NAMESPACE, _LOG)

    async def newest(self, limit: int, skip: int = 0) -> list[Revision]:
        """Up to ``limit`` revisions, newest first, after the ``skip`` newest."""
        total = await self.count()
        last = total - skip
        first = max(0, last - limit)
        if last <= 0 or limit <= 0:
            return []
        raw = await self._store.range(NAMESPACE, _LOG, first, last - 1)
        return [Revision.from_bytes(first + offset + 1, value) for offset, value in reversed(list(enumerate(raw)))]

    async def get(self, number: int) -> Revision | None:
        if number < 1:
            return None
        raw = await self._store.range(NAMESPACE, _LOG, number - 1, number - 1)
        return Revision.from_bytes(number, raw[0]) if raw else None


def changed_paths(before: Files, after: Files) -> tuple[str, ...]:
    return tuple(sorted(path for path in {*before, *after} if before.get(path) != after.get(path)))


def diff(before: Files, after: Files) -> list[FileDiff]:
    """The changed lines of every changed file, with a little context."""
    diffs = []
    for path in changed_paths(before, after):
        old = before.get(path, "").splitlines()
        new = after.get(path, "").splitlines()
        lines = []
        for line in list(difflib.unified_diff(old, new, lineterm="", n=CONTEXT_LINES))[2:]:
            if line.startswith("@@"):
                lines.append(DiffLine("hunk", _hunk_heading(line)))
            elif line.startswith("+"):
                lines.append(DiffLine("added", line[1:]))
            elif line.startswith("-"):
                lines.append(DiffLine("removed", line[1:]))
            else:
                lines.append(DiffLine("context", line[1:]))
        diffs.append(FileDiff(path, lines))
    return diffs


def _hunk_heading(line: str) -> str:
    """``@@ -40,3 +40,5 @@`` as staff read it."""
    new_start = line.split("+", 1)[1].split(",", 1)[0].split(" ", 1)[0]
    return f"ab Zeile {new_start}"
