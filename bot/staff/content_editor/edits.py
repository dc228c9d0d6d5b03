"""Changes staff make to the content files: an entry's form in one language, one translation.

German values are written into the entity files in place
(:mod:`bot.staff.content_editor.yaml_values`); translations through
:func:`content.store.write_translation_file`. When a German text changes, its
confirmed translations go back to review: they were checked against the old
wording. A translation that staff write themselves is confirmed by them.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.staff.content_editor.fields import (
    Entry,
    Field,
    FieldError,
    Kind,
    digest,
    german_value,
    normalize,
    parse,
    shown,
)
from bot.staff.content_editor.problems import Finding, findings
from bot.staff.content_editor.publishing import ChangeRefused, form_finding, refusal
from bot.staff.content_editor.yaml_values import set_values
from content.models import Translation
from content.store import SOURCE_LANGUAGE, Content, inspect_content, write_translation_file

CONFLICT = (
    "Jemand anderes hat diesen Eintrag geändert, seit Sie ihn geöffnet haben. Ihre Eingaben stehen noch im "
    "Formular; bitte vergleichen Sie sie mit dem aktuellen Stand (Seite neu laden) und veröffentlichen Sie erneut."
)


@dataclass(frozen=True)
class EntryEdit:
    """What staff typed into the form of ``entry`` in ``language``; as a change, it writes it to a directory."""

    entry: Entry
    language: str
    typed: dict[str, str]
    base: str
    """The fingerprint of the entry as the form showed it (:func:`form_digest`)."""
    actor: str

    def __call__(self, directory: Path) -> list[Finding]:
        content = load(directory)
        fields = self.entry.fields(content.source)
        if form_digest(self.entry, content, self.language) != self.base:
            raise refusal(CONFLICT, language=self.language)
        if self.language != SOURCE_LANGUAGE:
            updates = translation_changes(fields, self.typed, content, self.language, self.actor)
            if updates:
                write_translations(content, self.language, updates)
            return []
        changes, unusable = german_changes(fields, self.typed, content)
        write_german(directory, content, changes)
        return unusable


def load(directory: Path) -> Content:
    """The content of ``directory``; a store that does not load refuses every change, with its problems."""
    inspection = inspect_content(directory)
    if inspection.content is None:
        raise ChangeRefused(findings(directory, inspection.errors))
    return inspection.content


def form_digest(entry: Entry, content: Content, language: str) -> str:
    """The fingerprint of what the form of ``entry`` in ``language`` shows."""
    fields = entry.fields(content.source)
    if language == SOURCE_LANGUAGE:
        return digest({field.key: german_value(field, content.source) for field in fields})
    known = content.translations.get(language, {})
    shown_texts = {}
    for field in translatable(fields, content):
        translation = known.get(field.key)
        text = translation.text if translation else ""
        shown_texts[field.key] = [content.texts[field.key], text, status_of(translation)]
    return digest(shown_texts)


def status_of(translation: Translation | None) -> str:
    """``confirmed``, ``review`` or ``draft``; ``missing`` without a translated text."""
    return translation.status if translation is not None and translation.text else "missing"


def translatable(fields: list[Field], content: Content) -> list[Field]:
    """The fields that have a German text to translate."""
    return [field for field in fields if field.kind is Kind.TEXT and field.key in content.texts]


def german_changes(
    fields: list[Field], typed: dict[str, str], content: Content
) -> tuple[dict[Field, Any], list[Finding]]:
    """The fields whose typed value differs from the file, with the new value; and the values that are unusable."""
    changes: dict[Field, Any] = {}
    unusable = []
    for field in fields:
        if field.key not in typed:
            continue
        try:
            value = parse(field, typed[field.key])
        except FieldError as error:
            unusable.append(form_finding(str(error), field.key))
            continue
        if value != german_value(field, content.source):
            changes[field] = value
    return changes, unusable


def write_german(directory: Path, content: Content, changes: dict[Field, Any]) -> None:
    """Write German values into the entity files; confirmed translations of changed texts go back to review."""
    by_file: dict[Path, dict[tuple[str, ...], Any]] = defaultdict(dict)
    files = _section_files(directory)
    for field, value in changes.items():
        by_file[files[field.path[0]]][field.path] = value
    for path, values in by_file.items():
        path.write_text(set_values(path.read_text(encoding="utf-8"), values), encoding="utf-8")
    changed_texts = {field.key for field in changes if field.kind is Kind.TEXT}
    if not changed_texts:
        return
    changed = inspect_content(directory).content
    if changed is None:
        # The check reports why; there are no translation files to bring in line with broken German ones.
        return
    for language in changed.source.core_languages:
        if language == SOURCE_LANGUAGE:
            continue
        known = changed.translations.get(language, {})
        updates: dict[str, Translation | None] = {
            key: Translation(text=known[key].text, status="review")
            for key in changed_texts
            if key in known and known[key].status == "confirmed"
        }
        # Written even without updates: the German source beside each key is now different.
        write_translations(changed, language, updates)


def translation_changes(
    fields: list[Field], typed: dict[str, str], content: Content, language: str, actor: str
) -> dict[str, Translation | None]:
    """Translations typed differently from the file: confirmed by ``actor``, or None where emptied."""
    known = content.translations.get(language, {})
    updates: dict[str, Translation | None] = {}
    for field in translatable(fields, content):
        if field.key not in typed:
            continue
        text = normalize(typed[field.key])
        if text != (known[field.key].text if field.key in known else ""):
            updates[field.key] = Translation(text=text, status="confirmed", reviewed_by=actor) if text else None
    return updates


def write_translations(content: Content, language: str, updates: dict[str, Translation | None]) -> None:
    """Rewrite the translation file of ``language`` with ``updates`` (None removes a translation)."""
    translations = dict(content.translations.get(language, {}))
    for key, translation in updates.items():
        if translation is None:
            translations.pop(key, None)
        else:
            translations[key] = translation
    write_translation_file(
        dataclasses.replace(content, translations={**content.translations, language: translations}), language
    )


def shown_value(field: Field, content: Content) -> str:
    return shown(field, german_value(field, content.source))


def _section_files(directory: Path) -> dict[str, Path]:
    """Which German file holds each top-level section."""
    files = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            files.update({str(section): path for section in data})
    return files
