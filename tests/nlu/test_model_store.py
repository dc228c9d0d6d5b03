"""Models versioned by a fingerprint of their training data, config and engine version."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nlu import engine as engine_module
from nlu.model_store import ensure_model, fingerprint, load_model, model_path
from tests.nlu.conftest import write_project


@pytest.fixture
def models(tmp_path: Path) -> Path:
    return tmp_path / "models"


def test_the_first_call_trains_and_stores_the_second_loads(tiny_data_dir: Path, models: Path) -> None:
    first = ensure_model(tiny_data_dir, models)
    second = ensure_model(tiny_data_dir, models)
    assert (first.trained, second.trained) == (True, False)
    assert first.path == second.path == model_path(tiny_data_dir, models)
    assert second.engine.parse("hallo").intent.name == "greet"


def test_loading_a_stored_model_takes_well_under_a_second(tiny_data_dir: Path, models: Path) -> None:
    path = ensure_model(tiny_data_dir, models).path
    started = time.perf_counter()
    load_model(path)
    assert time.perf_counter() - started < 0.5


def test_a_changed_training_file_makes_the_model_stale(tiny_data_dir: Path, models: Path) -> None:
    old = ensure_model(tiny_data_dir, models).path
    with (tiny_data_dir / "de.yml").open("a", encoding="utf-8") as file:
        file.write("    - huhu\n")
    new = ensure_model(tiny_data_dir, models)
    assert new.trained
    assert new.path != old
    assert not old.exists()


def test_a_new_training_file_changes_the_fingerprint(tiny_data_dir: Path) -> None:
    before = fingerprint(tiny_data_dir)
    (tiny_data_dir / "tr.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    assert fingerprint(tiny_data_dir) != before


def test_a_changed_config_changes_the_fingerprint(tmp_path: Path) -> None:
    loose = write_project(tmp_path / "a", threshold=0.3)
    strict = write_project(tmp_path / "b", threshold=0.6)
    assert fingerprint(loose) != fingerprint(strict)


def test_the_same_files_elsewhere_have_the_same_fingerprint(tmp_path: Path) -> None:
    assert fingerprint(write_project(tmp_path / "a")) == fingerprint(write_project(tmp_path / "b"))


def test_a_new_engine_version_changes_the_fingerprint(tiny_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint(tiny_data_dir)
    monkeypatch.setattr("nlu.model_store.ENGINE_VERSION", engine_module.ENGINE_VERSION + "-next")
    assert fingerprint(tiny_data_dir) != before


def test_retraining_replaces_the_file_without_leaving_temporary_files(tiny_data_dir: Path, models: Path) -> None:
    ensure_model(tiny_data_dir, models)
    retrained = ensure_model(tiny_data_dir, models, retrain=True)
    assert retrained.trained
    assert sorted(path.name for path in models.glob("*") if not path.name.startswith(".")) == [retrained.path.name]


def test_processes_starting_together_train_once(tiny_data_dir: Path, models: Path) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: ensure_model(tiny_data_dir, models), range(3)))
    assert sorted(result.trained for result in results) == [False, False, True]


def test_a_stored_model_this_code_cannot_read_is_trained_again(tiny_data_dir: Path, models: Path) -> None:
    path = ensure_model(tiny_data_dir, models).path
    path.write_bytes(b"written by another version")
    again = ensure_model(tiny_data_dir, models)
    assert again.trained
    assert again.engine.parse("hallo").intent.name == "greet"
