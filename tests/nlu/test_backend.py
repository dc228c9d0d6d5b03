"""Choosing the backend from the settings."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from nlu import FALLBACK_INTENT, load_backend
from nlu.backend import EmbeddedNlu
from nlu.rasa_backend import RasaNlu


async def test_the_embedded_backend_trains_once_and_parses(tiny_data_dir: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var", nlu_data_dir=tiny_data_dir)
    backend = load_backend(settings)
    assert isinstance(backend, EmbeddedNlu)
    assert (await backend.parse("hallo")).intent.name == "greet"
    assert (await backend.parse("")).intent.name == FALLBACK_INTENT
    assert len(list(settings.model_dir.glob("nlu-*.pkl"))) == 1


def test_the_rasa_backend_is_chosen_by_the_settings(tiny_data_dir: Path, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "var", nlu_data_dir=tiny_data_dir, nlu_backend="rasa", rasa_url="http://127.0.0.1:5005/"
    )
    backend = load_backend(settings)
    assert isinstance(backend, RasaNlu)
    assert backend.endpoint == "http://127.0.0.1:5005/model/parse"
