"""Offline machine translation with Argos Translate packages.

Counsellors read a newcomer's message in German beside the original, a
newcomer gets a counsellor's German answer in her language, staff draft a
missing content translation: all through :class:`Translator`. Each installed
Argos Translate package (one language pair: a CTranslate2 model and its
tokenizer) lives in ``<translation home>/packages``; a direct pair is used when
installed, else the text goes through English. Whatever goes wrong, the caller
gets the original text with a plain note, never an exception.

Only argostranslate's package format, metadata reader and tokenizers are used,
never ``argostranslate.translate``: importing it pulls in torch, stanza and
spaCy (about 400 MB and two seconds per worker), and its sentence splitters
fetch models from the internet on first use. The few steps it would do here
(split, tokenize, translate a batch, detokenize) are done by this module.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from bot.store import StateStore, StoreError

if TYPE_CHECKING:
    from bot.config import Settings

PIVOT_LANGUAGE = "en"
CACHE_NAMESPACE = "translation"
PACKAGES_SUBDIRECTORY = "packages"
ARGOS_SUBDIRECTORY = "argos"
# Loaded models stay in memory (a real one is about 100 MB); beyond this many the least recently used goes.
MAX_LOADED_MODELS = 4
# One core per translation: the worker that translates also answers chats on a small machine.
MODEL_THREADS = 1
BEAM_SIZE = 4
# Sentences end at these marks followed by space; the Arabic question mark serves Arabic and Farsi.
_SENTENCE_END = re.compile(r"(?<=[.!?…؟])\s+")

logger = logging.getLogger(__name__)

_ARGOS_IMPORT = threading.Lock()


@dataclass(frozen=True)
class Translation:
    """A text in ``target``: machine-translated when ``machine``, else the original; ``note`` says why or how."""

    text: str
    source: str
    target: str
    machine: bool
    note: str | None = None


@dataclass(frozen=True)
class InstalledPair:
    """One installed translation package."""

    source: str
    target: str
    version: str
    path: Path


class PackageError(Exception):
    """A file or directory is not a usable Argos Translate translation package."""


def packages_directory(home: Path) -> Path:
    return home / PACKAGES_SUBDIRECTORY


def load_argos(home: Path) -> ModuleType:
    """``argostranslate.package``, configured for the translation home ``home`` when first imported.

    Argos Translate reads its settings from the environment once, while it is
    imported: where packages live (``ARGOS_PACKAGES_DIR``), and from ``XDG_*``
    where its data, configuration and cache directories are (it creates them
    then, and takes settings from a ``settings.json`` in the configuration
    directory). So this one function sets them from the Settings right before
    the first import: everything stays inside ``home``, nothing is written to
    or read from the home directory of the user running the service (in the
    container it is not writable). The environment is put back afterwards, since
    other libraries read ``XDG_*`` too. Only the first call configures; this
    module passes package directories explicitly, so another ``home`` in the
    same process works as well. Raises ImportError without argostranslate.
    """
    with _ARGOS_IMPORT:
        if "argostranslate.package" in sys.modules:
            return sys.modules["argostranslate.package"]
        argos_files = home / ARGOS_SUBDIRECTORY
        with _environment(
            ARGOS_PACKAGES_DIR=str(packages_directory(home)),
            ARGOS_DEVICE_TYPE="cpu",
            # Debug mode prints every text it translates; logs must never hold message texts.
            ARGOS_DEBUG="0",
            # Every sentence splitter of argostranslate may touch the network: SPACY downloads a spaCy
            # model as soon as argostranslate.translate is imported, STANZA fetches resources.json and
            # MINISBD (which the default picks for packages without a Stanza model) its ONNX model on first
            # use. This module splits sentences itself and never imports argostranslate.translate; the
            # setting is pinned to a lazy splitter so that no ARGOS_CHUNK_TYPE=SPACY around can make an import download.
            ARGOS_CHUNK_TYPE="MINISBD",
            XDG_DATA_HOME=str(argos_files / "data"),
            XDG_CONFIG_HOME=str(argos_files / "config"),
            XDG_CACHE_HOME=str(argos_files / "cache"),
        ):
            import argostranslate.package
        return argostranslate.package


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def read_package(argos: ModuleType, directory: Path) -> tuple[InstalledPair, Any]:
    """The pair an unpacked package in ``directory`` translates, and argostranslate's Package for it."""
    try:
        package = argos.Package(directory)
    except (OSError, ValueError, TypeError, AttributeError) as error:
        raise PackageError(f"{directory.name}: unreadable metadata.json ({error})") from error
    if package.type != "translate" or not package.from_code or not package.to_code:
        raise PackageError(f"{directory.name}: not a translation package (type {package.type!r})")
    if not (directory / "model" / "model.bin").is_file():
        raise PackageError(f"{directory.name}: no CTranslate2 model in model/")
    if getattr(package, "tokenizer", None) is None:
        raise PackageError(f"{directory.name}: neither sentencepiece.model nor bpe.model")
    source, target = language_code(package.from_code), language_code(package.to_code)
    return InstalledPair(source, target, str(package.package_version), directory), package


def installed_pairs(home: Path) -> list[InstalledPair]:
    """The translation packages installed under ``home``, sorted; none when argostranslate is missing."""
    directory = packages_directory(home)
    if not directory.is_dir():
        return []
    try:
        argos = load_argos(home)
    except ImportError:
        return []
    pairs = []
    for candidate in sorted(directory.iterdir()):
        # Dot directories are installations still being unpacked.
        if not candidate.is_dir() or candidate.name.startswith("."):
            continue
        try:
            pairs.append(read_package(argos, candidate)[0])
        except PackageError as error:
            logger.warning("ignoring a broken translation package: %s", error)
    return sorted(pairs, key=lambda pair: (pair.source, pair.target, pair.path.name))


def language_code(language: str) -> str:
    """``language`` as the codes of packages and the rest of the project are written: ``FA `` is ``fa``."""
    return language.strip().lower()


def _cache_key(source: str, target: str, text: str) -> str:
    # Lone surrogates (possible from JSON input) must not break the hash.
    return hashlib.sha256(f"{source}\n{target}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one line of text, each without surrounding space."""
    return [sentence for sentence in _SENTENCE_END.split(paragraph.strip()) if sentence]


class _LoadedModel:
    """One package in memory: its tokenizer and its CTranslate2 translator."""

    def __init__(self, argos: ModuleType, pair: InstalledPair) -> None:
        import ctranslate2

        _, package = read_package(argos, pair.path)
        self._tokenizer = package.tokenizer
        self._target_prefix: str = package.target_prefix
        self._translator = ctranslate2.Translator(
            str(pair.path / "model"),
            device="cpu",
            compute_type="auto",
            inter_threads=1,
            intra_threads=MODEL_THREADS,
        )

    def translate(self, text: str) -> str:
        """``text`` translated line by line, sentence by sentence; blank lines stay."""
        return "\n".join(self._paragraph(line) for line in text.split("\n"))

    def _paragraph(self, line: str) -> str:
        sentences = split_sentences(line)
        if not sentences:
            return line
        tokens = [self._tokenizer.encode(sentence) for sentence in sentences]
        prefix = [[self._target_prefix]] * len(tokens) if self._target_prefix else None
        results = self._translator.translate_batch(
            tokens, target_prefix=prefix, beam_size=BEAM_SIZE, replace_unknowns=True
        )
        # With a target prefix (multilingual models), the hypothesis starts with it.
        skip = 1 if self._target_prefix else 0
        return " ".join(self._tokenizer.decode(result.hypotheses[0][skip:]).strip() for result in results)


class Translator:
    """Translates texts between installed language pairs; results are cached in the state store for every worker."""

    def __init__(self, store: StateStore, home: Path, cache_ttl_seconds: float) -> None:
        self._store = store
        self._home = home
        self._cache_ttl_seconds = cache_ttl_seconds
        self._models: OrderedDict[Path, _LoadedModel] = OrderedDict()
        self._model_locks: dict[Path, asyncio.Lock] = {}

    @classmethod
    def from_settings(cls, settings: Settings, store: StateStore) -> Translator:
        return cls(store, settings.translation_home, settings.translation_cache_ttl_seconds)

    def pairs(self) -> list[InstalledPair]:
        """The installed pairs (read from the package directory, so a package installed meanwhile counts)."""
        return installed_pairs(self._home)

    def languages(self) -> list[str]:
        """Every language some installed pair translates from or to, sorted."""
        return sorted({code for pair in self.pairs() for code in (pair.source, pair.target)})

    def can_translate(self, source: str, target: str) -> bool:
        """Whether ``translate`` would translate by machine between these languages (directly or through English)."""
        pairs = {(pair.source, pair.target) for pair in self.pairs()}
        return route(pairs, language_code(source), language_code(target)) is not None

    async def translate(self, text: str, source: str, target: str) -> Translation:
        """``text`` from ``source`` into ``target``; on any failure the original text with a note, never an error."""
        source, target = language_code(source), language_code(target)
        if source == target or not text.strip():
            return Translation(text, source, target, machine=False)
        key = _cache_key(source, target, text)
        cached = await self._cached(key)
        if cached is not None:
            return cached
        try:
            result = await self._by_machine(text, source, target)
        except ImportError:
            return Translation(text, source, target, False, "machine translation is not installed")
        except Exception as error:
            # Only the error's type: its text may quote the message, which logs must never hold.
            logger.warning("translation %s → %s failed: %s", source, target, type(error).__name__)
            return Translation(text, source, target, False, f"the translation {source} → {target} failed")
        if result.machine:
            await self._remember(key, result)
        return result

    async def _by_machine(self, text: str, source: str, target: str) -> Translation:
        argos = await asyncio.to_thread(load_argos, self._home)
        by_languages = {(pair.source, pair.target): pair for pair in await asyncio.to_thread(self.pairs)}
        legs = route(by_languages, source, target)
        if legs is None:
            return Translation(text, source, target, False, f"no translation installed for {source} → {target}")
        translated = text
        for leg in legs:
            translated = await self._run(argos, by_languages[leg], translated)
        note = None if len(legs) == 1 else f"translated through English ({source} → {PIVOT_LANGUAGE} → {target})"
        return Translation(translated, source, target, machine=True, note=note)

    async def _run(self, argos: ModuleType, pair: InstalledPair, text: str) -> str:
        """``text`` through one model; one request at a time per model, so a model is never loaded twice."""
        lock = self._model_locks.setdefault(pair.path, asyncio.Lock())
        async with lock:
            model = self._models.get(pair.path)
            if model is None:
                model = await asyncio.to_thread(_LoadedModel, argos, pair)
                self._models[pair.path] = model
                while len(self._models) > MAX_LOADED_MODELS:
                    self._models.popitem(last=False)
            self._models.move_to_end(pair.path)
            return await asyncio.to_thread(model.translate, text)

    async def _cached(self, key: str) -> Translation | None:
        try:
            value = await self._store.get(CACHE_NAMESPACE, key)
        except StoreError as error:
            logger.warning("translation cache unavailable: %s", error)
            return None
        if value is None:
            return None
        try:
            return Translation(**json.loads(value))
        except (ValueError, TypeError):
            logger.warning("ignoring an unreadable cached translation")
            return None

    async def _remember(self, key: str, translation: Translation) -> None:
        value = json.dumps(asdict(translation)).encode()
        try:
            await self._store.put(CACHE_NAMESPACE, key, value, ttl_seconds=self._cache_ttl_seconds)
        except StoreError as error:
            logger.warning("translation not cached: %s", error)


def route(available: Collection[tuple[str, str]], source: str, target: str) -> list[tuple[str, str]] | None:
    """The pairs that take ``source`` to ``target``: the direct one, else two through English, else None."""
    if (source, target) in available:
        return [(source, target)]
    legs = [(source, PIVOT_LANGUAGE), (PIVOT_LANGUAGE, target)]
    return legs if all(leg in available for leg in legs) else None
