"""Loading Rasa "3.1" NLU training data: examples with inline entities, synonyms, lookups and regexes.

Every file in the data directory is read (``config.yml`` excepted). A file named for a language code
(``fa.yml``) gives its examples that language. Mistakes are reported with file and line, because the files
are written by hand by several people.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nlu.languages import KNOWN_LANGUAGES

CONFIG_FILE_NAME = "config.yml"
_SECTION_KEYS = ("intent", "synonym", "lookup", "regex")
_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<entity>[^()]*)\)|(?P<attributes>\{[^{}]*\}))")
_LEFTOVER_BRACKET = re.compile(r"[\[\]]")


class TrainingDataError(ValueError):
    """A malformed training file, with the place of the problem."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        place = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{place}: {message}")


@dataclass(frozen=True, slots=True)
class Source:
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Annotation:
    """An entity marked in an example; ``start``/``end`` index the example's plain text."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    intent: str
    language: str | None
    entities: tuple[Annotation, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class TrainingData:
    examples: tuple[Example, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    """Surface form -> canonical value, as Rasa's EntitySynonymMapper uses it."""
    lookups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    regexes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def training_files(directory: Path) -> list[Path]:
    """The training files of a directory, in a stable order."""
    files = [*directory.glob("*.yml"), *directory.glob("*.yaml")]
    return sorted(path for path in files if path.name != CONFIG_FILE_NAME)


def language_of(path: Path) -> str | None:
    return path.stem if path.stem in KNOWN_LANGUAGES else None


def load_training_data(directory: Path) -> TrainingData:
    if not directory.is_dir():
        raise TrainingDataError(directory, None, "training data directory does not exist")
    builder = _Builder()
    for path in training_files(directory):
        builder.add_file(path)
    return builder.build()


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    number: int


class _Builder:
    def __init__(self) -> None:
        self.examples: list[Example] = []
        self.synonyms: dict[str, tuple[str, Source]] = {}
        self.lookups: dict[str, list[str]] = {}
        self.regexes: dict[str, list[str]] = {}

    def build(self) -> TrainingData:
        return TrainingData(
            examples=tuple(self.examples),
            synonyms={variant: value for variant, (value, _) in self.synonyms.items()},
            lookups={name: tuple(items) for name, items in self.lookups.items()},
            regexes={name: tuple(items) for name, items in self.regexes.items()},
        )

    def add_file(self, path: Path) -> None:
        try:
            # libyaml's parser where PyYAML has it: the pure-Python one takes two seconds for the whole data.
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            raise TrainingDataError(path, line, f"invalid YAML: {error.problem or error}") from error
        except UnicodeDecodeError as error:
            raise TrainingDataError(path, None, "not UTF-8 text") from error
        if root is None:
            return
        if not isinstance(root, yaml.MappingNode):
            raise TrainingDataError(path, _line(root), "expected a mapping with an `nlu` list at the top")
        nlu = _child(root, "nlu")
        if nlu is None:
            return
        if not isinstance(nlu, yaml.SequenceNode):
            raise TrainingDataError(path, _line(nlu), "`nlu` must be a list of entries")
        for entry in nlu.value:
            self._add_entry(path, entry)

    def _add_entry(self, path: Path, entry: yaml.Node) -> None:
        if not isinstance(entry, yaml.MappingNode):
            raise TrainingDataError(path, _line(entry), "an `nlu` entry must be a mapping")
        present = [key for key in _SECTION_KEYS if _child(entry, key) is not None]
        if len(present) != 1:
            raise TrainingDataError(
                path, _line(entry), f"an entry needs exactly one of {', '.join(_SECTION_KEYS)}; found {present}"
            )
        kind = present[0]
        name_node = _child(entry, kind)
        if not isinstance(name_node, yaml.ScalarNode) or not name_node.value.strip():
            raise TrainingDataError(path, _line(entry), f"`{kind}` needs a name")
        name = name_node.value.strip()
        examples = _child(entry, "examples")
        if examples is None:
            raise TrainingDataError(path, _line(entry), f"{kind} `{name}` has no `examples`")
        for line in _example_lines(path, examples):
            self._add_example(path, kind, name, line)

    def _add_example(self, path: Path, kind: str, name: str, line: _Line) -> None:
        source = Source(path, line.number)
        if kind == "intent":
            text, annotations = parse_annotated(line.text, source)
            self.examples.append(Example(text, name, language_of(path), annotations, source))
            for annotation in annotations:
                surface = text[annotation.start : annotation.end]
                if surface != annotation.value:
                    self._add_synonym(surface, annotation.value, source)
        elif kind == "synonym":
            self._add_synonym(line.text, name, source)
        elif kind == "lookup":
            self.lookups.setdefault(name, []).append(line.text)
        else:
            try:
                re.compile(line.text)
            except re.error as error:
                raise TrainingDataError(path, line.number, f"regex `{name}` does not compile: {error}") from error
            self.regexes.setdefault(name, []).append(line.text)

    def _add_synonym(self, variant: str, value: str, source: Source) -> None:
        known = self.synonyms.get(variant)
        if known is not None and known[0] != value:
            raise TrainingDataError(
                source.path,
                source.line,
                f"`{variant}` is a synonym of `{value}` here but of `{known[0]}` at {known[1]}",
            )
        self.synonyms[variant] = (value, source)


def parse_annotated(line: str, source: Source) -> tuple[str, tuple[Annotation, ...]]:
    """Plain text and entities of an example written with ``[text](entity)`` or ``[text]{"entity": ...}``."""
    plain: list[str] = []
    annotations: list[Annotation] = []
    position = 0
    length = 0
    for match in _ANNOTATION.finditer(line):
        before = line[position : match.start()]
        plain.append(before)
        length += len(before)
        surface = match.group("text")
        entity, value = _annotation_target(match, surface, source)
        annotations.append(Annotation(entity, value, length, length + len(surface)))
        plain.append(surface)
        length += len(surface)
        position = match.end()
    plain.append(line[position:])
    text = "".join(plain)
    if _LEFTOVER_BRACKET.search(text):
        raise TrainingDataError(
            source.path, source.line, f"malformed entity annotation in `{line}` (expected [text](entity))"
        )
    return text, tuple(annotations)


def _annotation_target(match: re.Match[str], surface: str, source: Source) -> tuple[str, str]:
    if match.group("attributes") is None:
        entity = match.group("entity").strip()
        if not entity or ":" in entity:
            raise TrainingDataError(
                source.path, source.line, f'entity name `{entity}` is invalid; use [text]{{"entity": ...}}'
            )
        return entity, surface
    try:
        attributes = json.loads(match.group("attributes"))
    except json.JSONDecodeError as error:
        raise TrainingDataError(
            source.path, source.line, f"entity attributes are not valid JSON: {match.group('attributes')}"
        ) from error
    entity = attributes.get("entity") if isinstance(attributes, dict) else None
    if not isinstance(entity, str) or not entity:
        raise TrainingDataError(source.path, source.line, 'entity attributes need an "entity" name')
    value = attributes.get("value", surface)
    return entity, str(value)


def _example_lines(path: Path, node: yaml.Node) -> Iterator[_Line]:
    if isinstance(node, yaml.ScalarNode):
        yield from _block_lines(path, node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            text_node = _child(item, "text") if isinstance(item, yaml.MappingNode) else item
            if not isinstance(text_node, yaml.ScalarNode) or not text_node.value.strip():
                raise TrainingDataError(path, _line(item), "an example in a list needs a `text`")
            yield _Line(text_node.value.strip(), _line(text_node))
    else:
        raise TrainingDataError(path, _line(node), "`examples` must be a block of `- ` lines or a list")


def _block_lines(path: Path, node: yaml.ScalarNode) -> Iterator[_Line]:
    # A block scalar's content starts on the line after its `|` indicator.
    first_line = _line(node) + (1 if node.style in ("|", ">") else 0)
    for offset, raw in enumerate(node.value.split("\n")):
        stripped = raw.strip()
        if not stripped:
            continue
        number = first_line + offset
        if not stripped.startswith("-"):
            raise TrainingDataError(path, number, f"an example must start with `- `: `{stripped}`")
        text = stripped[1:].strip()
        if not text:
            raise TrainingDataError(path, number, "empty example")
        yield _Line(text, number)


def _child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
