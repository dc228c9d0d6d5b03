"""Content and training data published on one worker, taken in by every worker within seconds.

Workers may run on different machines, each with its own copy of the content
store and of the NLU training data; all they share is the state store.
Publishing a directory checks it (a refused change goes nowhere), puts a
snapshot of its YAML files into the store and then bumps the topic's version.
Every worker polls the versions; when one changed, it writes the files that
differ into its own directory, each atomically, and switches over: to the
content at once, to the NLU once the model for the new data is loaded (or, on a
machine that has none yet, trained). Until then it answers as before.

Store layout, namespace ``release``::

    {topic}:current               manifest of the current release (JSON: path, SHA-256 and size of each file)
    {topic}:file:{sha256}:{part}  a file's bytes, in parts of at most MAX_VALUE_BYTES

and the version of ``release:{topic}`` (:meth:`bot.store.StateStore.publish`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from actions.content_access import ContentSource, content_source
from bot.config import Settings
from bot.policy import load_policy
from bot.store import MAX_VALUE_BYTES, StateStore, StoreError
from content.check import check_content
from content.store import atomic_write
from nlu.backend import EmbeddedNlu, NluBackend
from nlu.model_store import ensure_model
from nlu.pipeline_config import PipelineConfigError, config_path, read_fallback_settings
from nlu.training_data import TrainingDataError, load_training_data

logger = logging.getLogger(__name__)

NAMESPACE = "release"
CONTENT = "content"
TRAINING_DATA = "training-data"
PART_BYTES = MAX_VALUE_BYTES
POLL_SECONDS = 1.0
# Checking and uploading takes seconds at most; a publisher that dies holds the topic no longer than this.
PUBLISH_LOCK_SECONDS = 60.0
YAML_SUFFIXES = (".yml", ".yaml")


class ReleaseRefused(Exception):
    """A directory failed its check; nothing was published."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("not published:\n" + "\n".join(self.problems))


class UnusableRelease(Exception):
    """The store's release cannot be taken in (a part is missing or not what the manifest says); tried again."""


@dataclass(frozen=True)
class FileEntry:
    path: str
    sha256: str
    size: int

    @property
    def parts(self) -> int:
        return max(1, -(-self.size // PART_BYTES))


@dataclass(frozen=True)
class Manifest:
    """Which files a release holds; its id is a digest of their paths and contents."""

    files: tuple[FileEntry, ...]

    @property
    def id(self) -> str:
        listing = "".join(f"{entry.path}\0{entry.sha256}\n" for entry in self.files)
        return hashlib.sha256(listing.encode()).hexdigest()[:16]

    def paths(self) -> dict[str, str]:
        """The SHA-256 of each file, by path."""
        return {entry.path: entry.sha256 for entry in self.files}

    def to_bytes(self) -> bytes:
        return json.dumps({"files": [asdict(entry) for entry in self.files]}).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        try:
            files = json.loads(raw)["files"]
            return cls(tuple(FileEntry(str(item["path"]), str(item["sha256"]), int(item["size"])) for item in files))
        except (ValueError, KeyError, TypeError) as error:
            raise UnusableRelease(f"the manifest cannot be read: {error}") from error


@dataclass(frozen=True)
class Snapshot:
    """The YAML files of a directory (hidden ones left out), by POSIX path relative to it."""

    files: dict[str, bytes]

    @classmethod
    def read(cls, directory: Path) -> Snapshot:
        files: dict[str, bytes] = {}
        for path in sorted(directory.rglob("*")):
            relative = path.relative_to(directory)
            if path.suffix in YAML_SUFFIXES and path.is_file() and not _hidden(relative):
                files[relative.as_posix()] = path.read_bytes()
        return cls(files)

    @property
    def manifest(self) -> Manifest:
        return Manifest(
            tuple(FileEntry(path, hashlib.sha256(data).hexdigest(), len(data)) for path, data in self.files.items())
        )

    def problems(self) -> list[str]:
        """Files that a worker could not write back as text."""
        problems = []
        for path, data in self.files.items():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(f"{path}: not UTF-8 text")
        return problems


@dataclass(frozen=True)
class Publication:
    """What publishing one directory did."""

    topic: str
    release: str
    version: int | None
    """The topic's new version; None when the store already held exactly these files."""
    changed: tuple[str, ...]
    """Files added, changed or removed since the previous release."""

    def __str__(self) -> str:
        if self.version is None:
            return f"{self.topic}: unchanged (release {self.release})"
        return f"{self.topic}: published release {self.release} ({len(self.changed)} files changed)"


class Subject(ABC):
    """A directory that is published as a whole."""

    topic: str
    directory: Path

    @abstractmethod
    def problems(self) -> list[str]:
        """Why the directory must not go out as it is; empty when it may."""

    @abstractmethod
    def take_in(self, write: Callable[[Path], None]) -> None:
        """Have ``write`` bring the directory to a release and start using it; blocks (run it in a thread)."""


class ContentSubject(Subject):
    topic = CONTENT

    def __init__(self, source: ContentSource) -> None:
        self.directory = source.directory
        self._source = source

    def problems(self) -> list[str]:
        found = check_content(self.directory, load_policy().intents)
        return [str(problem) for problem in found if problem.severity == "error"]

    def take_in(self, write: Callable[[Path], None]) -> None:
        self._source.replace(write)


class TrainingDataSubject(Subject):
    topic = TRAINING_DATA

    def __init__(self, directory: Path, model_dir: Path, nlu: NluBackend | None) -> None:
        self.directory = directory
        self._model_dir = model_dir
        self._nlu = nlu

    def problems(self) -> list[str]:
        try:
            load_training_data(self.directory)
            read_fallback_settings(config_path(self.directory))
        except (TrainingDataError, PipelineConfigError) as error:
            return [str(error)]
        return []

    def take_in(self, write: Callable[[Path], None]) -> None:
        write(self.directory)
        # Another backend keeps its model elsewhere (a Rasa server trains from its own copy).
        if isinstance(self._nlu, EmbeddedNlu):
            self._nlu.replace_engine(ensure_model(self.directory, self._model_dir).engine)


class AppliedMarks:
    """Which release each directory of this machine last published or took in, kept across restarts.

    A starting worker takes in the current release only when its directory has not had it yet: a machine
    that was down during a publish catches up, while files edited by hand and not yet published stay.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def read(self, subject: Subject) -> str | None:
        path = self._path(subject)
        return path.read_text(encoding="utf-8").strip() if path.is_file() else None

    def record(self, subject: Subject, release: str) -> None:
        self._directory.mkdir(parents=True, exist_ok=True)
        atomic_write(self._path(subject), release)

    def _path(self, subject: Subject) -> Path:
        where = hashlib.sha256(str(subject.directory.resolve()).encode()).hexdigest()[:16]
        return self._directory / f"{subject.topic}-{where}"


class Releases:
    """Publishes this machine's content and training data; follows what any worker published."""

    def __init__(self, store: StateStore, settings: Settings, nlu: NluBackend | None = None) -> None:
        self._store = store
        subjects: list[Subject] = [
            ContentSubject(content_source(settings.content_dir)),
            TrainingDataSubject(settings.nlu_data_dir, settings.model_dir, nlu),
        ]
        self._subjects = {subject.topic: subject for subject in subjects}
        self._marks = AppliedMarks(settings.data_dir / "releases")
        self._loaded: dict[str, str | None] = {}
        self._local = {topic: asyncio.Lock() for topic in self._subjects}
        self._tasks: list[asyncio.Task[None]] = []

    @contextlib.asynccontextmanager
    async def changing(self, topic: str) -> AsyncIterator[None]:
        """Hold off this worker's follower of ``topic`` while the caller writes its files and publishes them.

        Without it, a release published a moment earlier, which the follower has not taken in yet, could be
        written over the caller's fresh files before they are published.
        """
        async with self._local[topic]:
            yield

    async def publish_content(self) -> Publication:
        """Publish the content store as it is now on this machine; raises :class:`ReleaseRefused` on errors."""
        (publication,) = await self.publish(CONTENT)
        return publication

    async def publish_training_data(self) -> Publication:
        """Publish the NLU training data as it is now on this machine; raises :class:`ReleaseRefused` on errors."""
        (publication,) = await self.publish(TRAINING_DATA)
        return publication

    async def publish(self, *topics: str) -> list[Publication]:
        """Publish the directories of ``topics`` (default: all); if one fails its check, none is published."""
        subjects = [self._subjects[topic] for topic in topics or self._subjects]
        snapshots: list[Snapshot] = []
        problems: list[str] = []
        for subject in subjects:
            try:
                snapshots.append(await asyncio.to_thread(_checked_snapshot, subject))
            except ReleaseRefused as refused:
                problems += refused.problems
        if problems:
            raise ReleaseRefused(problems)
        return [await self._publish(subject, snapshot) for subject, snapshot in zip(subjects, snapshots, strict=True)]

    def start(self) -> None:
        """Follow every topic in the background until :meth:`stop`."""
        for topic, subject in self._subjects.items():
            self._loaded[topic] = self._marks.read(subject)
            self._tasks.append(asyncio.create_task(self._follow(subject), name=f"releases-{topic}"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def _publish(self, subject: Subject, snapshot: Snapshot) -> Publication:
        manifest = snapshot.manifest
        async with self._store.lock(NAMESPACE, subject.topic, PUBLISH_LOCK_SECONDS, PUBLISH_LOCK_SECONDS):
            current = await self._current(subject.topic)
            before = current.paths() if current is not None else {}
            after = manifest.paths()
            changed = tuple(sorted(path for path in {*before, *after} if before.get(path) != after.get(path)))
            version = None
            if current is None or current.id != manifest.id:
                for entry in manifest.files:
                    data = snapshot.files[entry.path]
                    for part in range(entry.parts):
                        chunk = data[part * PART_BYTES : (part + 1) * PART_BYTES]
                        await self._store.put(NAMESPACE, _part_key(subject.topic, entry.sha256, part), chunk)
                await self._store.put(NAMESPACE, _current_key(subject.topic), manifest.to_bytes())
                version = await self._store.publish(_version_topic(subject.topic))
                if current is not None:
                    await self._drop_parts(subject.topic, current, keep=set(after.values()))
        await asyncio.to_thread(self._marks.record, subject, manifest.id)
        logger.info("published %s release %s", subject.topic, manifest.id)
        return Publication(subject.topic, manifest.id, version, changed)

    async def _drop_parts(self, topic: str, old: Manifest, keep: set[str]) -> None:
        for entry in old.files:
            if entry.sha256 not in keep:
                for part in range(entry.parts):
                    await self._store.delete(NAMESPACE, _part_key(topic, entry.sha256, part))

    async def _current(self, topic: str) -> Manifest | None:
        raw = await self._store.get(NAMESPACE, _current_key(topic))
        return Manifest.from_bytes(raw) if raw is not None else None

    async def _follow(self, subject: Subject) -> None:
        seen: int | None = None
        failing = False
        while True:
            try:
                seen = await self._poll(subject, seen)
                failing = False
            except (StoreError, UnusableRelease) as error:
                # Tried again at the next poll; said once per outage.
                if not failing:
                    logger.warning("cannot take in %s releases yet: %s", subject.topic, error)
                failing = True
            await asyncio.sleep(POLL_SECONDS)

    async def _poll(self, subject: Subject, seen: int | None) -> int:
        """The topic's version, taken in; raises what is worth trying again at the next poll."""
        version = await self._store.version(_version_topic(subject.topic))
        if version != seen:
            try:
                await self._catch_up(subject)
            except (StoreError, UnusableRelease):
                raise
            except Exception:
                # A release this worker cannot use (training failed, say) is not tried again until the next one.
                logger.exception("taking in a %s release failed; keeping what this worker had", subject.topic)
        return version

    async def _catch_up(self, subject: Subject) -> None:
        async with self._local[subject.topic]:
            await self._take_in_current(subject)

    async def _take_in_current(self, subject: Subject) -> None:
        manifest = await self._current(subject.topic)
        if manifest is None or manifest.id == self._loaded.get(subject.topic):
            return
        local = (await asyncio.to_thread(Snapshot.read, subject.directory)).manifest.paths()
        wanted = [entry for entry in manifest.files if local.get(entry.path) != entry.sha256]
        fresh = {entry.path: await self._fetch(subject.topic, entry) for entry in wanted}
        stale = local.keys() - manifest.paths().keys()

        def write(directory: Path) -> None:
            for path, data in fresh.items():
                target = directory / path
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, data.decode("utf-8"))
            for path in stale:
                (directory / path).unlink(missing_ok=True)

        await asyncio.to_thread(subject.take_in, write)
        self._loaded[subject.topic] = manifest.id
        await asyncio.to_thread(self._marks.record, subject, manifest.id)
        logger.info("took in %s release %s (%d files written)", subject.topic, manifest.id, len(fresh) + len(stale))

    async def _fetch(self, topic: str, entry: FileEntry) -> bytes:
        if not _safe(entry.path):
            raise UnusableRelease(f"refusing to write {entry.path!r} outside the directory")
        parts = [await self._store.get(NAMESPACE, _part_key(topic, entry.sha256, part)) for part in range(entry.parts)]
        if any(part is None for part in parts):
            raise UnusableRelease(f"{entry.path} is not (or no longer) in the store")
        data = b"".join(part for part in parts if part is not None)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise UnusableRelease(f"{entry.path} in the store is not what the manifest says")
        return data


def _checked_snapshot(subject: Subject) -> Snapshot:
    """The directory's files, if they pass the check; files that change meanwhile are refused too."""
    snapshot = Snapshot.read(subject.directory)
    problems = snapshot.problems() or subject.problems()
    if problems:
        raise ReleaseRefused(problems)
    if Snapshot.read(subject.directory) != snapshot:
        raise ReleaseRefused([f"{subject.directory}: files changed while they were checked; publish again"])
    return snapshot


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _safe(path: str) -> bool:
    """Whether ``path`` names a YAML file inside the directory it is written to."""
    pure = PurePosixPath(path)
    return (
        bool(pure.parts)
        and not pure.is_absolute()
        and ".." not in pure.parts
        and pure.suffix in YAML_SUFFIXES
        and not _hidden(Path(pure))
    )


def _current_key(topic: str) -> str:
    return f"{topic}:current"


def _part_key(topic: str, sha256: str, part: int) -> str:
    return f"{topic}:file:{sha256}:{part}"


def _version_topic(topic: str) -> str:
    return f"{NAMESPACE}:{topic}"
