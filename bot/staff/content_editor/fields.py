"""What staff can edit: the entries of the content store and the fields of each, read from the models.

An entry is one entity (an answer, an office, a programme, ...) or one group
of the conversation's messages; its fields follow the pydantic model, so a
field added to :mod:`content.models` shows up here by itself. Texts (the
model's ``LocalText`` fields) have a translation per language; everything else
(town, numbers, references, contact facts) is German only.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from content.models import Catalogue, Contact, OpeningSlot
from content.store import MAX_TITLE_LENGTH, is_localized_field

CONTENT_PATH = "/admin/content"

SECTION_TITLES = {
    "answers": "Antworten",
    "services": "Fachdienste",
    "offices": "Beratungsstellen",
    "programmes": "Programme",
    "offers": "Angebote",
    "emergency_numbers": "Notrufnummern",
    "messages": "Texte des Gesprächs",
}
# The conversation's messages, in three entries: (path in the catalogue, title).
MESSAGE_GROUPS: dict[str, tuple[tuple[str, ...], str]] = {
    "conversation": (("messages",), "Gesprächstexte"),
    "labels": (("messages", "labels"), "Beschriftungen der Angaben"),
    "weekdays": (("messages", "weekdays"), "Wochentage"),
}
# Which fact references point at an entity of each section (see Answer.facts).
FACT_KINDS = {"services": "service", "offices": "office", "programmes": "programme", "offers": "offer"}
# Answers that show the conversation's messages, for the preview of a message group.
MESSAGE_PREVIEWS = {
    "conversation": ("greet", "emergency", "human_handover"),
    "labels": ("asylum_services", "onfit_programme"),
    "weekdays": ("opening_hours",),
}

FIELD_LABELS = {
    "title": f"Knopftitel (höchstens {MAX_TITLE_LENGTH} Zeichen)",
    "text": "Antworttext",
    "name": "Name",
    "summary": "Beschreibung",
    "audience": "Für wen",
    "details": "Einzelheit",
    "funding": "Förderung",
    "label": "Bezeichnung",
    "town": "Ort",
    "number": "Nummer",
    "aliases": "Andere Namen (durch Komma getrennt)",
    "facts": "Angezeigte Einträge (z. B. office:bebra, durch Komma getrennt)",
    "buttons": "Nächste Themen als Knöpfe (durch Komma getrennt)",
    "offices": "Beratungsstellen (durch Komma getrennt)",
    "services": "Fachdienste (durch Komma getrennt)",
    "provided_by": "Angeboten von (Programme oder Fachdienste, durch Komma getrennt)",
    "contact_person": "Ansprechperson",
    "address": "Adresse",
    "phone": "Telefon",
    "email": "E-Mail",
    "url": "Internetseite (https://…)",
    "opening_hours": "Öffnungszeiten",
    "menu_prompt": "Aufforderung unter dem Menü",
    "ask_town": "Frage nach dem Ort",
    "other_town": "Knopf „anderer Ort“",
    "town_without_office": "Ort ohne eigene Beratungsstelle",
    "not_understood": "Nicht verstanden",
    "not_understood_again": "Wieder nicht verstanden",
    "talk_to_person": "Knopf „mit einer Person sprechen“",
    "details_missing": "Angaben fehlen noch",
    "choose_language": "Sprache wählen",
    "language_changed": "Sprache gewechselt",
    "language_not_supported": "Sprache wird nicht unterstützt",
    "empty_message": "Leere Nachricht",
    "no_words": "Nachricht ohne Wörter",
    "too_long": "Nachricht zu lang",
    "unreadable": "Nachricht mit unlesbaren Zeichen",
    "unsupported_media": "Sprachnachricht, Bild oder Datei",
    "emergency_intro": "Notfall: vor den Nummern",
    "emergency_then": "Notfall: nach den Nummern",
    "handover_started": "Übergabe an die Beratung beginnt",
    "handover_waiting": "Nachricht an die Beratung weitergeleitet",
    "handover_closed": "Beratung gerade nicht besetzt",
    "handover_ended": "Beratung hat das Gespräch beendet",
    "counsellor_original": "Hinweis auf das deutsche Original",
    "bot_back": "Wieder mit dem Bot",
    "data_deleted": "Daten gelöscht",
    "mon": "Montag",
    "tue": "Dienstag",
    "wed": "Mittwoch",
    "thu": "Donnerstag",
    "fri": "Freitag",
    "sat": "Samstag",
    "sun": "Sonntag",
}
# Texts short enough for one line; all others get a text area.
ONE_LINE = frozenset(
    {"title", "name", "label", "town", "number", "talk_to_person", "other_town", "counsellor_original"}
)

DAY_ABBREVIATIONS = {"mon": "Mo", "tue": "Di", "wed": "Mi", "thu": "Do", "fri": "Fr", "sat": "Sa", "sun": "So"}
_DAYS_BY_ABBREVIATION = {abbreviation.lower(): day for day, abbreviation in DAY_ABBREVIATIONS.items()}
_WEEK = list(DAY_ABBREVIATIONS)
_SLOT = re.compile(
    r"^(?P<days>.*?)\s*(?P<opens>\d{1,2}[:.]\d{2})\s*(?:-|–|bis)\s*(?P<closes>\d{1,2}[:.]\d{2})\s*(?:Uhr)?$"
)
HOURS_EXAMPLE = "Mo, Di 08:30–12:00"


class FieldError(ValueError):
    """A value typed into a field cannot be used; the message says why, in German."""


class Kind(StrEnum):
    TEXT = "text"
    """German text with a translation per language."""
    FACT = "fact"
    """A single fact that is not translated (town, phone, ...)."""
    LIST = "list"
    """A list of names or references, typed separated by commas."""
    HOURS = "hours"
    """Opening hours, one period per line."""


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]
    kind: Kind
    required: bool = False

    @property
    def key(self) -> str:
        """The translation key (for texts) and the form field's name."""
        return ".".join(self.path)

    @property
    def name(self) -> str:
        return next(part for part in reversed(self.path) if not part.isdigit())

    @property
    def label(self) -> str:
        label = FIELD_LABELS.get(self.name, self.name)
        return f"{label} {int(self.path[-1]) + 1}" if self.path[-1].isdigit() else label

    @property
    def contact(self) -> bool:
        return "contact" in self.path

    @property
    def one_line(self) -> bool:
        return self.kind in (Kind.FACT, Kind.LIST) or self.name in ONE_LINE

    @property
    def limit(self) -> int | None:
        """The most characters the field may hold: button titles."""
        return MAX_TITLE_LENGTH if self.path[0] == "answers" and self.name == "title" else None


@dataclass(frozen=True)
class Entry:
    section: str
    ident: str
    title: str
    path: tuple[str, ...]
    """Where the entry's model stands in the catalogue."""

    @property
    def url(self) -> str:
        return f"{CONTENT_PATH}/{self.section}/{self.ident}"

    @property
    def section_title(self) -> str:
        return SECTION_TITLES[self.section]

    def fields(self, catalogue: Catalogue) -> list[Field]:
        model = value_at(catalogue, self.path)
        assert isinstance(model, BaseModel)
        return list(_fields_of(model, self.path))

    def preview_intents(self, catalogue: Catalogue) -> list[str]:
        """The answers that show this entry, for the preview."""
        if self.section == "answers":
            intents: list[str] = [self.ident]
        elif self.section == "emergency_numbers":
            intents = ["emergency"]
        elif self.section == "messages":
            intents = list(MESSAGE_PREVIEWS[self.ident])
        else:
            reference = f"{FACT_KINDS[self.section]}:{self.ident}"
            intents = [intent for intent, answer in catalogue.answers.items() if reference in answer.facts]
        return [intent for intent in intents if intent in catalogue.answers]


def entries(catalogue: Catalogue) -> dict[str, list[Entry]]:
    """Every editable entry, by section, in the order of the files."""
    found: dict[str, list[Entry]] = {}
    for section in SECTION_TITLES:
        if section == "messages":
            found[section] = [
                Entry(section, ident, title, path) for ident, (path, title) in MESSAGE_GROUPS.items()
            ]
        else:
            items: dict[str, Any] = getattr(catalogue, section)
            found[section] = [
                Entry(section, ident, _title(section, item), (section, ident)) for ident, item in items.items()
            ]
    return found


def find_entry(catalogue: Catalogue, section: str, ident: str) -> Entry | None:
    return next((entry for entry in entries(catalogue).get(section, []) if entry.ident == ident), None)


def entries_by_key(catalogue: Catalogue) -> dict[str, Entry]:
    """The entry of every translation key (``answers.greet.title`` belongs to the answer ``greet``)."""
    return {
        field.key: entry
        for found in entries(catalogue).values()
        for entry in found
        for field in entry.fields(catalogue)
        if field.kind is Kind.TEXT
    }


def _title(section: str, item: Any) -> str:
    if section == "answers":
        return str(item.title)
    if section == "emergency_numbers":
        return f"{item.label} ({item.number})"
    return str(item.name)


def _fields_of(model: BaseModel, path: tuple[str, ...]) -> list[Field]:
    fields: list[Field] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        here = (*path, name)
        if is_localized_field(info):
            if isinstance(value, list):
                fields.extend(Field((*here, str(index)), Kind.TEXT, True) for index in range(len(value)))
            else:
                fields.append(Field(here, Kind.TEXT, info.is_required()))
        elif isinstance(value, Contact):
            fields.extend(
                Field((*here, contact), Kind.HOURS if contact == "opening_hours" else Kind.FACT)
                for contact in Contact.model_fields
            )
        elif isinstance(value, BaseModel):
            # A group of its own (the messages' labels and weekdays).
            continue
        elif isinstance(value, list):
            fields.append(Field(here, Kind.LIST))
        else:
            fields.append(Field(here, Kind.FACT, info.is_required()))
    return fields


def value_at(catalogue: Catalogue, path: tuple[str, ...]) -> Any:
    value: Any = catalogue
    for part in path:
        if isinstance(value, BaseModel):
            value = getattr(value, part)
        elif isinstance(value, dict):
            value = value[part]
        else:
            value = value[int(part)]
    return value


def german_value(field: Field, catalogue: Catalogue) -> Any:
    """The field's value in the form it is written to the YAML file."""
    value = value_at(catalogue, field.path)
    if field.kind is Kind.HOURS:
        return [_slot_data(slot) for slot in value]
    if field.kind is Kind.LIST:
        return list(value)
    return str(value)


def shown(field: Field, value: Any) -> str:
    """A value as it stands in the form."""
    if field.kind is Kind.HOURS:
        return "\n".join(
            f"{', '.join(DAY_ABBREVIATIONS[day] for day in slot['days'])} {slot['opens']}–{slot['closes']}"
            for slot in value
        )
    if field.kind is Kind.LIST:
        return ", ".join(value)
    return str(value)


def parse(field: Field, typed: str) -> Any:
    """What staff typed into ``field``, in the form it is written to the YAML file; raises :class:`FieldError`."""
    if field.kind is Kind.HOURS:
        return parse_hours(typed)
    if field.kind is Kind.LIST:
        return [part.strip() for part in typed.split(",") if part.strip()]
    value = normalize(typed)
    if field.required and not value:
        raise FieldError("Dieses Feld darf nicht leer sein.")
    return value


def normalize(typed: str) -> str:
    """Browsers send line breaks as CRLF; spaces around a text are never meant."""
    return typed.replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_hours(typed: str) -> list[dict[str, Any]]:
    slots = []
    for line in (part.strip() for part in re.split(r"[\n;]", normalize(typed))):
        if not line:
            continue
        match = _SLOT.match(line)
        days = _days(match.group("days")) if match else None
        if match is None or not days:
            raise FieldError(
                f"„{line}“ ist keine Öffnungszeit. Bitte je Zeitraum eine Zeile wie „{HOURS_EXAMPLE}“ "
                "oder „Mo–Fr 09:00–12:00“ schreiben."
            )
        slots.append({"days": days, "opens": _time(match.group("opens")), "closes": _time(match.group("closes"))})
    return slots


def _days(typed: str) -> list[str] | None:
    days: list[str] = []
    ranges = re.sub(r"\s*[-–]\s*", "-", typed.strip())
    for token in filter(None, re.split(r"[,\s]+", ranges)):
        bounds = [_DAYS_BY_ABBREVIATION.get(part.strip(".").lower()[:2]) for part in re.split(r"[-–]", token)]
        if None in bounds or len(bounds) > 2:
            return None
        first, last = _WEEK.index(str(bounds[0])), _WEEK.index(str(bounds[-1]))
        if last < first:
            return None
        days.extend(day for day in _WEEK[first : last + 1] if day not in days)
    return days


def _time(typed: str) -> str:
    hours, minutes = (int(part) for part in re.split(r"[:.]", typed))
    if hours > 23 or minutes > 59:
        raise FieldError(f"„{typed}“ ist keine Uhrzeit.")
    return f"{hours:02d}:{minutes:02d}"


def _slot_data(slot: OpeningSlot) -> dict[str, Any]:
    return {"days": [day.value for day in slot.days], "opens": f"{slot.opens:%H:%M}", "closes": f"{slot.closes:%H:%M}"}


def digest(values: Any) -> str:
    """A short fingerprint of what a form showed, to notice when someone else changed it meanwhile."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]
