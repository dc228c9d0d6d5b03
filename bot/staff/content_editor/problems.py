"""The content check's problems, in plain German and tied to the field they concern.

``wegweiser content check`` speaks to developers (``answers.yml:41: error:
answers.opening_hours.title is longer than 20 characters``); staff see "Der
Knopftitel darf höchstens 20 Zeichen lang sein." beside the field. A problem
names its field by the dotted path it starts with or, failing that, by its
file and line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from content.models import PLACEHOLDER
from content.store import SOURCE_LANGUAGE, TRANSLATIONS_DIR, Problem, Severity, inspect_content

_DOTTED = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+)")
_WRONG_FORM = {
    "phone": "Eine Telefonnummer besteht aus Ziffern, Leerzeichen und den Zeichen + / ( ) -.",
    "email": "Das ist keine E-Mail-Adresse der Form name@beispiel.de.",
    "url": "Eine Internetadresse beginnt mit https:// und enthält keine Leerzeichen.",
    "number": "Eine Notrufnummer besteht nur aus Ziffern und Leerzeichen.",
}
# Warnings the pages show in their own way ("fehlt noch", status badges) or that concern the whole store.
_QUIET = re.compile(r"is empty: the bot offers a counsellor instead|awaiting staff review|^missing [a-z]+ translation")


@dataclass(frozen=True)
class Finding:
    """One problem of a draft, for staff."""

    message: str
    severity: Severity
    language: str
    path: str | None
    """The dotted path of the value concerned (a translation key, or deeper, e.g. ``...opening_hours.0.closes``)."""
    where: str

    @property
    def error(self) -> bool:
        return self.severity == "error"

    def concerns(self, key: str, language: str) -> bool:
        """Whether the finding belongs to the field ``key`` in ``language``."""
        return (
            self.language == language
            and self.path is not None
            and (self.path == key or self.path.startswith(key + "."))
        )


def findings(directory: Path, problems: list[Problem]) -> list[Finding]:
    """``problems`` of the content in ``directory`` as findings; warnings staff need not act on are left out."""
    german_texts = functools.cache(lambda: _german_texts(directory))
    lines = functools.cache(lambda relative: _paths_by_line(directory / relative))
    found = []
    for problem in problems:
        relative = _relative(directory, problem.file)
        language = _language_of(relative)
        match = _DOTTED.match(problem.message)
        path = match.group(1) if match else lines(relative).get(problem.line)
        message = explain(problem, path, lambda key: german_texts().get(key, ""))
        if message is not None:
            found.append(Finding(message, problem.severity, language, path, f"{relative}, Zeile {problem.line}"))
    return found


def explain(problem: Problem, path: str | None, german: Callable[[str], str]) -> str | None:
    """What ``problem`` means, in German; None for warnings shown otherwise."""
    text = problem.message
    if problem.severity == "warning" and _QUIET.search(text):
        return None
    name = next((part for part in reversed((path or "").split(".")) if part and not part.isdigit()), "")
    if found := re.search(r"is longer than (\d+) characters; channels will shorten it", text):
        return f"Länger als {found.group(1)} Zeichen: Telegram und WhatsApp kürzen diesen Knopf."
    if found := re.search(r"is longer than (\d+) characters", text):
        return f"Der Knopftitel darf höchstens {found.group(1)} Zeichen lang sein."
    if "placeholders in braces differ" in text:
        wanted = sorted(set(PLACEHOLDER.findall(german(path or ""))))
        if not wanted:
            return "Der deutsche Text hat keine Platzhalter in geschweiften Klammern; die Übersetzung darf keine haben."
        named = ", ".join("{" + placeholder + "}" for placeholder in wanted)
        return f"Die Platzhalter {named} müssen genau so (unübersetzt, in geschweiften Klammern) im Text stehen."
    if "contains a placeholder word" in text:
        return "Der Text enthält ein Platzhalterwort wie TODO, XXX oder lorem ipsum. Bitte den fertigen Text eintragen."
    if text.endswith(("must not be empty", "is required but missing")):
        return "Dieses Feld darf nicht leer sein."
    if "has the wrong form" in text:
        return _WRONG_FORM.get(name, "Hier sind nur Kleinbuchstaben, Ziffern und _ erlaubt (z. B. bad_hersfeld).")
    if found := re.search(r"refers to unknown ([a-z ]+) '([^']*)'", text):
        return f"„{found.group(2)}“ gibt es nicht: Bitte die Kennung eines vorhandenen Eintrags angeben."
    if "is not a reference like" in text:
        return "Einträge bitte so angeben: office:<kennung>, service:<kennung>, programme:<kennung>, offer:<kennung>."
    if "closes must be later than opens" in text:
        return "Eine Öffnungszeit muss später enden, als sie beginnt."
    if "must be a time like" in text:
        return "Uhrzeiten bitte so schreiben: 08:30."
    if "must be one of mon" in text:
        return "Wochentage bitte als Mo, Di, Mi, Do, Fr, Sa oder So schreiben."
    if found := re.search(r"intent '([^']+)' has no answer", text):
        return f"Zum Thema „{found.group(1)}“ fehlt die Antwort."
    if "belongs to no known intent" in text:
        return "Diese Antwort gehört zu keinem Thema, das der Bot erkennt; sie wird nie gezeigt."
    if "YAML syntax" in text:
        return "Die Datei ist kein gültiges YAML mehr."
    severity = "Fehler" if problem.severity == "error" else "Hinweis"
    return f"{severity} der Inhaltsprüfung: {text}"


def _german_texts(directory: Path) -> dict[str, str]:
    content = inspect_content(directory).content
    return content.texts if content is not None else {}


def _relative(directory: Path, shown: str) -> str:
    """A problem's file (as the check shows it: relative to the working directory or absolute) inside ``directory``."""
    path = Path(shown)
    if not path.is_absolute():
        path = Path.cwd() / path
    try:
        return path.resolve().relative_to(directory.resolve()).as_posix()
    except ValueError:
        return shown


def _language_of(relative: str) -> str:
    parts = relative.split("/")
    return parts[1].removesuffix(".yml") if len(parts) == 2 and parts[0] == TRANSLATIONS_DIR else SOURCE_LANGUAGE


def _paths_by_line(path: Path) -> dict[int, str]:
    """The dotted path of the deepest key on each line of a YAML file."""
    found: dict[int, str] = {}
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return found

    def visit(node: yaml.Node, path: tuple[str, ...]) -> None:
        children: list[tuple[str, yaml.Node, int]] = []
        if isinstance(node, yaml.MappingNode):
            children = [(str(key.value), value, key.start_mark.line + 1) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = [(str(index), item, item.start_mark.line + 1) for index, item in enumerate(node.value)]
        for name, child, line in children:
            found[line] = ".".join((*path, name))
            visit(child, (*path, name))

    if root is not None:
        visit(root, ())
    return found
