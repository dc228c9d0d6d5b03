"""Typed models of the content store.

German is the authoritative language: the entity files hold German text, and
every field typed :data:`LocalText` has a translation per language in
``translations/<code>.yml`` under a key made from its path (for example
``programmes.limea.summary``). Contact fields hold facts that need no
translation and stay empty until staff know them from the county.
"""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Localized:
    """Marks a string field as German text with translations."""


LocalText = Annotated[str, Localized()]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class OpeningSlot(Model):
    """One opening period, e.g. Monday to Thursday 08:30 to 12:00."""

    days: list[Weekday] = Field(min_length=1)
    opens: time
    closes: time

    @field_validator("closes")
    @classmethod
    def _closes_after_opening(cls, closes: time, info) -> time:  # type: ignore[no-untyped-def]
        opens = info.data.get("opens")
        if opens is not None and closes <= opens:
            raise ValueError("closes must be later than opens")
        return closes


class Contact(Model):
    """Contact facts; every field may be empty and then is never shown."""

    contact_person: str = ""
    address: str = ""
    phone: str = Field(default="", pattern=r"^$|^\+?[0-9][0-9 /()-]{2,30}$")
    email: str = Field(default="", pattern=r"^$|^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    url: str = Field(default="", pattern=r"^$|^https://\S+$")
    opening_hours: list[OpeningSlot] = Field(default_factory=list)

    def empty_fields(self) -> list[str]:
        return [name for name in type(self).model_fields if not getattr(self, name)]


class Language(Model):
    name: str = Field(min_length=1, description="the language's own name for itself")
    direction: Literal["ltr", "rtl"]
    core: bool = Field(description="content is kept in this language")


class Service(Model):
    """A Fachdienst of the county administration."""

    name: LocalText
    summary: LocalText
    offices: list[Identifier]
    contact: Contact = Contact()


class Office(Model):
    """A counselling office (Beratungsstelle)."""

    name: LocalText
    town: str
    services: list[Identifier]
    contact: Contact = Contact()


class Programme(Model):
    name: LocalText
    aliases: list[str] = Field(default_factory=list)
    summary: LocalText
    audience: LocalText = ""
    details: list[LocalText] = Field(default_factory=list)
    funding: LocalText = ""
    contact: Contact = Contact()


class Offer(Model):
    """A category of offers that the county's page names."""

    name: LocalText
    summary: LocalText
    provided_by: list[Identifier] = Field(default_factory=list, description="programme or service ids")
    contact: Contact = Contact()


class EmergencyNumber(Model):
    number: str = Field(pattern=r"^[0-9][0-9 ]+$")
    label: LocalText


class Answer(Model):
    """The answer to one intent."""

    title: LocalText = Field(description="short button title, at most 20 characters")
    text: LocalText
    facts: list[str] = Field(
        default_factory=list,
        description="entities shown with the answer: office:<id>, service:<id>, programme:<id>, offer:<id>",
    )
    buttons: list[Identifier] = Field(default_factory=list, description="intents offered as next steps")

    @field_validator("facts")
    @classmethod
    def _facts_are_references(cls, facts: list[str]) -> list[str]:
        for fact in facts:
            if not re.fullmatch(r"(office|service|programme|offer):[a-z][a-z0-9_]*", fact):
                raise ValueError(f"{fact!r} is not a reference like office:<id>")
        return facts


class Labels(Model):
    address: LocalText
    phone: LocalText
    email: LocalText
    url: LocalText
    contact_person: LocalText
    opening_hours: LocalText
    audience: LocalText
    funding: LocalText
    offices: LocalText


class Weekdays(Model):
    mon: LocalText
    tue: LocalText
    wed: LocalText
    thu: LocalText
    fri: LocalText
    sat: LocalText
    sun: LocalText


class Messages(Model):
    """Texts of the conversation itself, outside any one topic."""

    menu_prompt: LocalText
    ask_town: LocalText
    other_town: LocalText
    town_without_office: LocalText
    not_understood: LocalText
    not_understood_again: LocalText
    talk_to_person: LocalText
    details_missing: LocalText
    choose_language: LocalText
    language_changed: LocalText
    language_not_supported: LocalText
    empty_message: LocalText
    no_words: LocalText
    too_long: LocalText
    unreadable: LocalText
    unsupported_media: LocalText
    emergency_intro: LocalText
    emergency_then: LocalText
    handover_started: LocalText
    handover_waiting: LocalText
    handover_closed: LocalText
    handover_ended: LocalText
    counsellor_original: LocalText
    bot_back: LocalText
    data_deleted: LocalText
    labels: Labels
    weekdays: Weekdays


class Catalogue(Model):
    """Everything the bot may say, in one language."""

    languages: dict[LanguageCode, Language]
    services: dict[Identifier, Service]
    offices: dict[Identifier, Office]
    programmes: dict[Identifier, Programme]
    offers: dict[Identifier, Offer]
    emergency_numbers: dict[Identifier, EmergencyNumber]
    answers: dict[Identifier, Answer]
    menu: list[Identifier] = Field(min_length=1)
    messages: Messages

    @property
    def core_languages(self) -> list[str]:
        return [code for code, language in self.languages.items() if language.core]


TranslationStatus = Literal["review", "confirmed", "draft"]


class Translation(Model):
    """One translated text; ``review`` until a reviewer confirms it."""

    text: str
    status: TranslationStatus = "review"
    reviewed_by: str = ""
