"""Turning content entities into the lines of an answer.

Only filled-in fields become lines; an empty contact field is never shown.
Which entities lack the details a question needs is reported separately, so
the answer can offer a counsellor instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from content.models import Catalogue, Contact, OpeningSlot, Weekday

CONTACT_FIELDS = ("contact_person", "address", "phone", "email", "opening_hours")


@dataclass(frozen=True)
class Block:
    """The text of one entity, its web link if any, and whether details the question needs are missing."""

    lines: tuple[str, ...]
    url: str = ""
    title: str = ""
    missing: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def opening_hours_line(slots: list[OpeningSlot], catalogue: Catalogue) -> str:
    names = catalogue.messages.weekdays
    parts = [
        f"{', '.join(getattr(names, Weekday(day).value) for day in slot.days)} {slot.opens:%H:%M}–{slot.closes:%H:%M}"
        for slot in slots
    ]
    return "; ".join(parts)


def contact_lines(contact: Contact, catalogue: Catalogue) -> list[str]:
    labels = catalogue.messages.labels
    lines = [
        f"{getattr(labels, name)}: {getattr(contact, name)}" for name in CONTACT_FIELDS[:4] if getattr(contact, name)
    ]
    if contact.opening_hours:
        lines.append(f"{labels.opening_hours}: {opening_hours_line(contact.opening_hours, catalogue)}")
    return lines


def _missing(contact: Contact, needed: tuple[str, ...]) -> bool:
    return any(not getattr(contact, name) for name in needed)


def fact_block(reference: str, catalogue: Catalogue, needed: tuple[str, ...]) -> Block:
    """The block for a reference like ``office:bebra``."""
    kind, ident = reference.split(":", 1)
    labels = catalogue.messages.labels
    if kind == "office":
        office = catalogue.offices[ident]
        lines = [f"📍 {office.name}", *contact_lines(office.contact, catalogue)]
        return Block(tuple(lines), office.contact.url, office.name, _missing(office.contact, needed))
    if kind == "service":
        service = catalogue.services[ident]
        offices = ", ".join(catalogue.offices[oid].name for oid in service.offices)
        lines = [service.summary, f"{labels.offices}: {offices}", *contact_lines(service.contact, catalogue)]
        return Block(tuple(lines), service.contact.url, service.name, _missing(service.contact, needed))
    if kind == "programme":
        programme = catalogue.programmes[ident]
        lines = [f"{programme.name}", programme.summary]
        if programme.audience:
            lines.append(f"{labels.audience}: {programme.audience}")
        lines.extend(f"• {detail}" for detail in programme.details)
        if programme.funding:
            lines.append(f"{labels.funding}: {programme.funding}")
        lines.extend(contact_lines(programme.contact, catalogue))
        return Block(tuple(lines), programme.contact.url, programme.name, _missing(programme.contact, needed))
    offer = catalogue.offers[ident]
    lines = [offer.name, offer.summary, *contact_lines(offer.contact, catalogue)]
    return Block(tuple(lines), offer.contact.url, offer.name, _missing(offer.contact, needed))
