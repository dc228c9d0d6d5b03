"""Releases published one right after the other on one worker all arrive: the worker's own follower, taking in
the previous release, never writes it over files that are about to be published."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from bot.releases import TRAINING_DATA, Releases
from bot.store import EmbeddedStore
from tests.releases.test_large_files import machine

RELEASES = 12
# Spread over the follower's one-second polls, so that some publishes land while it takes in the one before.
MAX_PAUSE_SECONDS = 0.6


def training_file(number: int) -> str:
    return f'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hallo\n    - hallo {number}\n'


async def test_each_of_several_quick_releases_from_one_worker_arrives_and_the_last_one_stays(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "state.sqlite3")
    settings = machine(tmp_path / "worker")
    releases = Releases(store, settings)
    releases.start()
    pauses = random.Random(7)
    published = []
    try:
        for number in range(RELEASES):
            async with releases.changing(TRAINING_DATA):
                (settings.nlu_data_dir / "de.yml").write_text(training_file(number), encoding="utf-8")
                # As the content editor, which checks the files it wrote before it publishes them.
                await asyncio.sleep(pauses.uniform(0, MAX_PAUSE_SECONDS))
                published.append(await releases.publish_training_data())
            await asyncio.sleep(pauses.uniform(0, MAX_PAUSE_SECONDS))
        await asyncio.sleep(2.5)
    finally:
        await releases.stop()
        await store.close()
    assert all(publication.version is not None for publication in published)
    assert (settings.nlu_data_dir / "de.yml").read_text(encoding="utf-8") == training_file(RELEASES - 1)
