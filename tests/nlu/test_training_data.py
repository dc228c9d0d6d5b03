"""Loading Rasa "3.1" training files: examples, inline entities, tables, and errors with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.training_data import TrainingDataError, load_training_data

GOOD = """\
version: "3.1"
nlu:
- intent: office_locations
  examples: |
    - wo ist das Büro in [Bebra](town)?
    - Büro in [بيبرا]{"entity": "town", "value": "Bebra"}
- synonym: Bad Hersfeld
  examples: |
    - Hersfeld
- lookup: town
  examples: |
    - Bebra
- regex: course_level
  examples: |
    - \\b[ABC][12]\\b
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_examples_carry_intent_language_and_plain_text(tmp_path: Path) -> None:
    write(tmp_path, "de.yml", GOOD)
    first = load_training_data(tmp_path).examples[0]
    assert (first.text, first.intent, first.language) == ("wo ist das Büro in Bebra?", "office_locations", "de")


def test_inline_entities_have_offsets_into_the_plain_text(tmp_path: Path) -> None:
    write(tmp_path, "de.yml", GOOD)
    examples = load_training_data(tmp_path).examples
    simple, with_value = examples[0].entities[0], examples[1].entities[0]
    assert examples[0].text[simple.start : simple.end] == "Bebra"
    assert (simple.entity, simple.value) == ("town", "Bebra")
    assert examples[1].text[with_value.start : with_value.end] == "بيبرا"
    assert (with_value.entity, with_value.value) == ("town", "Bebra")


def test_synonyms_come_from_tables_and_from_annotated_values(tmp_path: Path) -> None:
    write(tmp_path, "de.yml", GOOD)
    synonyms = load_training_data(tmp_path).synonyms
    assert synonyms == {"بيبرا": "Bebra", "Hersfeld": "Bad Hersfeld"}


def test_lookups_and_regexes_are_collected_by_name(tmp_path: Path) -> None:
    write(tmp_path, "de.yml", GOOD)
    data = load_training_data(tmp_path)
    assert data.lookups == {"town": ("Bebra",)}
    assert data.regexes == {"course_level": (r"\b[ABC][12]\b",)}


def test_a_file_not_named_for_a_language_gives_no_language(tmp_path: Path) -> None:
    write(tmp_path, "extra.yml", GOOD)
    assert load_training_data(tmp_path).examples[0].language is None


def test_config_yml_in_the_directory_is_not_training_data(tmp_path: Path) -> None:
    write(tmp_path, "config.yml", "pipeline: []\n")
    write(tmp_path, "en.yml", GOOD)
    assert len(load_training_data(tmp_path).examples) == 2


def test_examples_may_be_a_list_of_texts_with_metadata(tmp_path: Path) -> None:
    write(
        tmp_path,
        "en.yml",
        'version: "3.1"\nnlu:\n- intent: greet\n  examples:\n  - text: hello\n    metadata: {a: 1}\n  - hi\n',
    )
    assert [e.text for e in load_training_data(tmp_path).examples] == ["hello", "hi"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("nlu:\n- intent: greet\n  examples: |\n    - hi\n    hello\n", 5, "must start with `- `"),
        ("nlu:\n- intent: greet\n  examples: |\n    - hi\n    - [Bebra(town) office\n", 5, "malformed entity"),
        ('nlu:\n- intent: greet\n  examples: |\n    - [Bebra]{"entity": town}\n', 4, "not valid JSON"),
        ('nlu:\n- intent: greet\n  examples: |\n    - [Bebra]{"value": "x"}\n', 4, 'need an "entity"'),
        ("nlu:\n- intent: greet\n", 2, "has no `examples`"),
        ("nlu:\n- examples: |\n    - hi\n", 2, "exactly one of"),
        ("nlu:\n- regex: level\n  examples: |\n    - ([AB\n", 4, "does not compile"),
        ("nlu:\n- intent: greet\n  examples: |\n    - hi\n  - bad: [\n", 5, "invalid YAML"),
        ("nlu: hello\n", 1, "must be a list"),
    ],
)
def test_malformed_files_are_reported_with_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, "de.yml", text)
    with pytest.raises(TrainingDataError) as raised:
        load_training_data(tmp_path)
    assert (raised.value.path, raised.value.line) == (path, line)
    assert message in str(raised.value)
    assert str(raised.value).startswith(f"{path}:{line}: ")


def test_a_surface_form_with_two_canonical_values_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "de.yml", "nlu:\n- synonym: Bebra\n  examples: |\n    - BB\n")
    path = write(tmp_path, "en.yml", "nlu:\n- synonym: Bad Hersfeld\n  examples: |\n    - BB\n")
    with pytest.raises(TrainingDataError) as raised:
        load_training_data(tmp_path)
    assert (raised.value.path, raised.value.line) == (path, 4)
    assert "de.yml:4" in raised.value.message


def test_a_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="does not exist"):
        load_training_data(tmp_path / "nowhere")


def test_the_shipped_data_loads() -> None:
    data = load_training_data(Path(__file__).resolve().parents[2] / "nlu" / "data")
    assert {"greet", "emergency", "office_locations"} <= {example.intent for example in data.examples}
    assert {"town", "programme", "language", "acute_danger"} <= set(data.lookups)
