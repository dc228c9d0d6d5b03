"""German values are written into the content files in place: comments and every other line stay as they were."""

from __future__ import annotations

import difflib

import yaml

from bot.staff.content_editor.yaml_values import set_values
from tests.staff_content.conftest import SOURCE_CONTENT

ANSWERS = (SOURCE_CONTENT / "answers.yml").read_text(encoding="utf-8")
OFFICES = (SOURCE_CONTENT / "offices.yml").read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_short_text_replaces_only_its_own_line() -> None:
    after = set_values(ANSWERS, {("answers", "opening_hours", "title"): "Sprechzeiten"})
    assert changed_lines(ANSWERS, after) == ["-    title: Öffnungszeiten", "+    title: Sprechzeiten"]


def test_comments_stay() -> None:
    after = set_values(ANSWERS, {("answers", "greet", "text"): "Guten Tag!"})
    comments = [line for line in ANSWERS.splitlines() if line.lstrip().startswith("#")]
    assert comments
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == comments


def test_a_long_text_is_folded_like_the_files_and_reads_back_unchanged() -> None:
    text = " ".join(["Die Beratungsstellen in Bad Hersfeld und Bebra beraten Sie gern."] * 4)
    after = set_values(ANSWERS, {("answers", "appointment", "text"): text})
    assert yaml.safe_load(after)["answers"]["appointment"]["text"] == text
    assert "    text: >-" in after
    assert max(len(line) for line in changed_lines(ANSWERS, after)) <= 101


def test_a_text_that_looks_like_a_number_stays_text() -> None:
    after = set_values(ANSWERS, {("answers", "thank_you", "title"): "110"})
    assert yaml.safe_load(after)["answers"]["thank_you"]["title"] == "110"


def test_opening_hours_are_written_with_quoted_times() -> None:
    hours = [{"days": ["mon", "tue"], "opens": "08:30", "closes": "12:00"}]
    after = set_values(OFFICES, {("offices", "bebra", "contact", "opening_hours"): hours})
    assert '      opening_hours: [{days: [mon, tue], opens: "08:30", closes: "12:00"}]' in after.splitlines()
    assert yaml.safe_load(after)["offices"]["bebra"]["contact"]["opening_hours"] == hours


def test_a_value_the_file_does_not_have_yet_rewrites_the_file_under_its_opening_comment() -> None:
    after = set_values(OFFICES, {("offices", "bebra", "note"): "neu"})
    assert after.startswith("# Die Beratungsstellen der Fachdienste Migration.")
    data = yaml.safe_load(after)
    assert data["offices"]["bebra"]["note"] == "neu"
    assert data["offices"]["bad_hersfeld"] == yaml.safe_load(OFFICES)["offices"]["bad_hersfeld"]
