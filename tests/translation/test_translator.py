"""The Translator: direct pairs, through English, the original with a note when it cannot, a cache for every worker."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.store import EmbeddedStore
from bot.translation import CACHE_NAMESPACE, Translation, Translator, packages_directory

CACHE_TTL_SECONDS = 3600.0
FARSI = "سلام. من به کمک نیاز دارم"


def words(text: str) -> set[str]:
    return set(text.split())


async def test_an_installed_pair_translates_by_machine(install: Callable[..., Path], store: EmbeddedStore) -> None:
    translator = Translator(store, install(("fa", "de")), CACHE_TTL_SECONDS)
    result = await translator.translate(FARSI, "fa", "de")
    assert (result.machine, result.note, result.source, result.target) == (True, None, "fa", "de")
    assert words(result.text) == {"Guten"}


async def test_without_a_direct_pair_the_text_goes_through_english(
    install: Callable[..., Path], store: EmbeddedStore
) -> None:
    translator = Translator(store, install(("fa", "en"), ("en", "de")), CACHE_TTL_SECONDS)
    result = await translator.translate(FARSI, "fa", "de")
    assert result.machine
    assert words(result.text) == {"Hallo"}
    assert result.note is not None and "English" in result.note


async def test_a_direct_pair_is_preferred_to_english(install: Callable[..., Path], store: EmbeddedStore) -> None:
    translator = Translator(store, install(("fa", "de"), ("fa", "en"), ("en", "de")), CACHE_TTL_SECONDS)
    assert words((await translator.translate(FARSI, "fa", "de")).text) == {"Guten"}


async def test_a_missing_pair_returns_the_original_with_a_note(
    install: Callable[..., Path], store: EmbeddedStore
) -> None:
    translator = Translator(store, install(("fa", "en")), CACHE_TTL_SECONDS)
    result = await translator.translate(FARSI, "fa", "de")
    assert result == Translation(FARSI, "fa", "de", machine=False, note="no translation installed for fa → de")


async def test_nothing_installed_returns_the_original_with_a_note(tmp_path: Path, store: EmbeddedStore) -> None:
    translator = Translator(store, tmp_path / "nothing", CACHE_TTL_SECONDS)
    result = await translator.translate(FARSI, "fa", "de")
    assert (result.text, result.machine, result.note) == (FARSI, False, "no translation installed for fa → de")


async def test_the_same_language_returns_the_text(install: Callable[..., Path], store: EmbeddedStore) -> None:
    translator = Translator(store, install(("fa", "de")), CACHE_TTL_SECONDS)
    assert await translator.translate(FARSI, "fa", "fa") == Translation(FARSI, "fa", "fa", machine=False)


async def test_line_breaks_are_kept(install: Callable[..., Path], store: EmbeddedStore) -> None:
    translator = Translator(store, install(("fa", "de")), CACHE_TTL_SECONDS)
    result = await translator.translate("سلام\n\nخداحافظ", "fa", "de")
    assert [words(line) for line in result.text.split("\n")] == [{"Guten"}, set(), {"Guten"}]


async def test_language_codes_are_read_in_any_case(install: Callable[..., Path], store: EmbeddedStore) -> None:
    translator = Translator(store, install(("fa", "de")), CACHE_TTL_SECONDS)
    result = await translator.translate(FARSI, " FA", "De")
    assert (result.source, result.target, result.machine) == ("fa", "de", True)


async def test_a_translation_is_cached_in_the_store_for_every_worker(
    install: Callable[..., Path], store: EmbeddedStore
) -> None:
    home = install(("fa", "de"))
    first = await Translator(store, home, CACHE_TTL_SECONDS).translate(FARSI, "fa", "de")
    assert len(await store.keys(CACHE_NAMESPACE)) == 1
    shutil.rmtree(packages_directory(home))
    # Another worker, with no model left to run: only the cache can answer.
    second = await Translator(store, home, CACHE_TTL_SECONDS).translate(FARSI, "fa", "de")
    assert second == first


async def test_an_answer_without_machine_translation_is_not_cached(
    install: Callable[..., Path], store: EmbeddedStore
) -> None:
    home = install(("fa", "en"))
    translator = Translator(store, home, CACHE_TTL_SECONDS)
    await translator.translate(FARSI, "fa", "de")
    assert await store.keys(CACHE_NAMESPACE) == []


async def test_a_pair_installed_while_running_is_used(
    install: Callable[..., Path], store: EmbeddedStore
) -> None:
    translator = Translator(store, install(("fa", "en")), CACHE_TTL_SECONDS)
    assert not (await translator.translate(FARSI, "fa", "de")).machine
    install(("en", "de"))
    assert (await translator.translate(FARSI, "fa", "de")).machine


async def test_concurrent_requests_for_one_model_are_all_answered(
    install: Callable[..., Path], store: EmbeddedStore
) -> None:
    translator = Translator(store, install(("fa", "de")), CACHE_TTL_SECONDS)
    results = await asyncio.gather(*(translator.translate(f"{FARSI} {n}", "fa", "de") for n in range(4)))
    assert all(result.machine and words(result.text) == {"Guten"} for result in results)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\n", "\x00", "\ud800", "😀😀", "؟؟؟ ...", "\u202e\u200f", "سلام\n\n\nخداحافظ", "a" * 20_000],
    ids=["empty", "spaces", "newlines", "nul", "lone-surrogate", "emoji", "punctuation", "bidi", "blank-lines", "long"],
)
async def test_odd_input_never_raises(install: Callable[..., Path], store: EmbeddedStore, text: str) -> None:
    translator = Translator(store, install(("fa", "de")), CACHE_TTL_SECONDS)
    result = await translator.translate(text, "fa", "de")
    assert result.machine or (result.text == text)


@pytest.mark.parametrize(("source", "target"), [("", "de"), ("fa", ""), ("xx", "de"), ("fa", "\x00")])
async def test_odd_language_codes_return_the_original(
    install: Callable[..., Path], store: EmbeddedStore, source: str, target: str
) -> None:
    translator = Translator(store, install(("fa", "de")), CACHE_TTL_SECONDS)
    result = await translator.translate(FARSI, source, target)
    assert (result.text, result.machine) == (FARSI, False)
    assert result.note


def test_pairs_and_languages_tell_what_is_installed(install: Callable[..., Path], store: EmbeddedStore) -> None:
    translator = Translator(store, install(("fa", "en"), ("en", "de")), CACHE_TTL_SECONDS)
    assert [(pair.source, pair.target) for pair in translator.pairs()] == [("en", "de"), ("fa", "en")]
    assert translator.languages() == ["de", "en", "fa"]
    assert (translator.can_translate("fa", "de"), translator.can_translate("de", "fa")) == (True, False)
