"""The sections of the staff area: one entry per page group, shown to the roles that may use it.

A staff module adds its entry to :data:`SECTIONS` (the order here is the
order in the navigation and on the start page) and guards its endpoints
with the same roles (:func:`bot.staff.guard.requires`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.staff.accounts import Role


@dataclass(frozen=True)
class Section:
    title: str
    path: str
    # Roles beside admin that may use the section; admins may use every section, empty means all staff.
    roles: frozenset[Role]
    description: str = ""

    def visible_to(self, role: Role) -> bool:
        return role.may(self.roles)


SECTIONS: list[Section] = [
    Section(
        "Posteingang",
        "/admin/inbox",
        frozenset({Role.COUNSELLOR}),
        "Anfragen, die der Bot an die Beratung übergeben hat: übernehmen, antworten, abschließen.",
    ),
    Section("Inhalte", "/admin/content", frozenset({Role.EDITOR}), "Antworten und Angaben bearbeiten."),
    Section("Übersetzungen", "/admin/translations", frozenset({Role.EDITOR}), "Übersetzungen prüfen und bestätigen."),
    Section("Trainingsdaten", "/admin/training", frozenset({Role.EDITOR}), "Beispielsätze bearbeiten, neu trainieren."),
    Section("Unbeantwortet", "/admin/unanswered", frozenset({Role.EDITOR}), "Nicht verstandene Fragen zuordnen."),
    Section("Statistik", "/admin/dashboard", frozenset(), "Nachrichten, Sprachen, Themen, Übergaben, Wartezeiten."),
    Section(
        "Benutzer",
        "/admin/users",
        frozenset({Role.ADMIN}),
        "Konten anlegen, Rollen vergeben, Konten sperren und Passwörter zurücksetzen.",
    ),
    Section(
        "Protokoll",
        "/admin/audit",
        frozenset({Role.ADMIN}),
        "Wer hat wann was im Mitarbeiterbereich geändert?",
    ),
]


def sections_for(role: Role) -> list[Section]:
    return [section for section in SECTIONS if section.visible_to(role)]
