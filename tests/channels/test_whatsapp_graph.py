"""Sending through the Graph API retries with backoff on 429 and 5xx, and only then."""

from __future__ import annotations

import httpx
import pytest

from bot.channels.whatsapp_graph import Backoff, GraphClient, GraphError
from bot.channels.whatsapp_outbound import text_message
from tests.fakes.graph_api import FakeGraphApi, rate_limited, service_unavailable

TO = "4915112345678"
QUICK = Backoff(attempts=3, first_delay=0.05)


@pytest.fixture(autouse=True)
def fresh(graph_api: FakeGraphApi) -> None:
    graph_api.clear()


def client(graph_api: FakeGraphApi, http: httpx.AsyncClient, token: str | None = None) -> GraphClient:
    return GraphClient(http, graph_api.api_url, graph_api.phone_number_id, token or graph_api.token, QUICK)


async def test_a_message_is_sent_and_gets_an_id(graph_api: FakeGraphApi) -> None:
    async with httpx.AsyncClient() as http:
        message_id = await client(graph_api, http).send(text_message(TO, "Hallo"))
    assert message_id.startswith("wamid.")
    assert graph_api.accepted(TO)[0]["text"]["body"] == "Hallo"


@pytest.mark.parametrize("failure", [rate_limited(), service_unavailable()], ids=["429", "503"])
async def test_a_busy_or_failing_api_is_tried_again_after_a_pause(graph_api: FakeGraphApi, failure) -> None:
    graph_api.fail_next(failure, times=2)
    async with httpx.AsyncClient() as http:
        await client(graph_api, http).send(text_message(TO, "Hallo"))
    first, second, third = graph_api.records("messages")
    assert [first.status, second.status, third.status] == [failure.status, failure.status, 200]
    assert third.at - second.at > second.at - first.at >= 0.035


async def test_retrying_stops_after_the_last_attempt(graph_api: FakeGraphApi) -> None:
    graph_api.fail_next(service_unavailable(), times=5)
    async with httpx.AsyncClient() as http:
        with pytest.raises(GraphError) as raised:
            await client(graph_api, http).send(text_message(TO, "Hallo"))
    assert raised.value.status == 503
    assert len(graph_api.records("messages")) == QUICK.attempts


async def test_a_refused_message_is_not_tried_again(graph_api: FakeGraphApi) -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(GraphError) as raised:
            await client(graph_api, http).send(text_message(TO, "x" * 5000))
    assert raised.value.status == 400
    assert len(graph_api.records("messages")) == 1


async def test_a_closed_window_is_recognised(graph_api: FakeGraphApi) -> None:
    graph_api.outside_window.add(TO)
    try:
        async with httpx.AsyncClient() as http:
            with pytest.raises(GraphError) as raised:
                await client(graph_api, http).send(text_message(TO, "Hallo"))
    finally:
        graph_api.outside_window.clear()
    assert raised.value.outside_window


async def test_an_unreachable_api_is_reported_after_retrying() -> None:
    async with httpx.AsyncClient() as http:
        graph = GraphClient(http, "http://127.0.0.1:9/v21.0", "1", "t", QUICK)
        with pytest.raises(GraphError) as raised:
            await graph.send(text_message(TO, "Hallo"))
    assert raised.value.status == 0
