"""Trying out and publishing a change of the content store, with its revision and audit entry.

A change is a function that edits a content directory in place. It always runs
on a copy of the current files in a temporary directory, which then has to pass
``wegweiser content check`` (the same check as the command); only then are the
changed files written to the content directory, each atomically, and published
through :mod:`bot.releases`, so every worker, also on other machines, answers
with them within seconds. A refused change writes nothing. Publishing holds a
lock in the state store, so two editors never interleave, and each change reads
the files as they are once it holds the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from actions.content_access import content_source
from bot.assembly import Assistant
from bot.policy import load_policy
from bot.releases import CONTENT, ReleaseRefused, Snapshot
from bot.staff.audit import AuditLog
from bot.staff.content_editor.preview import Preview, PreviewFailed, render_previews
from bot.staff.content_editor.problems import Finding, findings
from bot.staff.revisions import NAMESPACE, Files, Revision, RevisionLog, changed_paths
from content.check import check_content
from content.store import SOURCE_LANGUAGE, atomic_write

logger = logging.getLogger(__name__)

Change = Callable[[Path], list[Finding]]
"""Edits the content directory it is given and returns what it could not use of the staff's input (those values
stay as they were, so the check still reports on the rest); raises :class:`ChangeRefused` when it cannot be made."""

BUSY = "Gerade veröffentlicht jemand anderes eine Änderung. Bitte versuchen Sie es gleich noch einmal."
_PUBLISH_LOCK = "publish"
# Checking twice, writing and publishing take seconds; a worker that dies holds the lock no longer than this.
_LOCK_SECONDS = 120.0


class ChangeRefused(Exception):
    """The change was not published and nothing was written; ``findings`` say why."""

    def __init__(self, found: list[Finding]) -> None:
        self.findings = found
        super().__init__("; ".join(finding.message for finding in found))


class NothingChanged(Exception):
    """The change left every file as it was."""


def form_finding(
    message: str, key: str | None = None, language: str = SOURCE_LANGUAGE, where: str = "Formular"
) -> Finding:
    """An error in what staff typed (or met while publishing), for the field ``key`` or for the whole form."""
    return Finding(message, "error", language, key, where)


def refusal(message: str, key: str | None = None, language: str = SOURCE_LANGUAGE) -> ChangeRefused:
    """A refusal with one plain message, for the field ``key`` or for the whole form."""
    return ChangeRefused([form_finding(message, key, language)])


@dataclass(frozen=True)
class Draft:
    """A change tried out on a copy: its problems and, when it has no errors, the answers as the bot gives them."""

    findings: list[Finding]
    previews: list[Preview]
    preview_note: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.error]


@dataclass(frozen=True)
class Published:
    revision: Revision
    warnings: list[Finding]


class ContentPublisher:
    def __init__(self, assistant: Assistant) -> None:
        self._directory = assistant.settings.content_dir
        self._store = assistant.store
        self._releases = assistant.releases
        self._log = RevisionLog(assistant.store)
        self._audit = AuditLog(assistant.store)

    async def try_out(self, change: Change, language: str, intents: Sequence[str]) -> Draft:
        """Make ``change`` on a copy, check it and render ``intents`` in ``language``; nothing is written."""
        before = await asyncio.to_thread(read_files, self._directory)
        with tempfile.TemporaryDirectory(prefix="wegweiser-draft-") as work:
            directory = Path(work)
            try:
                _, found = await asyncio.to_thread(_prepare, directory, before, change)
            except ChangeRefused as refused:
                return Draft(refused.findings, [])
            if any(finding.error for finding in found):
                return Draft(found, [])
            try:
                return Draft(found, await render_previews(directory, language, intents))
            except PreviewFailed as failed:
                return Draft(found, [], f"Keine Vorschau: {failed}.")

    async def publish(
        self, actor: str, summary: str, change: Change, action: str, target: str, rollback_of: int | None = None
    ) -> Published:
        """Make ``change``, check, write and publish it, record the revision and the audit entry ``action``.

        Raises :class:`ChangeRefused` (nothing written) or :class:`NothingChanged`.
        """
        async with self._store.lock(NAMESPACE, _PUBLISH_LOCK, _LOCK_SECONDS, _LOCK_SECONDS):
            before = await asyncio.to_thread(read_files, self._directory)
            with tempfile.TemporaryDirectory(prefix="wegweiser-draft-") as work:
                after, found = await asyncio.to_thread(_prepare, Path(work), before, change)
            if any(finding.error for finding in found):
                raise ChangeRefused(found)
            changed = changed_paths(before, after)
            if not changed:
                raise NothingChanged()
            # Snapshots first: a store that refuses them stops the change before any file is written.
            before_digest = await self._log.keep(before)
            after_digest = await self._log.keep(after)
            await self._release(before, after)
            revision = await self._log.append(actor, summary, before_digest, after_digest, changed, rollback_of)
        await self._audit.record(actor, action, target, f"Revision {revision.number}: {', '.join(changed)}")
        return Published(revision, [finding for finding in found if not finding.error])


    async def _release(self, before: Files, after: Files) -> None:
        """Write ``after`` to the content directory and release it to every worker; ``before`` again if refused."""
        async with self._releases.changing(CONTENT):
            await asyncio.to_thread(_write, self._directory, after)
            try:
                await self._releases.publish_content()
            except ReleaseRefused as refused:
                # The draft passed the same check, so someone changed the files by hand meanwhile.
                await asyncio.to_thread(_write, self._directory, before)
                with contextlib.suppress(ReleaseRefused):
                    await self._releases.publish_content()
                problems = [form_finding(problem, where="Veröffentlichung") for problem in refused.problems]
                raise ChangeRefused(problems) from refused


def read_files(directory: Path) -> Files:
    return {path: data.decode("utf-8") for path, data in Snapshot.read(directory).files.items()}


def restore(files: Files) -> Change:
    """The change that brings a content directory back to ``files``."""

    def write(directory: Path) -> list[Finding]:
        _write_files(directory, read_files(directory), files)
        return []

    return write


def _prepare(directory: Path, before: Files, change: Change) -> tuple[Files, list[Finding]]:
    """``before`` written to ``directory`` and changed there; the files afterwards and their problems."""
    _write_files(directory, {}, before)
    unusable = change(directory)
    problems = check_content(directory, load_policy().intents)
    return read_files(directory), [*unusable, *findings(directory, problems)]


def _write(directory: Path, files: Files) -> None:
    """Bring the live content directory to ``files``; the bot on this worker switches to them at once."""
    content_source(directory).replace(lambda target: _write_files(target, read_files(target), files))


def _write_files(directory: Path, old: Files, new: Files) -> None:
    for path, text in new.items():
        if old.get(path) != text:
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, text)
    for path in old.keys() - new.keys():
        (directory / path).unlink(missing_ok=True)
