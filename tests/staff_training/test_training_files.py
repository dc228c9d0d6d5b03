"""Changing training examples: the language files keep every other line, and the draft stays valid."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.staff.training_draft import Change, ChangeKind, Draft, DraftError, TrainingFile, TrainingSet
from bot.store import EmbeddedStore
from nlu.training_data import load_training_data
from tests.conftest import PROJECT_ROOT

SMALL = """version: "3.1"
nlu:
# greetings, informal ones too
- intent: greet
  examples: |
    - hallo
    - servus
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped training data."""
    shutil.copytree(PROJECT_ROOT / "nlu" / "data", tmp_path / "nlu" / "data")
    shutil.copy(PROJECT_ROOT / "nlu" / "config.yml", tmp_path / "nlu" / "config.yml")
    return tmp_path / "nlu" / "data"


@pytest.fixture
async def draft(tmp_path: Path, data_dir: Path) -> AsyncIterator[Draft]:
    store = EmbeddedStore(tmp_path / "state.sqlite3")
    yield Draft(store, data_dir)
    await store.close()


def test_a_file_reads_back_unchanged() -> None:
    text = (PROJECT_ROOT / "nlu" / "data" / "fa.yml").read_text(encoding="utf-8")
    assert TrainingFile.parse("fa.yml", text).render() == text


def test_editing_an_example_changes_only_its_line() -> None:
    text = (PROJECT_ROOT / "nlu" / "data" / "de.yml").read_text(encoding="utf-8")
    file = TrainingFile.parse("de.yml", text)
    example = file.examples("opening_hours")[0]

    edited = file.edit("opening_hours", example, "Wann hat das Amt offen?").render()

    before, after = text.splitlines(), edited.splitlines()
    assert len(before) == len(after)
    assert [(old, new) for old, new in zip(before, after, strict=True) if old != new] == [
        (f"    - {example}", "    - Wann hat das Amt offen?")
    ]


def test_an_example_of_an_intent_the_file_lacks_gets_a_new_entry_and_comments_stay() -> None:
    file = TrainingFile.parse("de.yml", SMALL).add("goodbye", "tschüss").add("greet", "moin")

    assert file.render() == (
        'version: "3.1"\nnlu:\n# greetings, informal ones too\n- intent: greet\n  examples: |\n'
        "    - hallo\n    - servus\n    - moin\n- intent: goodbye\n  examples: |\n    - tschüss\n"
    )


def test_moving_examples_puts_them_under_the_new_intent(data_dir: Path) -> None:
    live = TrainingSet.read(data_dir)
    texts = live.file("tr").examples("thank_you")[:2]

    moved = live.with_changes(Change(ChangeKind.MOVE, "tr", "thank_you", text, new_intent="goodbye") for text in texts)
    moved.write(data_dir)

    examples = {(e.intent, e.text) for e in load_training_data(data_dir).examples if e.language == "tr"}
    assert {("goodbye", text) for text in texts} <= examples
    assert not {("thank_you", text) for text in texts} & examples


async def test_a_change_that_would_make_the_data_invalid_is_refused(draft: Draft) -> None:
    with pytest.raises(DraftError, match=r"fa\.yml:\d+: malformed entity annotation"):
        await draft.apply([Change(ChangeKind.ADD, "fa", "greet", "سلام [دوست")])

    assert await draft.changes() == []


async def test_the_draft_leaves_the_files_alone_until_published(draft: Draft, data_dir: Path) -> None:
    before = TrainingSet.read(data_dir)

    built = await draft.apply([Change(ChangeKind.ADD, "de", "greet", "Grüß Gott miteinander")])

    assert TrainingSet.read(data_dir) == before
    assert "Grüß Gott miteinander" in built.draft.file("de").examples("greet")
    assert built.draft.changed_files(built.live).keys() == {"de.yml"}


async def test_a_change_whose_example_disappeared_meanwhile_is_skipped(draft: Draft, data_dir: Path) -> None:
    live = TrainingSet.read(data_dir)
    text = live.file("en").examples("goodbye")[0]
    await draft.apply([Change(ChangeKind.EDIT, "en", "goodbye", text, new_text="see you around, bye")])
    # Another publish removes the example from the live files.
    live.with_changes([Change(ChangeKind.DELETE, "en", "goodbye", text)]).write(data_dir)

    built = await draft.build()

    assert [change.text for change in built.draft.skipped] == [text]
    assert "see you around, bye" not in built.draft.file("en").examples("goodbye")
