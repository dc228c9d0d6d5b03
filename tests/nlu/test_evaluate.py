"""The held-out evaluation: a stratified split and a written report with a confusion matrix."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from nlu.evaluate import CONFUSION_PNG, REPORT_JSON, evaluate_directory, find_conflicts, split_examples
from nlu.training_data import load_training_data

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_split_holds_out_a_share_of_every_intent_and_language(tiny_data_dir: Path) -> None:
    examples = load_training_data(tiny_data_dir).examples
    split = split_examples(examples, test_share=0.2)
    held_out = Counter((e.intent, e.language) for e in split.test)
    assert set(held_out) == {(e.intent, e.language) for e in examples}
    assert set(held_out.values()) == {1}
    assert len(split.train) + len(split.test) == len(examples)


def test_the_split_is_the_same_every_time(tiny_data_dir: Path) -> None:
    examples = load_training_data(tiny_data_dir).examples
    assert split_examples(examples) == split_examples(examples)


def test_an_example_added_to_one_intent_leaves_the_other_intents_split_alone(tiny_data_dir: Path) -> None:
    examples = load_training_data(tiny_data_dir).examples
    added = replace(examples[0], text="ein ganz neues beispiel")
    before = split_examples(examples)
    after = split_examples([*examples, added])
    assert [e for e in after.test if e.intent != added.intent] == [e for e in before.test if e.intent != added.intent]


def test_evaluate_writes_markdown_json_and_a_confusion_png(tiny_data_dir: Path, tmp_path: Path) -> None:
    report, markdown = evaluate_directory(tiny_data_dir, tmp_path / "report")
    assert markdown.read_text(encoding="utf-8").startswith("# NLU evaluation")
    assert (tmp_path / "report" / CONFUSION_PNG).read_bytes().startswith(PNG_SIGNATURE)
    written = json.loads((tmp_path / "report" / REPORT_JSON).read_text(encoding="utf-8"))
    assert written["test_examples"] == report.test_examples == 8
    assert [group["name"] for group in written["by_language"]] == ["de", "en"]
    assert {intent["intent"] for intent in written["by_intent"]} == {
        "emergency", "greet", "office_locations", "opening_hours"
    }  # fmt: skip


def test_the_same_text_under_two_intents_is_reported(tiny_data_dir: Path) -> None:
    with (tiny_data_dir / "de.yml").open("a", encoding="utf-8") as file:
        file.write("- intent: goodbye\n  examples: |\n    - Hallo\n    - tschüss\n")
    [conflict] = find_conflicts(load_training_data(tiny_data_dir).examples)
    assert (conflict.text, conflict.intents) == ("hallo", ("goodbye", "greet"))
