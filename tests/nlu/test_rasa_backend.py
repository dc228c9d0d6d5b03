"""The rasa backend against a fake Rasa server speaking the documented /model/parse answer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from nlu.engine import NluEngine
from nlu.model_store import train_model
from nlu.rasa_backend import NluUnavailable, RasaNlu
from tests.fakes.server import ServedApp
from tests.net import free_port
from tests.nlu.conftest import write_project

# Rasa 3.6's answer to POST /model/parse {"text": "wo ist das Büro in Bebra"}.
RASA_ANSWER: dict[str, Any] = {
    "text": "wo ist das Büro in Bebra",
    "intent": {"name": "office_locations", "confidence": 0.9412},
    "entities": [
        {
            "entity": "town",
            "start": 19,
            "end": 24,
            "confidence_entity": 0.998,
            "value": "Bebra",
            "extractor": "DIETClassifier",
            "processors": ["EntitySynonymMapper"],
        }
    ],
    "text_tokens": [[0, 2], [3, 6], [7, 10], [11, 15], [16, 18], [19, 24]],
    "intent_ranking": [
        {"name": "office_locations", "confidence": 0.9412},
        {"name": "opening_hours", "confidence": 0.0311},
    ],
    "response_selector": {"all_retrieval_intents": [], "default": {}},
}


async def parse(request: Request) -> Response:
    text = (await request.json())["text"]
    if text == "slow":
        await asyncio.sleep(2.0)
    if text == "garbage":
        return PlainTextResponse("<html>proxy error</html>")
    if text == "broken":
        return JSONResponse({"detail": "model not loaded"}, status_code=500)
    return JSONResponse({**RASA_ANSWER, "text": text})


@pytest.fixture(scope="module")
def rasa_server() -> Iterator[str]:
    served = ServedApp(Starlette(routes=[Route("/model/parse", parse, methods=["POST"])]))
    served.start()
    yield served.url
    served.stop()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> NluEngine:
    return train_model(write_project(tmp_path_factory.mktemp("rasa") / "project"))


def backend(url: str, engine: NluEngine, timeout: float = 1.0) -> RasaNlu:
    return RasaNlu(url, timeout, engine.languages)


async def test_rasas_answer_becomes_a_parse_result_with_our_language(rasa_server: str, engine: NluEngine) -> None:
    result = await backend(rasa_server, engine).parse("wo ist das Büro in Bebra")
    shown = result.to_dict()
    assert shown["intent"] == {"name": "office_locations", "confidence": 0.9412}
    assert [score["name"] for score in shown["intent_ranking"]] == ["office_locations", "opening_hours"]
    assert shown["entities"] == [{"entity": "town", "value": "Bebra", "start": 19, "end": 24}]
    assert shown["language"]["code"] == "de"


async def test_a_slow_server_is_unavailable_after_the_timeout(rasa_server: str, engine: NluEngine) -> None:
    with pytest.raises(NluUnavailable, match=f"{rasa_server}/model/parse did not answer within 0.2 s"):
        await backend(rasa_server, engine, timeout=0.2).parse("slow")


async def test_an_unreachable_server_is_unavailable_and_named(engine: NluEngine) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(NluUnavailable, match=f"{url}/model/parse is unreachable"):
        await backend(url, engine).parse("hallo")


@pytest.mark.parametrize(("text", "message"), [("garbage", "not a parse result"), ("broken", "answered HTTP 500")])
async def test_an_answer_that_is_no_parse_result_is_unavailable(
    rasa_server: str, engine: NluEngine, text: str, message: str
) -> None:
    with pytest.raises(NluUnavailable, match=message):
        await backend(rasa_server, engine).parse(text)
