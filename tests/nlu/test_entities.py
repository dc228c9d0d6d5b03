"""Entities from the shipped tables: towns, programmes, course levels and languages in four scripts."""

from __future__ import annotations

import shutil

import pytest

from nlu.entities import EntityExtractor
from nlu.normalise import normalise
from nlu.result import Entity
from nlu.tokenize import tokenize
from nlu.training_data import TrainingData, load_training_data
from tests.nlu.conftest import REAL_DATA

TOWNS = (
    "Bad Hersfeld", "Bebra", "Rotenburg an der Fulda", "Alheim", "Breitenbach am Herzberg", "Cornberg",
    "Friedewald", "Hauneck", "Haunetal", "Heringen", "Hohenroda", "Kirchheim", "Ludwigsau", "Nentershausen",
    "Neuenstein", "Niederaula", "Philippsthal", "Ronshausen", "Schenklengsfeld", "Wildeck",
)  # fmt: skip


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> TrainingData:
    directory = tmp_path_factory.mktemp("entities")
    shutil.copy(REAL_DATA / "entities.yml", directory / "entities.yml")
    return load_training_data(directory)


@pytest.fixture(scope="module")
def extractor(tables: TrainingData) -> EntityExtractor:
    return EntityExtractor(tables)


def extract(extractor: EntityExtractor, text: str, language: str = "xx") -> list[Entity]:
    normalised = normalise(text)
    return list(extractor.extract(text, normalised, tokenize(normalised.text, language)))


def values(extractor: EntityExtractor, text: str, language: str = "xx") -> list[tuple[str, str]]:
    return [(entity.entity, entity.value) for entity in extract(extractor, text, language)]


@pytest.mark.parametrize("town", TOWNS)
def test_every_town_of_the_county_is_found_by_its_name(extractor: EntityExtractor, town: str) -> None:
    assert values(extractor, f"Beratung in {town} bitte", "de") == [("town", town)]


@pytest.mark.parametrize(
    ("text", "language", "town"),
    [
        ("أين المكتب في باد هيرسفيلد؟", "ar", "Bad Hersfeld"),
        ("أين المكتب في بيبرا", "ar", "Bebra"),
        ("مكتب روتنبورغ", "ar", "Rotenburg an der Fulda"),
        ("دفتر باد هرسفلد کجاست", "fa", "Bad Hersfeld"),
        ("دفتر ببرا", "fa", "Bebra"),
        ("کلاس در روتنبورگ", "fa", "Rotenburg an der Fulda"),
        ("Де офіс у Бад-Герсфельді?", "uk", "Bad Hersfeld"),
        ("Где офис в Бебре?", "ru", "Bebra"),
        ("офіс в Ротенбурзі", "uk", "Rotenburg an der Fulda"),
        ("Бад Херсфельд", "ru", "Bad Hersfeld"),
    ],
)
def test_the_big_towns_are_found_in_arabic_persian_and_cyrillic(
    extractor: EntityExtractor, text: str, language: str, town: str
) -> None:
    assert values(extractor, text, language) == [("town", town)]


@pytest.mark.parametrize(
    ("text", "town"),
    [("Büro in Hersfled", "Bad Hersfeld"), ("Bbera", "Bebra"), ("Rotenbrug", "Rotenburg an der Fulda"),
     ("Schenklengsfeldt", "Schenklengsfeld"), ("Nentershasuen", "Nentershausen")],
)  # fmt: skip
def test_town_names_with_typos_are_found(extractor: EntityExtractor, text: str, town: str) -> None:
    assert ("town", town) in values(extractor, text, "de")


@pytest.mark.parametrize("text", ["ich bin allein hier", "die Kirche ist offen", "Bier oder Brot", "wir haben Fragen"])
def test_ordinary_words_are_not_taken_for_towns_or_programmes(extractor: EntityExtractor, text: str) -> None:
    assert values(extractor, text, "de") == []


def test_an_arabic_preposition_glued_to_a_town_is_not_part_of_it(extractor: EntityExtractor) -> None:
    text = "وببيبرا مكتب؟"
    [entity] = extract(extractor, text, "ar")
    assert (entity.value, entity.text) == ("Bebra", "بيبرا")
    assert text[entity.start : entity.end] == "بيبرا"


def test_a_turkish_case_ending_after_an_apostrophe_is_not_part_of_the_town(extractor: EntityExtractor) -> None:
    [entity] = extract(extractor, "Bad Hersfeld'de ofis nerede?", "tr")
    assert (entity.value, entity.text) == ("Bad Hersfeld", "Bad Hersfeld")


def test_offsets_index_the_original_text_with_its_diacritics(extractor: EntityExtractor) -> None:
    text = "مكتب  بِيبْرَا"
    [entity] = extract(extractor, text, "ar")
    assert text[entity.start : entity.end] == entity.text == "بِيبْرَا"


@pytest.mark.parametrize(
    ("text", "programme"),
    [
        ("Was ist das WIR Programm?", "WIR"),
        ("Infos zu WIR-OnFIT", "ONnFIT"),
        ("ONnFIT Beratung", "ONnFIT"),
        ("onfit", "ONnFIT"),
        ("LIMEA für Frauen", "LIMEA"),
        ("Programm MY TURN", "LIMEA"),
        ("برنامج ليميا", "LIMEA"),
        ("що таке ОнФИТ", "ONnFIT"),
        ("Onfti projekt", "ONnFIT"),
    ],
)
def test_programmes_have_canonical_values(extractor: EntityExtractor, text: str, programme: str) -> None:
    assert values(extractor, text, "de") == [("programme", programme)]


def test_the_programme_wir_is_written_in_capitals_and_the_pronoun_is_not(extractor: EntityExtractor) -> None:
    assert values(extractor, "wir brauchen Hilfe", "de") == []
    assert values(extractor, "Ich suche WIR", "de") == [("programme", "WIR")]


@pytest.mark.parametrize(
    ("text", "level"),
    [("B1 Kurs", "B1"), ("kurs a2", "A2"), ("курс А1", "A1"), ("курс В2", "B2"), ("рівень С1", "C1"),
     ("کلاس ب۱", "B1"), ("مستوى أ2", "A2"), ("C 2 Prüfung", "C2")],
)  # fmt: skip
def test_course_levels_in_latin_cyrillic_and_arabic_letters(extractor: EntityExtractor, text: str, level: str) -> None:
    assert values(extractor, text) == [("course_level", level)]


@pytest.mark.parametrize(
    ("text", "code"),
    [("Sprechen Sie Arabisch?", "ar"), ("in English please", "en"), ("بالعربي", "ar"), ("فارسی بلدی؟", "fa"),
     ("Dari", "fa"), ("по-русски", "ru"), ("українською", "uk"), ("Türkçe konuşuyor musunuz", "tr"),
     ("Kurmancî", "ku"), ("Tigrinya", "ti"), ("پشتو", "ps"), ("Français", "fr"), ("Soomaali", "so")],
)  # fmt: skip
def test_language_names_have_iso_codes(extractor: EntityExtractor, text: str, code: str) -> None:
    assert values(extractor, text) == [("language", code)]


def test_several_entities_come_in_text_order(extractor: EntityExtractor) -> None:
    assert values(extractor, "B1 Kurs in Bebra auf Arabisch", "de") == [
        ("course_level", "B1"),
        ("town", "Bebra"),
        ("language", "ar"),
    ]


def test_every_town_spelling_in_the_table_is_one_of_the_twenty_towns(
    tables: TrainingData, extractor: EntityExtractor
) -> None:
    found = {surface: values(extractor, surface) for surface in tables.lookups["town"]}
    assert {surface: [(kind, value in TOWNS) for kind, value in hits] for surface, hits in found.items()} == {
        surface: [("town", True)] for surface in tables.lookups["town"]
    }
