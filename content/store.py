"""Loading and validating the content store.

The store is a folder of YAML files: entity files in German (any file may hold
any of the top-level keys of :class:`~content.models.Catalogue`, each key once)
and ``translations/<code>.yml`` with one entry per German text. Every problem
is reported as a :class:`Problem` with file and line, never as a traceback.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from content.models import PLACEHOLDER, Catalogue, Localized, Translation

SOURCE_LANGUAGE = "de"
TRANSLATIONS_DIR = "translations"
FORBIDDEN_WORDS = re.compile(r"\b(TODO|TBD|XXX|FIXME|lorem ipsum|lorem)\b", re.IGNORECASE)

# Button titles: WhatsApp's reply buttons allow 20 characters.
MAX_TITLE_LENGTH = 20

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content, located in a file."""

    file: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class ContentError(Exception):
    """The content store cannot be loaded; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class _Located:
    """Parsed YAML data with the line of every mapping key and list item."""

    file: str
    data: Any
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, path: tuple[str, ...]) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def _read_yaml(path: Path, shown_as: str) -> _Located:
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ContentError([Problem(shown_as, line, f"YAML syntax: {error.problem or error}")]) from None
    located = _Located(shown_as, data)
    if node is not None:
        _record_lines(node, (), located.lines)
    return located


def _record_lines(node: yaml.Node, path: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            lines[child] = key_node.start_mark.line + 1
            _record_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, str(index))
            lines[child] = item.start_mark.line + 1
            _record_lines(item, child, lines)


def _is_localized(info: Any) -> bool:
    return any(isinstance(meta, Localized) for meta in info.metadata)


def _list_of_localized(annotation: Any) -> bool:
    if get_origin(annotation) is not list:
        return False
    (item,) = get_args(annotation)
    return any(isinstance(meta, Localized) for meta in getattr(item, "__metadata__", ()))


def is_localized_field(info: FieldInfo) -> bool:
    """Whether a model field holds German text with translations: a ``LocalText`` or a list of them."""
    return _is_localized(info) or _list_of_localized(info.annotation)


def map_texts(value: Any, path: str, apply: Callable[[str, str], str], localized: bool = False) -> Any:
    """Return ``value`` with ``apply(key, german)`` applied to every localized text in it."""
    if localized and isinstance(value, str):
        return apply(path, value) if value else value
    if isinstance(value, BaseModel):
        updates = {}
        for name, info in type(value).model_fields.items():
            local = _is_localized(info) or _list_of_localized(info.annotation)
            updates[name] = map_texts(getattr(value, name), f"{path}.{name}".lstrip("."), apply, local)
        return value.model_copy(update=updates)
    if isinstance(value, dict):
        return {key: map_texts(item, f"{path}.{key}", apply, localized) for key, item in value.items()}
    if isinstance(value, list):
        return [map_texts(item, f"{path}.{index}", apply, localized) for index, item in enumerate(value)]
    return value


def text_keys(catalogue: Catalogue) -> dict[str, str]:
    """Every localized German text of the catalogue, by translation key."""
    keys: dict[str, str] = {}

    def record(key: str, german: str) -> str:
        keys[key] = german
        return german

    map_texts(catalogue, "", record)
    return keys


@dataclass(frozen=True)
class Content:
    """The loaded content store: the German catalogue and its translations."""

    directory: Path
    source: Catalogue
    texts: dict[str, str]
    translations: dict[str, dict[str, Translation]]
    locations: dict[str, tuple[str, int]]
    _catalogues: dict[str, Catalogue] = field(default_factory=dict, compare=False, repr=False)

    def catalogue(self, language: str) -> Catalogue:
        """The catalogue in ``language``; texts without a translation stay German."""
        if language not in self._catalogues:
            if language == SOURCE_LANGUAGE:
                self._catalogues[language] = self.source
            else:

                def translate(key: str, german: str) -> str:
                    found = self.translation(language, key)
                    return found.text if found else german

                self._catalogues[language] = map_texts(self.source, "", translate)
        return self._catalogues[language]

    def translation(self, language: str, key: str) -> Translation | None:
        """The non-empty translation of ``key``, if there is one."""
        found = self.translations.get(language, {}).get(key)
        return found if found is not None and found.text else None

    def location(self, key: str) -> tuple[str, int]:
        """File and line where the German text of ``key`` stands."""
        return self.locations.get(key, ("?", 1))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_PLAIN_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field (check the spelling)",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of names to entries",
    "model_type": "must be a mapping of fields",
    "string_pattern_mismatch": "has the wrong form",
    "time_parsing": "must be a time like 08:30",
    "time_type": "must be a time like 08:30",
    "enum": "must be one of mon, tue, wed, thu, fri, sat, sun",
    "too_short": "must not be empty",
}


def _explain(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    plain = _PLAIN_MESSAGES.get(error["type"], error["msg"])
    if error["type"] == "string_pattern_mismatch":
        plain = f"has the wrong form: {error['input']!r}"
    elif error["type"] == "value_error":
        plain = error["msg"].removeprefix("Value error, ")
    return f"{where} {plain}"


class _Loader:
    """Collects the problems of one pass over a content directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[Problem] = []
        self.sections: dict[str, _Located] = {}

    def error(self, located: _Located, path: tuple[str, ...], message: str) -> None:
        self.problems.append(Problem(located.file, located.line_of(path), message))

    def at(self, path: tuple[str, ...]) -> tuple[str, int]:
        located = self.sections.get(path[0]) if path else None
        if located is None:
            return _shown(self.directory), 1
        return located.file, located.line_of(path)

    def read_sections(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        known = set(Catalogue.model_fields)
        for path in sorted(self.directory.glob("*.yml")):
            try:
                located = _read_yaml(path, _shown(path))
            except ContentError as error:
                self.problems.extend(error.problems)
                continue
            if located.data is None:
                continue
            if not isinstance(located.data, dict):
                self.error(located, (), "must be a mapping of sections such as 'offices:'")
                continue
            for section, value in located.data.items():
                if section not in known:
                    self.error(located, (section,), f"unknown section {section!r}; known: {', '.join(sorted(known))}")
                elif section in merged:
                    first = self.sections[section].file
                    self.error(located, (section,), f"section {section!r} is already defined in {first}")
                else:
                    merged[section] = value
                    self.sections[section] = located
        return merged

    def validate(self, data: dict[str, Any]) -> Catalogue | None:
        try:
            return Catalogue.model_validate(data)
        except ValidationError as invalid:
            for error in invalid.errors():
                file, line = self.at(tuple(str(part) for part in error["loc"]))
                self.problems.append(Problem(file, line, _explain(error)))
            return None

    def check_references(self, catalogue: Catalogue) -> None:
        def refer(path: tuple[str, ...], kind: str, ident: str, known: dict[str, Any]) -> None:
            if ident not in known:
                file, line = self.at(path)
                self.problems.append(Problem(file, line, f"{'.'.join(path)} refers to unknown {kind} {ident!r}"))

        for sid, service in catalogue.services.items():
            for index, oid in enumerate(service.offices):
                refer(("services", sid, "offices", str(index)), "office", oid, catalogue.offices)
        for oid, office in catalogue.offices.items():
            for index, sid in enumerate(office.services):
                refer(("offices", oid, "services", str(index)), "service", sid, catalogue.services)
        providers = {**catalogue.programmes, **catalogue.services}
        for fid, offer in catalogue.offers.items():
            for index, pid in enumerate(offer.provided_by):
                refer(("offers", fid, "provided_by", str(index)), "programme or service", pid, providers)
        kinds = {
            "office": catalogue.offices,
            "service": catalogue.services,
            "programme": catalogue.programmes,
            "offer": catalogue.offers,
        }
        for intent, answer in catalogue.answers.items():
            for index, fact in enumerate(answer.facts):
                kind, ident = fact.split(":", 1)
                refer(("answers", intent, "facts", str(index)), kind, ident, kinds[kind])
            for index, button in enumerate(answer.buttons):
                refer(("answers", intent, "buttons", str(index)), "answer", button, catalogue.answers)
        for index, intent in enumerate(catalogue.menu):
            refer(("menu", str(index)), "answer", intent, catalogue.answers)

    def check_texts(self, catalogue: Catalogue, texts: dict[str, str], locations: dict[str, tuple[str, int]]) -> None:
        for key, german in texts.items():
            file, line = locations[key]
            if FORBIDDEN_WORDS.search(german):
                self.problems.append(Problem(file, line, f"{key} contains a placeholder word: {german!r}"))
        for intent, answer in catalogue.answers.items():
            if len(answer.title) > MAX_TITLE_LENGTH:
                file, line = locations[f"answers.{intent}.title"]
                self.problems.append(
                    Problem(file, line, f"answers.{intent}.title is longer than {MAX_TITLE_LENGTH} characters")
                )

    def read_translations(
        self, catalogue: Catalogue, texts: dict[str, str]
    ) -> tuple[dict[str, dict[str, Translation]], dict[tuple[str, str], tuple[str, int]]]:
        translations: dict[str, dict[str, Translation]] = {}
        where: dict[tuple[str, str], tuple[str, int]] = {}
        for path in sorted((self.directory / TRANSLATIONS_DIR).glob("*.yml")):
            try:
                located = _read_yaml(path, _shown(path))
            except ContentError as error:
                self.problems.extend(error.problems)
                continue
            language = path.stem
            if language not in catalogue.languages or language == SOURCE_LANGUAGE:
                known = ", ".join(code for code in catalogue.languages if code != SOURCE_LANGUAGE)
                self.error(located, (), f"unknown language code {language!r} (from the file name); known: {known}")
                continue
            entries = located.data or {}
            if not isinstance(entries, dict):
                self.error(located, (), "must be a mapping of text keys to translations")
                continue
            translations[language] = {}
            for key, value in entries.items():
                where[(language, key)] = (located.file, located.line_of((key,)))
                translation = self._translation(located, key, value, texts)
                if translation is not None:
                    translations[language][key] = translation
        return translations, where

    def _translation(self, located: _Located, key: Any, value: Any, texts: dict[str, str]) -> Translation | None:
        if key not in texts:
            self.error(located, (str(key),), f"unknown key {key!r}: no German text has this key")
            return None
        if isinstance(value, str):
            translation = Translation(text=value)
        else:
            try:
                translation = Translation.model_validate(value)
            except ValidationError as invalid:
                for error in invalid.errors():
                    self.error(located, (key,), f"{key}: {_explain(error)}")
                return None
        if translation.text:
            if sorted(PLACEHOLDER.findall(translation.text)) != sorted(PLACEHOLDER.findall(texts[key])):
                self.error(located, (key,), f"{key}: the placeholders in braces differ from the German text")
            if FORBIDDEN_WORDS.search(translation.text):
                self.error(located, (key,), f"{key} contains a placeholder word")
            if key.startswith("answers.") and key.endswith(".title") and len(translation.text) > MAX_TITLE_LENGTH:
                self.problems.append(
                    Problem(
                        located.file,
                        located.line_of((key,)),
                        f"{key} is longer than {MAX_TITLE_LENGTH} characters; channels will shorten it",
                        "warning",
                    )
                )
        return translation


def _text_locations(loader: _Loader, texts: dict[str, str]) -> dict[str, tuple[str, int]]:
    return {key: loader.at(tuple(key.split("."))) for key in texts}


@dataclass(frozen=True)
class Inspection:
    """The outcome of reading a content directory: the content if it loaded, and every problem."""

    content: Content | None
    problems: list[Problem]
    translation_lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]


def inspect_content(directory: Path) -> Inspection:
    """Read and validate the content store in ``directory``; never raises for bad content."""
    loader = _Loader(directory)
    if not directory.is_dir():
        return Inspection(None, [Problem(_shown(directory), 1, "the content directory does not exist")])
    data = loader.read_sections()
    if loader.problems:
        # Sections of an unreadable file would only be reported as missing, hiding the real problem.
        return Inspection(None, sorted(loader.problems))
    catalogue = loader.validate(data)
    if catalogue is None:
        return Inspection(None, sorted(loader.problems))
    loader.check_references(catalogue)
    texts = text_keys(catalogue)
    locations = _text_locations(loader, texts)
    loader.check_texts(catalogue, texts, locations)
    translations, where = loader.read_translations(catalogue, texts)
    content = Content(directory, catalogue, texts, translations, locations)
    return Inspection(content, sorted(loader.problems), where)


def load_content(directory: Path) -> Content:
    """Load the content store, raising :class:`ContentError` with every error found."""
    inspection = inspect_content(directory)
    if inspection.errors or inspection.content is None:
        raise ContentError(inspection.errors)
    return inspection.content


def write_translation_file(content: Content, language: str) -> Path:
    """Rewrite ``translations/<language>.yml`` with every key, German source as a comment.

    Existing translations and their review status are kept; keys whose German
    text no longer exists are dropped; missing ones are added empty, for staff
    or a translator to fill in. The file is replaced atomically.
    """
    target = content.directory / TRANSLATIONS_DIR / f"{language}.yml"
    existing = content.translations.get(language, {})
    lines = [
        f"# Übersetzungen: {content.source.languages[language].name} ({language}).",
        "# Ein einfacher Text wartet auf Prüfung; geprüfte Texte haben status: confirmed.",
        f"# answers.*.title sind Knöpfe: höchstens {MAX_TITLE_LENGTH} Zeichen. Platzhalter wie {{town}} bleiben.",
        "",
    ]
    for key, german in content.texts.items():
        lines.append(f"# de: {' '.join(german.split())}")
        found = existing.get(key)
        if found is None or (found.status == "review" and not found.reviewed_by):
            lines.append(f"{key}: {json.dumps(found.text if found else '', ensure_ascii=False)}")
        else:
            lines.append(f"{key}:")
            lines.append(f"  text: {json.dumps(found.text, ensure_ascii=False)}")
            lines.append(f"  status: {found.status}")
            if found.reviewed_by:
                lines.append(f"  reviewed_by: {json.dumps(found.reviewed_by, ensure_ascii=False)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, "\n".join(lines) + "\n")
    return target


def atomic_write(target: Path, text: str) -> None:
    """Replace ``target`` so that readers see either the old or the new file, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def iter_empty_contacts(catalogue: Catalogue) -> Iterator[tuple[str, ...]]:
    """Paths of every empty contact field, e.g. ``("offices", "bebra", "contact", "phone")``."""
    groups: dict[str, dict[str, Any]] = {
        "services": catalogue.services,
        "offices": catalogue.offices,
        "programmes": catalogue.programmes,
        "offers": catalogue.offers,
    }
    for section, entries in groups.items():
        for ident, entry in entries.items():
            for name in entry.contact.empty_fields():
                yield (section, ident, "contact", name)
