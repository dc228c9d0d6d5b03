"""The content store loads the shipped content and explains every kind of error by file and line."""

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONTENT_DIR
from bot.policy import load_policy
from content.check import check_content
from content.store import ContentError, Problem, load_content

Edit = Callable[[str, str, str], Path]


def _errors(directory: Path) -> list[Problem]:
    with pytest.raises(ContentError) as raised:
        load_content(directory)
    return raised.value.problems


def _line_of(path: Path, fragment: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def test_shipped_content_loads_with_both_counselling_offices() -> None:
    content = load_content(DEFAULT_CONTENT_DIR)
    assert {office.town for office in content.source.offices.values()} == {"Bad Hersfeld", "Bebra"}


def test_shipped_content_has_every_programme_of_the_county_page() -> None:
    programmes = load_content(DEFAULT_CONTENT_DIR).source.programmes
    assert {"wir", "onfit", "limea"} <= set(programmes)
    assert "MY TURN" in programmes["limea"].aliases


def test_shipped_content_has_an_answer_for_every_intent_of_the_policy() -> None:
    answers = load_content(DEFAULT_CONTENT_DIR).source.answers
    assert set(load_policy().intents) <= set(answers)


def test_shipped_content_passes_the_check_without_errors() -> None:
    problems = check_content(DEFAULT_CONTENT_DIR, load_policy().intents)
    assert [str(problem) for problem in problems if problem.severity == "error"] == []


def test_check_warns_about_every_empty_contact_field() -> None:
    problems = check_content(DEFAULT_CONTENT_DIR, load_policy().intents)
    warned = {problem.message.split()[0] for problem in problems if "is empty" in problem.message}
    assert "offices.bebra.contact.phone" in warned
    assert "programmes.limea.contact.email" in warned
    assert "services.migration_asyl.contact.opening_hours" in warned


def test_yaml_syntax_error_is_reported_with_file_and_line(content_copy: Path, edit: Edit) -> None:
    path = edit("offices.yml", "    town: Bebra", "    town: [Bebra")
    (problem,) = _errors(content_copy)
    assert problem.file.endswith("offices.yml")
    assert problem.line >= _line_of(path, "town: [Bebra")
    assert "YAML syntax" in problem.message


def test_wrong_typed_field_is_reported_at_its_line(content_copy: Path, edit: Edit) -> None:
    path = edit("offices.yml", "services: [migration_asyl, migration_sgb2]", "services: migration_asyl")
    (problem,) = _errors(content_copy)
    assert (problem.file, problem.line) == (str(path), _line_of(path, "services: migration_asyl"))
    assert problem.message == "offices.bad_hersfeld.services must be a list"


def test_missing_required_field_is_named(content_copy: Path, edit: Edit) -> None:
    edit("offices.yml", "    name: Beratungsstelle Bebra\n", "")
    (problem,) = _errors(content_copy)
    assert problem.message == "offices.bebra.name is required but missing"


def test_unknown_field_is_reported_as_a_possible_misspelling(content_copy: Path, edit: Edit) -> None:
    edit("offices.yml", "    town: Bebra", "    twon: Bebra")
    messages = [problem.message for problem in _errors(content_copy)]
    assert "offices.bebra.twon is not a known field (check the spelling)" in messages


def test_malformed_phone_number_is_rejected(content_copy: Path, edit: Edit) -> None:
    edit("offices.yml", 'phone: ""', 'phone: "call us"')
    (problem,) = _errors(content_copy)
    assert problem.message == "offices.bad_hersfeld.contact.phone has the wrong form: 'call us'"


def test_opening_hours_closing_before_opening_are_rejected(content_copy: Path, edit: Edit) -> None:
    edit("offices.yml", "opening_hours: []", 'opening_hours: [{days: [mon], opens: "12:00", closes: "08:00"}]')
    (problem,) = _errors(content_copy)
    assert "closes must be later than opens" in problem.message


def test_reference_to_unknown_office_is_an_error(content_copy: Path, edit: Edit) -> None:
    path = edit("services.yml", "offices: [bad_hersfeld, bebra]", "offices: [bad_hersfeld, rotenburg]")
    (problem,) = _errors(content_copy)
    assert problem.line == _line_of(path, "offices: [bad_hersfeld, rotenburg]")
    assert problem.message == "services.migration_asyl.offices.1 refers to unknown office 'rotenburg'"


def test_answer_fact_with_unknown_programme_is_an_error(content_copy: Path, edit: Edit) -> None:
    edit("answers.yml", "facts: [programme:limea]", "facts: [programme:mytrun]")
    messages = [problem.message for problem in _errors(content_copy)]
    assert messages == ["answers.limea_programme.facts.0 refers to unknown programme 'mytrun'"]


def test_section_defined_twice_is_an_error(content_copy: Path) -> None:
    (content_copy / "more.yml").write_text("menu: [greet]\n", encoding="utf-8")
    messages = [problem.message for problem in _errors(content_copy)]
    assert any("section 'menu' is already defined" in message for message in messages)


def test_translation_file_with_unknown_language_code_is_an_error(content_copy: Path) -> None:
    (content_copy / "translations" / "xx.yml").write_text('offices.bebra.name: "Bebra"\n', encoding="utf-8")
    (problem,) = _errors(content_copy)
    assert problem.file.endswith("xx.yml")
    assert "unknown language code 'xx'" in problem.message


def test_translation_of_unknown_key_is_an_error(content_copy: Path) -> None:
    path = content_copy / "translations" / "en.yml"
    path.write_text(path.read_text() + 'offices.rotenburg.name: "Rotenburg office"\n', encoding="utf-8")
    (problem,) = _errors(content_copy)
    assert "unknown key 'offices.rotenburg.name'" in problem.message


def test_translation_losing_a_placeholder_is_an_error(content_copy: Path) -> None:
    path = content_copy / "translations" / "en.yml"
    path.write_text(path.read_text() + 'messages.town_without_office: "Ask a counsellor."\n', encoding="utf-8")
    messages = [problem.message for problem in _errors(content_copy)]
    assert "messages.town_without_office: the placeholders in braces differ from the German text" in messages


def test_translation_with_unknown_review_status_is_an_error(content_copy: Path) -> None:
    path = content_copy / "translations" / "en.yml"
    path.write_text(path.read_text() + "offices.bebra.name:\n  text: Bebra office\n  status: maybe\n")
    messages = [problem.message for problem in _errors(content_copy)]
    assert any(message.startswith("offices.bebra.name: status") for message in messages)


@pytest.mark.parametrize("word", ["TODO", "TBD", "XXX", "lorem ipsum"])
def test_placeholder_words_in_texts_are_errors(content_copy: Path, edit: Edit, word: str) -> None:
    edit("answers.yml", "title: Termin", f"title: Termin {word}")
    messages = [problem.message for problem in _errors(content_copy)]
    assert any("contains a placeholder word" in message for message in messages)


def test_intent_without_answer_is_reported_by_the_check(content_copy: Path) -> None:
    problems = check_content(content_copy, [*load_policy().intents, "housing"])
    assert [problem.message for problem in problems if problem.severity == "error"] == [
        "intent 'housing' has no answer"
    ]


def test_missing_translation_is_a_warning_naming_language_and_key(content_copy: Path, edit: Edit) -> None:
    path = content_copy / "translations" / "tr.yml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("offices.bebra.name:")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_content(content_copy, load_policy().intents)
    assert any(
        p.severity == "warning" and p.message == "missing tr translation of offices.bebra.name" for p in problems
    )


def test_check_exits_with_errors_counted_not_raised(content_copy: Path, edit: Edit) -> None:
    edit("offices.yml", "    town: Bebra", "    town: [Bebra")
    problems = check_content(content_copy, load_policy().intents)
    assert [problem.severity for problem in problems] == ["error"]
