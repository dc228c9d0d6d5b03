"""Payloads too long for a platform's button id travel as short references."""

from __future__ import annotations

from bot.channels.payload_refs import PREFIX, PayloadRefs
from bot.store import EmbeddedStore


async def test_a_short_payload_is_its_own_id(store: EmbeddedStore) -> None:
    refs = PayloadRefs(store, "refs", 64)
    assert await refs.encode("/greet") == "/greet"


async def test_a_long_payload_becomes_a_reference_within_the_limit_and_reads_back(store: EmbeddedStore) -> None:
    refs = PayloadRefs(store, "refs", 64)
    payload = '/office_locations{"town": "' + "Friedewald-Hohenroda-Ludwigsau" * 3 + '"}'
    data = await refs.encode(payload)
    assert data.startswith(PREFIX) and len(data.encode()) <= 64
    assert await refs.decode(data) == payload


async def test_an_unknown_reference_comes_back_unchanged(store: EmbeddedStore) -> None:
    refs = PayloadRefs(store, "refs", 64)
    assert await refs.decode("#" + "0" * 24) == "#" + "0" * 24
    assert await refs.decode("#not-a-key") == "#not-a-key"
