"""Retraining in the background, the comparison with the live model, and publishing the draft.

:meth:`Retraining.start` builds the draft's training data into a directory of the job and starts
:mod:`bot.staff.model_comparison` as a child process (training takes tens of seconds of CPU, which must not
hold up the worker's conversations). The job's progress and result live in the state store, so the page shows
them on every worker, and a heartbeat tells a running job from one whose worker died.

:meth:`Retraining.publish` takes the draft live, only when the job's comparison allows it and the draft is
still exactly what was trained: it writes the changed training files atomically, puts the trained model where
:func:`nlu.model_store.ensure_model` finds it, and publishes the training data
(:meth:`bot.releases.Releases.publish_training_data`), after which every worker answers with the new model
within seconds.

Store layout, namespace ``training``: ``job`` (the current or last :class:`Job`, JSON) and the lock
``job-start``. Files: ``<data_dir>/training/<job id>/`` (the draft's data and its model).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import shutil
import socket
import sys
import time
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.releases import TRAINING_DATA, Publication, ReleaseRefused, Releases
from bot.staff.model_comparison import Comparison
from bot.staff.training_draft import NAMESPACE, Built, Draft, write_files
from bot.store import StateStore
from nlu.model_store import model_path

logger = logging.getLogger(__name__)

_JOB = "job"
_START_LOCK = "job-start"
HEARTBEAT_SECONDS = 5.0
# A running job whose worker has not written for this long is taken to be dead.
STALE_SECONDS = 60.0
_ERROR_CHARACTERS = 2000
# The comparison comes as one line; it lists every lost emergency example.
_LINE_LIMIT = 16 * 1024 * 1024


class JobState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    PUBLISHED = "published"


STATE_LABELS = {
    JobState.RUNNING: "läuft",
    JobState.DONE: "fertig",
    JobState.FAILED: "fehlgeschlagen",
    JobState.PUBLISHED: "veröffentlicht",
}


class RetrainingError(Exception):
    """Retraining or publishing was refused; the message says why, in German, for the staff."""


@dataclass(frozen=True)
class Job:
    id: str
    actor: str
    started: float
    state: JobState
    step: str
    done: float
    heartbeat: float
    changes: int
    """How many changes of the draft the job trained on."""
    fingerprint: str
    """The fingerprint of the draft's training data the job trained on."""
    machine: str
    """The host that holds the job's files (its model)."""
    comparison: Comparison | None = None
    error: str | None = None
    finished: float | None = None
    published_by: str | None = None

    @property
    def alive(self) -> bool:
        return self.state is JobState.RUNNING and time.time() - self.heartbeat < STALE_SECONDS

    @property
    def abandoned(self) -> bool:
        """Running, but its worker stopped writing: it died or was stopped."""
        return self.state is JobState.RUNNING and not self.alive

    @property
    def publishable(self) -> bool:
        return self.state is JobState.DONE and self.comparison is not None and self.comparison.publishable

    def to_bytes(self) -> bytes:
        fields = asdict(self)
        fields["comparison"] = self.comparison.to_dict() if self.comparison is not None else None
        return json.dumps(fields, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Job:
        fields = json.loads(raw)
        comparison = fields.pop("comparison")
        return cls(
            **{
                **fields,
                "state": JobState(fields["state"]),
                "comparison": Comparison.from_dict(comparison) if comparison is not None else None,
            }
        )

    def shown(self) -> dict[str, Any]:
        """What the page's script polls: enough to tell that the page is out of date, and the progress."""
        return {
            "id": self.id,
            "state": self.state.value if not self.abandoned else "abandoned",
            "step": self.step,
            "done": self.done,
        }


class Retraining:
    """Retraining jobs of this worker and the shared job record; one job at a time among all workers."""

    def __init__(self, store: StateStore, settings: Settings, releases: Releases) -> None:
        self._store = store
        self._settings = settings
        self._releases = releases
        self._draft = Draft(store, settings.nlu_data_dir)
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def draft(self) -> Draft:
        return self._draft

    async def job(self) -> Job | None:
        raw = await self._store.get(NAMESPACE, _JOB)
        return Job.from_bytes(raw) if raw is not None else None

    async def start(self, actor: str) -> Job:
        """Start retraining on the draft as it stands; :class:`RetrainingError` if one runs or nothing changed."""
        async with self._store.lock(NAMESPACE, _START_LOCK, STALE_SECONDS):
            current = await self.job()
            if current is not None and current.alive:
                raise RetrainingError("Es wird schon trainiert. Bitte warten Sie, bis das Training fertig ist.")
            built = await self._draft.build()
            if not built.changed:
                raise RetrainingError("Der Entwurf enthält keine Änderungen; es gibt nichts neu zu trainieren.")
            job_id = f"{int(time.time())}-{secrets.token_hex(4)}"
            directory = self._jobs_dir / job_id
            await asyncio.to_thread(self._clear_jobs)
            await asyncio.to_thread(built.draft.write, directory / "data")
            fingerprint = await asyncio.to_thread(built.draft.fingerprint)
            now = time.time()
            job = Job(
                job_id, actor, now, JobState.RUNNING, "Wird gestartet", 0.0, now,
                len(built.changes), fingerprint, socket.gethostname(),
            )
            await self._save(job)
        task = asyncio.create_task(self._run(job, directory), name=f"retraining-{job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def publish(self, actor: str) -> tuple[Job, Publication]:
        """Take the draft live with the job's model; :class:`RetrainingError` says why not when refused."""
        job = await self.job()
        if job is None or job.state is not JobState.DONE or job.comparison is None:
            raise RetrainingError("Es gibt kein fertig trainiertes Modell zum Veröffentlichen.")
        if not job.comparison.publishable:
            raise RetrainingError(
                "Das neue Modell ist bei Notfällen schlechter als das bisherige und wird nicht veröffentlicht: "
                + " ".join(job.comparison.problems)
            )
        publication: Publication | None = None

        async def take_live(built: Built) -> None:
            nonlocal publication
            if len(built.changes) != job.changes or await asyncio.to_thread(built.draft.fingerprint) != job.fingerprint:
                raise RetrainingError(
                    "Der Entwurf oder die veröffentlichten Trainingsdaten haben sich seit dem Training geändert. "
                    "Bitte trainieren Sie neu."
                )
            publication = await self._take_live(job, built)

        await self._draft.settle(take_live)
        assert publication is not None
        published = replace(job, state=JobState.PUBLISHED, published_by=actor, finished=time.time())
        await self._save(published)
        return published, publication

    async def _take_live(self, job: Job, built: Built) -> Publication:
        async with self._releases.changing(TRAINING_DATA):
            data_dir = self._settings.nlu_data_dir
            changed = built.draft.changed_files(built.live)
            before = {name: built.live.files[name] for name in changed if name in built.live.files}
            await asyncio.to_thread(write_files, data_dir, changed)
            model = self._jobs_dir / job.id / "model.pkl"
            if model.is_file():
                # The workers of this machine load the trained model instead of training it again.
                target = await asyncio.to_thread(model_path, data_dir, self._settings.model_dir)
                await asyncio.to_thread(_copy_atomically, model, target)
            try:
                return await self._releases.publish_training_data()
            except ReleaseRefused as refused:
                await asyncio.to_thread(write_files, data_dir, before)
                for name in changed.keys() - before.keys():
                    (data_dir / name).unlink(missing_ok=True)
                problems = "; ".join(refused.problems)
                raise RetrainingError(f"Die Trainingsdaten wurden nicht veröffentlicht: {problems}") from refused

    async def _run(self, job: Job, directory: Path) -> None:
        settings = self._settings
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.staff.model_comparison",
            str(settings.nlu_data_dir), str(directory / "data"), str(settings.model_dir), str(directory / "model.pkl"),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            limit=_LINE_LIMIT,
        )
        errors = asyncio.create_task(_tail(process.stderr))
        beating = asyncio.create_task(self._beat(job.id))
        comparison = None
        try:
            assert process.stdout is not None
            async for line in process.stdout:
                message = json.loads(line)
                if "comparison" in message:
                    comparison = Comparison.from_dict(message["comparison"])
                else:
                    await self._update(job.id, step=message["step"], done=message["done"])
            await process.wait()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await self._update(job.id, state=JobState.FAILED, error="Das Training wurde abgebrochen.")
            raise
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
        if process.returncode == 0 and comparison is not None:
            await self._update(job.id, state=JobState.DONE, step="Fertig", done=1.0, comparison=comparison)
            logger.info("retraining %s done; publishable: %s", job.id, comparison.publishable)
        else:
            tail = (await errors)[-_ERROR_CHARACTERS:]
            logger.error("retraining %s failed with exit code %s: %s", job.id, process.returncode, tail)
            await self._update(job.id, state=JobState.FAILED, error=tail or f"Exit-Code {process.returncode}")

    async def _beat(self, job_id: str) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await self._update(job_id)

    async def _update(self, job_id: str, **changes: Any) -> None:
        """Change the job record if it is still ``job_id``'s; every update is a heartbeat."""
        job = await self.job()
        if job is None or job.id != job_id:
            return
        if "state" in changes:
            changes["finished"] = time.time()
        await self._save(replace(job, heartbeat=time.time(), **changes))

    async def _save(self, job: Job) -> None:
        await self._store.put(NAMESPACE, _JOB, job.to_bytes())

    @property
    def _jobs_dir(self) -> Path:
        return self._settings.data_dir / "training"

    def _clear_jobs(self) -> None:
        """Remove the files of earlier jobs (only one job runs at a time, among all workers)."""
        if self._jobs_dir.is_dir():
            for directory in self._jobs_dir.iterdir():
                shutil.rmtree(directory, ignore_errors=True)


async def _tail(stream: asyncio.StreamReader | None) -> str:
    if stream is None:
        return ""
    kept = b""
    async for line in stream:
        kept = (kept + line)[-_ERROR_CHARACTERS * 4 :]
    return kept.decode("utf-8", errors="replace").strip()


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)
