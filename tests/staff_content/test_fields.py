"""The editable fields come from the content models; opening hours are typed as staff say them."""

from __future__ import annotations

import pytest

from bot.staff.content_editor.fields import FieldError, Kind, entries, find_entry, parse_hours, shown
from content.store import load_content
from tests.staff_content.conftest import SOURCE_CONTENT

CATALOGUE = load_content(SOURCE_CONTENT).source


def test_every_entity_and_answer_has_an_entry() -> None:
    found = entries(CATALOGUE)
    assert [entry.ident for entry in found["answers"]] == list(CATALOGUE.answers)
    assert [entry.ident for entry in found["offices"]] == list(CATALOGUE.offices)
    assert [entry.ident for entry in found["emergency_numbers"]] == list(CATALOGUE.emergency_numbers)
    assert [entry.ident for entry in found["messages"]] == ["conversation", "labels", "weekdays"]


def test_an_answer_has_its_title_and_text_as_texts_and_its_references_as_lists() -> None:
    entry = find_entry(CATALOGUE, "answers", "opening_hours")
    assert entry is not None
    kinds = {field.key: field.kind for field in entry.fields(CATALOGUE)}
    assert kinds == {
        "answers.opening_hours.title": Kind.TEXT,
        "answers.opening_hours.text": Kind.TEXT,
        "answers.opening_hours.facts": Kind.LIST,
        "answers.opening_hours.buttons": Kind.LIST,
    }


def test_an_office_has_every_contact_field_even_when_empty() -> None:
    entry = find_entry(CATALOGUE, "offices", "bebra")
    assert entry is not None
    contact = [field.name for field in entry.fields(CATALOGUE) if field.contact]
    assert contact == ["contact_person", "address", "phone", "email", "url", "opening_hours"]


def test_opening_hours_read_days_ranges_and_times() -> None:
    assert parse_hours("Mo, Di 8:30-12:00\nMo–Fr 14.00 bis 16:00 Uhr") == [
        {"days": ["mon", "tue"], "opens": "08:30", "closes": "12:00"},
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "14:00", "closes": "16:00"},
    ]


def test_opening_hours_are_shown_as_they_are_typed() -> None:
    entry = find_entry(CATALOGUE, "offices", "bebra")
    assert entry is not None
    hours = next(field for field in entry.fields(CATALOGUE) if field.kind is Kind.HOURS)
    assert shown(hours, parse_hours("Mo, Di 08:30–12:00")) == "Mo, Di 08:30–12:00"


@pytest.mark.parametrize("typed", ["morgens", "Mo 25:00-26:00", "Xy 08:00-09:00", "Fr-Mo 08:00-09:00"])
def test_opening_hours_that_are_no_times_are_refused_in_plain_german(typed: str) -> None:
    with pytest.raises(FieldError, match="keine"):
        parse_hours(typed)
