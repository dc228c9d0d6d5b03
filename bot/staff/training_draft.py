"""The draft of the NLU training data: staff's changes to the examples, waiting for a model that is good enough.

Staff add, edit, move and delete examples per intent and language. Each change goes into a list in the state
store (every worker, on any machine, sees the same draft) and nothing touches the training files until a
retrained model has been compared with the live one and published (:mod:`bot.staff.retraining`). The draft's
training data is the live files with the changes applied in order: :meth:`Draft.build`. A change whose
example is no longer there (another publish came in between) is skipped and reported.

Changes edit the language files (``fa.yml`` ...) line by line, so comments, order and everything else in them
stay as they were; every change is checked by loading the whole resulting training data, so the draft is
always valid Rasa 3.1 YAML. :func:`write_files` writes a built draft into a directory, each file atomically.

Store layout, namespace ``training``: ``draft:changes`` (queue of :class:`Change`, JSON) and the lock
``draft`` that serialises changes.
"""

from __future__ import annotations

import asyncio
import json
import stat
import tempfile
import time
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

from bot.policy import load_policy
from bot.store import StateStore
from content.store import atomic_write
from nlu.languages import CORE_LANGUAGES
from nlu.model_store import fingerprint
from nlu.pipeline_config import config_path
from nlu.training_data import CONFIG_FILE_NAME, TrainingDataError, load_training_data, training_files

NAMESPACE = "training"
_CHANGES = "draft:changes"
_LOCK = "draft"
# Checking a change loads all training data (a second or two); waiting changes queue behind it.
_LOCK_SECONDS = 60.0
MAX_EXAMPLE_LENGTH = 500
# A new language file starts like the shipped ones.
_NEW_FILE = 'version: "3.1"\nnlu:\n'
_NEW_FILE_MODE = 0o644


class DraftError(ValueError):
    """A change was refused; the message says why, in German, for the staff."""


class ChangeKind(StrEnum):
    ADD = "add"
    EDIT = "edit"
    MOVE = "move"
    DELETE = "delete"


@dataclass(frozen=True)
class Change:
    """One change of one example: ``text`` under ``intent`` in ``language``'s file (for ADD: the new example)."""

    kind: ChangeKind
    language: str
    intent: str
    text: str
    new_text: str | None = None
    new_intent: str | None = None
    actor: str = ""
    at: float = 0.0
    origin: str = ""
    """Where the change came from besides the examples page, e.g. ``unanswered``."""

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Change:
        fields = json.loads(raw)
        return cls(**{**fields, "kind": ChangeKind(fields["kind"])})

    def describe(self) -> str:
        """The change in a sentence for the staff (German); examples are isolated, so Arabic script stays in place."""
        where = f"{self.intent} ({self.language})"
        text = _isolated(self.text)
        if self.kind is ChangeKind.ADD:
            return f"„{text}“ zu {where} hinzugefügt"
        if self.kind is ChangeKind.EDIT:
            return f"„{text}“ in {where} geändert zu „{_isolated(str(self.new_text))}“"
        if self.kind is ChangeKind.MOVE:
            return f"„{text}“ von {where} nach {self.new_intent} verschoben"
        return f"„{text}“ aus {where} gelöscht"


def _isolated(text: str) -> str:
    """``text`` between first-strong isolate marks: its direction does not spill into the sentence around it."""
    return f"\u2068{text}\u2069"


@dataclass(frozen=True)
class _Example:
    """A line of a block of examples: its indentation (up to the dash) and the example as written."""

    intent: str
    indent: str
    text: str

    def render(self) -> str:
        return f"{self.indent}- {self.text}"


_Line = str | _Example


@dataclass(frozen=True)
class TrainingFile:
    """A language file as lines, its examples located, so that a change leaves every other line as it was."""

    name: str
    lines: tuple[_Line, ...]

    @classmethod
    def parse(cls, name: str, text: str) -> TrainingFile:
        return _parsed(name, text)

    def render(self) -> str:
        return "".join(f"{line.render() if isinstance(line, _Example) else line}\n" for line in self.lines)

    def intents(self) -> set[str]:
        return {line.intent for line in self.lines if isinstance(line, _Example)}

    def examples(self, intent: str) -> list[str]:
        return [line.text for line in self.lines if isinstance(line, _Example) and line.intent == intent]

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for line in self.lines:
            if isinstance(line, _Example):
                counted[line.intent] = counted.get(line.intent, 0) + 1
        return counted

    def has(self, intent: str, text: str) -> bool:
        return self._position(intent, text) is not None

    def add(self, intent: str, text: str) -> TrainingFile:
        """The file with ``text`` after the last example of ``intent``, or in a new entry at the end."""
        last = None
        for position, line in enumerate(self.lines):
            if isinstance(line, _Example) and line.intent == intent:
                last = position
        if last is not None:
            before = self.lines[last]
            assert isinstance(before, _Example)
            added = _Example(intent, before.indent, text)
            return replace(self, lines=(*self.lines[: last + 1], added, *self.lines[last + 1 :]))
        lines = list(self.lines)
        while lines and isinstance(lines[-1], str) and not lines[-1].strip():
            lines.pop()
        entry_indent = self._entry_indent()
        lines += [f"{entry_indent}- intent: {intent}", f"{entry_indent}  examples: |"]
        return replace(self, lines=(*lines, _Example(intent, f"{entry_indent}    ", text)))

    def edit(self, intent: str, text: str, new_text: str) -> TrainingFile:
        position = self._existing(intent, text)
        line = self.lines[position]
        assert isinstance(line, _Example)
        return replace(self, lines=(*self.lines[:position], replace(line, text=new_text), *self.lines[position + 1 :]))

    def delete(self, intent: str, text: str) -> TrainingFile:
        position = self._existing(intent, text)
        return replace(self, lines=(*self.lines[:position], *self.lines[position + 1 :]))

    def _existing(self, intent: str, text: str) -> int:
        position = self._position(intent, text)
        if position is None:
            raise _Gone
        return position

    def _position(self, intent: str, text: str) -> int | None:
        for position, line in enumerate(self.lines):
            if isinstance(line, _Example) and line.intent == intent and line.text == text:
                return position
        return None

    def _entry_indent(self) -> str:
        """The indentation of the ``nlu`` list's dashes in this file (none in the shipped files)."""
        for line in self.lines:
            if isinstance(line, str) and line.lstrip().startswith("- intent:"):
                return line[: len(line) - len(line.lstrip())]
        return ""


class _Gone(Exception):
    """The example a change is about is not (or no longer) in the file."""


@lru_cache(maxsize=32)
def _parsed(name: str, text: str) -> TrainingFile:
    """Find every example line of a block of examples (``examples: |``); other styles stay plain lines."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise DraftError(f"{name}: die Datei ist kein gültiges YAML ({error})") from error
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines: list[_Line] = list(raw)
    for entry in _entries(root):
        intent = _scalar(entry, "intent")
        examples = _value(entry, "examples")
        if intent is None or not isinstance(examples, yaml.ScalarNode) or examples.style != "|":
            continue
        first = examples.start_mark.line + 1
        for offset, content in enumerate(examples.value.split("\n")):
            number = first + offset
            stripped = content.strip()
            if stripped.startswith("-") and number < len(lines) and isinstance(lines[number], str):
                line = str(lines[number])
                indent = line[: len(line) - len(line.lstrip())]
                lines[number] = _Example(intent, indent, stripped[1:].strip())
    return TrainingFile(name, tuple(lines))


def _entries(root: yaml.Node | None) -> list[yaml.MappingNode]:
    nlu = _value(root, "nlu") if isinstance(root, yaml.MappingNode) else None
    if not isinstance(nlu, yaml.SequenceNode):
        return []
    return [entry for entry in nlu.value if isinstance(entry, yaml.MappingNode)]


def _value(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _scalar(node: yaml.MappingNode, key: str) -> str | None:
    value = _value(node, key)
    return value.value.strip() if isinstance(value, yaml.ScalarNode) and value.value.strip() else None


def file_name(language: str) -> str:
    return f"{language}.yml"


@dataclass(frozen=True)
class TrainingSet:
    """Training files by name, ``config.yml`` included: the live data, or the live data with the draft."""

    files: dict[str, str]
    skipped: tuple[Change, ...] = ()
    """Changes of the draft that no longer apply (their example is gone)."""

    @classmethod
    def read(cls, data_dir: Path) -> TrainingSet:
        files = {path.name: path.read_text(encoding="utf-8") for path in training_files(data_dir)}
        files[CONFIG_FILE_NAME] = config_path(data_dir).read_text(encoding="utf-8")
        return cls(files)

    def file(self, language: str) -> TrainingFile:
        name = file_name(language)
        return TrainingFile.parse(name, self.files.get(name, _NEW_FILE))

    def with_changes(self, changes: Iterable[Change]) -> TrainingSet:
        edited: dict[str, TrainingFile] = {}
        skipped = list(self.skipped)
        for change in changes:
            name = file_name(change.language)
            current = edited.get(name) or self.file(change.language)
            try:
                edited[name] = _applied(current, change)
            except _Gone:
                skipped.append(change)
        return TrainingSet({**self.files, **{name: file.render() for name, file in edited.items()}}, tuple(skipped))

    def changed_files(self, before: TrainingSet) -> dict[str, str]:
        """The files that differ from ``before`` (none is ever removed)."""
        return {name: text for name, text in self.files.items() if before.files.get(name) != text}

    def write(self, directory: Path) -> None:
        """Write every file into ``directory`` (made if missing), each atomically."""
        directory.mkdir(parents=True, exist_ok=True)
        write_files(directory, self.files)

    def fingerprint(self) -> str:
        """The fingerprint the NLU model of these files gets (:func:`nlu.model_store.fingerprint`)."""
        with tempfile.TemporaryDirectory(prefix="wegweiser-training-") as temporary:
            self.write(Path(temporary))
            return fingerprint(Path(temporary))

    def problems(self) -> str | None:
        """Why these files are not valid training data (file and line), or None."""
        with tempfile.TemporaryDirectory(prefix="wegweiser-training-") as temporary:
            self.write(Path(temporary))
            try:
                load_training_data(Path(temporary))
            except TrainingDataError as error:
                return f"{error.path.name}:{error.line}: {error.message}" if error.line else error.message
        return None


def write_files(directory: Path, files: dict[str, str]) -> None:
    """Write each file atomically, keeping its permissions (a new file is readable by all, like a checkout's)."""
    for name, text in files.items():
        target = directory / name
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _NEW_FILE_MODE
        atomic_write(target, text)
        target.chmod(mode)


def _applied(file: TrainingFile, change: Change) -> TrainingFile:
    if change.kind is ChangeKind.ADD:
        return file if file.has(change.intent, change.text) else file.add(change.intent, change.text)
    if change.kind is ChangeKind.EDIT:
        return file.edit(change.intent, change.text, str(change.new_text))
    if change.kind is ChangeKind.MOVE:
        moved = file.delete(change.intent, change.text)
        target = str(change.new_intent)
        return moved if moved.has(target, change.text) else moved.add(target, change.text)
    return file.delete(change.intent, change.text)


def clean_example(raw: str) -> str:
    """``raw`` as an example line, or :class:`DraftError` saying why it cannot be one."""
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if not text:
        raise DraftError("Bitte geben Sie einen Beispielsatz ein.")
    if len(text) > MAX_EXAMPLE_LENGTH:
        raise DraftError(f"Ein Beispielsatz darf höchstens {MAX_EXAMPLE_LENGTH} Zeichen lang sein.")
    if any(unicodedata.category(character) in {"Cc", "Cs", "Co"} for character in text):
        raise DraftError("Der Beispielsatz enthält Steuerzeichen.")
    return text


def as_plain_example(text: str) -> str:
    """A person's message as an example: square brackets would read as entity markup, so they become round."""
    return text.replace("[", "(").replace("]", ")")


@dataclass
class Built:
    """The draft as it stands: the live data, the changes and the training data they give."""

    live: TrainingSet
    changes: list[Change]
    draft: TrainingSet
    intents: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.draft.changed_files(self.live))


class Draft:
    """The shared draft of the training data of ``data_dir`` (the live files of this machine)."""

    def __init__(self, store: StateStore, data_dir: Path) -> None:
        self._store = store
        self._data_dir = data_dir

    async def changes(self) -> list[Change]:
        return [Change.from_bytes(raw) for raw in await self._store.range(NAMESPACE, _CHANGES)]

    async def build(self) -> Built:
        changes = await self.changes()
        live = await asyncio.to_thread(TrainingSet.read, self._data_dir)
        draft = await asyncio.to_thread(live.with_changes, changes)
        return Built(live, changes, draft, intents())

    async def apply(self, changes: Sequence[Change]) -> Built:
        """Add ``changes``, stamped with the time, if the training data stays valid; else :class:`DraftError`."""
        changes = [replace(change, at=time.time()) for change in changes]
        async with self._store.lock(NAMESPACE, _LOCK, _LOCK_SECONDS, _LOCK_SECONDS):
            built = await self.build()
            draft = await asyncio.to_thread(_checked, built.draft, changes)
            for change in changes:
                await self._store.push(NAMESPACE, _CHANGES, change.to_bytes())
            return Built(built.live, [*built.changes, *changes], draft, built.intents)

    async def withdraw(self, position: int, expected: Change) -> None:
        """Take the change at ``position`` back out of the draft, if it is still ``expected`` there."""
        async with self._store.lock(NAMESPACE, _LOCK, _LOCK_SECONDS, _LOCK_SECONDS):
            changes = await self.changes()
            if not 0 <= position < len(changes) or changes[position] != expected:
                raise DraftError("Der Entwurf hat sich inzwischen geändert. Bitte laden Sie die Seite neu.")
            kept = changes[:position] + changes[position + 1 :]
            live = await asyncio.to_thread(TrainingSet.read, self._data_dir)
            if await asyncio.to_thread(lambda: live.with_changes(kept).problems()) is not None:
                raise DraftError("Ohne diese Änderung wären spätere Änderungen ungültig.")
            await self._replace(kept)

    async def discard(self) -> None:
        async with self._store.lock(NAMESPACE, _LOCK, _LOCK_SECONDS, _LOCK_SECONDS):
            await self._replace([])

    async def settle(self, take_live: Callable[[Built], Awaitable[None]]) -> Built:
        """Have ``take_live`` publish the draft as it stands, then empty it; nobody changes it meanwhile.

        Whatever ``take_live`` raises leaves the draft as it was.
        """
        async with self._store.lock(NAMESPACE, _LOCK, _LOCK_SECONDS, _LOCK_SECONDS):
            built = await self.build()
            await take_live(built)
            await self._replace([])
            return built

    async def _replace(self, changes: list[Change]) -> None:
        await self._store.delete(NAMESPACE, _CHANGES)
        for change in changes:
            await self._store.push(NAMESPACE, _CHANGES, change.to_bytes())


def intents() -> list[str]:
    """The intents examples may belong to: those the dialogue has an answer for."""
    return sorted(load_policy().intents)


def _checked(draft: TrainingSet, changes: list[Change]) -> TrainingSet:
    """``draft`` with ``changes``, if each of them makes sense and the result is valid training data."""
    for change in changes:
        _check(change, draft)
    changed = draft.with_changes(changes)
    problem = changed.problems()
    if problem is not None:
        raise DraftError(f"Diese Änderung ergäbe ungültige Trainingsdaten: {problem}")
    return changed


def _check(change: Change, draft: TrainingSet) -> None:
    if change.language not in CORE_LANGUAGES:
        raise DraftError(f"Für die Sprache „{change.language}“ gibt es keine Trainingsdaten.")
    known = intents()
    for intent in (change.intent, change.new_intent):
        if intent is not None and intent not in known:
            raise DraftError(f"Das Thema „{intent}“ gibt es nicht.")
    file = draft.file(change.language)
    if change.kind is ChangeKind.ADD:
        if file.has(change.intent, change.text):
            raise DraftError("Diesen Beispielsatz gibt es in diesem Thema schon.")
        return
    if not file.has(change.intent, change.text):
        raise DraftError("Diesen Beispielsatz gibt es nicht mehr. Bitte laden Sie die Seite neu.")
    if change.kind is ChangeKind.EDIT and file.has(change.intent, str(change.new_text)):
        raise DraftError("Diesen Beispielsatz gibt es in diesem Thema schon.")
    if change.kind is ChangeKind.MOVE and change.new_intent == change.intent:
        raise DraftError("Bitte wählen Sie ein anderes Thema.")
