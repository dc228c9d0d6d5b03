"""A release larger than one store value (1 MB) arrives whole, in this process, on the embedded store."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from bot.config import Settings
from bot.releases import Releases
from bot.store import MAX_VALUE_BYTES, EmbeddedStore
from tests.conftest import PROJECT_ROOT

ARRIVAL_TIMEOUT_SECONDS = 30.0


def machine(root: Path) -> Settings:
    """Settings of a machine with training data of its own under ``root`` (and no model: nothing is trained)."""
    (root / "nlu" / "data").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "nlu" / "config.yml", root / "nlu" / "config.yml")
    (root / "nlu" / "data" / "de.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hallo\n')
    return Settings(data_dir=root / "var", content_dir=root / "content", nlu_data_dir=root / "nlu" / "data")


async def test_a_training_file_of_several_megabytes_reaches_another_machine_whole(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "state.sqlite3")
    here, there = machine(tmp_path / "here"), machine(tmp_path / "there")
    notes = "".join(f"# Anmerkung {number}: " + "Beratung " * 20 + "\n" for number in range(15_000))
    large = here.nlu_data_dir / "notes.yml"
    large.write_text(notes + "version: \"3.1\"\nnlu: []\n", encoding="utf-8")
    assert large.stat().st_size > 2 * MAX_VALUE_BYTES

    await Releases(store, here).publish_training_data()
    follower = Releases(store, there)
    follower.start()
    try:
        async with asyncio.timeout(ARRIVAL_TIMEOUT_SECONDS):
            while not (there.nlu_data_dir / "notes.yml").is_file():
                await asyncio.sleep(0.1)
    finally:
        await follower.stop()
        await store.close()
    assert (there.nlu_data_dir / "notes.yml").read_bytes() == large.read_bytes()
