"""A fake WhatsApp Cloud API (Graph API ``/{version}/{phone_number_id}/messages``) with Meta's limits.

It refuses what Meta refuses: a wrong token, too long texts and titles, too many
buttons or rows, unknown templates, free-form messages to someone whose
24-hour window is closed.
"""

from __future__ import annotations

import itertools
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.server import Failure, FakeServer, Recorded

VERSION = "v21.0"
MAX_TEXT = 4096
MAX_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_ROWS = 10
MAX_SECTIONS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_LIST_BUTTON = 20
MAX_SECTION_TITLE = 24
OUTSIDE_WINDOW = 131047
PHONE_NUMBER_ID = "1098765"
TEMPLATE = "wegweiser_reply_waiting"


class GraphRefusal(Exception):
    def __init__(self, message: str, code: int = 100, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class FakeGraphApi(FakeServer):
    def __init__(self, phone_number_id: str = PHONE_NUMBER_ID, token: str = "graph-token") -> None:
        super().__init__(Starlette(routes=[Route("/{version}/{phone:path}/messages", self._send, methods=["POST"])]))
        self.phone_number_id = phone_number_id
        self.token = token
        # Recipients who last wrote more than 24 hours ago.
        self.outside_window: set[str] = set()
        self.templates: dict[str, set[str]] = {TEMPLATE: {"de", "en", "ar", "fa", "uk", "ru", "tr"}}
        self._ids = itertools.count(1)

    @property
    def api_url(self) -> str:
        return f"{self.url}/{VERSION}"

    def accepted(self, to: str | None = None) -> list[dict[str, Any]]:
        return [
            entry.params
            for entry in self.records("messages")
            if entry.status == 200 and (to is None or entry.params.get("to") == to)
        ]

    def wait_for_accepted(self, to: str, count: int = 1, timeout: float = 15.0) -> list[dict[str, Any]]:
        self.wait_for(lambda _: len(self.accepted(to)) >= count, timeout)
        return self.accepted(to)

    def refused(self) -> list[Recorded]:
        return [entry for entry in self.records("messages") if entry.status != 200]

    async def _send(self, request: Request) -> JSONResponse:
        try:
            message = await request.json()
        except ValueError:
            message = None
        params = message if isinstance(message, dict) else {"unparseable": True}
        try:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                raise GraphRefusal("Invalid OAuth access token - Cannot parse access token", 190, 401)
            if request.path_params["version"] != VERSION or request.path_params["phone"] != self.phone_number_id:
                raise GraphRefusal("Unsupported post request. Object does not exist", 100, 400)
            failure = self.take_failure()
            if failure is not None:
                self.record("messages", params, failure.status)
                return self.failure_response(failure)
            if not isinstance(message, dict):
                raise GraphRefusal("The parameter messaging_product is required.")
            self._check(message)
        except GraphRefusal as refusal:
            self.record("messages", params, refusal.status)
            return JSONResponse(_error_body(refusal.message, refusal.code), status_code=refusal.status)
        self.record("messages", params, 200)
        to = str(message["to"])
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.fake{next(self._ids)}"}],
            }
        )

    def _check(self, message: dict[str, Any]) -> None:
        if message.get("messaging_product") != "whatsapp":
            raise GraphRefusal("The parameter messaging_product is required.")
        to = message.get("to")
        if not isinstance(to, str) or not to:
            raise GraphRefusal("The parameter to is required.")
        kind = message.get("type")
        if kind == "template":
            _check_template(message.get("template"), self.templates)
            return
        if to in self.outside_window:
            raise GraphRefusal(
                "Re-engagement message: more than 24 hours have passed since the recipient last replied",
                OUTSIDE_WINDOW,
            )
        if kind == "text":
            text = message.get("text")
            body = text.get("body") if isinstance(text, dict) else None
            _check_length("text['body']", body, 1, MAX_TEXT)
        elif kind == "interactive":
            _check_interactive(message.get("interactive"))
        else:
            raise GraphRefusal(f"(#100) Param type must be one of text, interactive, template; got {kind!r}")


def _error_body(message: str, code: int) -> dict[str, Any]:
    return {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "fake"}}


def rate_limited() -> Failure:
    return Failure(429, _error_body("(#130429) Rate limit hit", 130429))


def service_unavailable() -> Failure:
    return Failure(503, _error_body("Service temporarily unavailable", 2))


def _check_length(name: str, value: Any, least: int, most: int) -> None:
    if not isinstance(value, str) or not least <= len(value) <= most:
        raise GraphRefusal(f"(#100) Param {name} must be a string of {least} to {most} characters")


def _check_template(template: Any, approved: dict[str, set[str]]) -> None:
    if not isinstance(template, dict):
        raise GraphRefusal("(#100) The parameter template is required.")
    name = template.get("name")
    language = template.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    if name not in approved or code not in approved[name]:
        raise GraphRefusal(f"(#132001) Template name does not exist in the translation: {name} ({code})", 132001)


def _check_interactive(interactive: Any) -> None:
    if not isinstance(interactive, dict):
        raise GraphRefusal("(#100) The parameter interactive is required.")
    body = interactive.get("body")
    _check_length("interactive['body']['text']", body.get("text") if isinstance(body, dict) else None, 1, MAX_BODY)
    action = interactive.get("action")
    if not isinstance(action, dict):
        raise GraphRefusal("(#100) The parameter interactive['action'] is required.")
    if interactive.get("type") == "button":
        _check_buttons(action.get("buttons"))
    elif interactive.get("type") == "list":
        _check_list(action)
    else:
        raise GraphRefusal("(#100) Param interactive['type'] must be one of button, list")


def _check_buttons(buttons: Any) -> None:
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_BUTTONS:
        raise GraphRefusal(f"(#131009) Parameter value is not valid: 1 to {MAX_BUTTONS} buttons", 131009)
    ids, titles = [], []
    for button in buttons:
        reply = button.get("reply") if isinstance(button, dict) and button.get("type") == "reply" else None
        if not isinstance(reply, dict):
            raise GraphRefusal("(#100) Param interactive['action']['buttons'][0]['reply'] is required")
        _check_length("button id", reply.get("id"), 1, MAX_BUTTON_ID)
        _check_length("button title", reply.get("title"), 1, MAX_BUTTON_TITLE)
        ids.append(reply["id"])
        titles.append(reply["title"])
    if len(set(ids)) != len(ids) or len(set(titles)) != len(titles):
        raise GraphRefusal("(#131009) Parameter value is not valid: button titles and ids must be unique", 131009)


def _check_list(action: dict[str, Any]) -> None:
    _check_length("list button", action.get("button"), 1, MAX_LIST_BUTTON)
    sections = action.get("sections")
    if not isinstance(sections, list) or not 1 <= len(sections) <= MAX_SECTIONS:
        raise GraphRefusal("(#131009) Parameter value is not valid: sections count", 131009)
    rows = []
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("rows"), list):
            raise GraphRefusal("(#100) Param sections[0]['rows'] is required")
        if len(sections) > 1 or "title" in section:
            _check_length("section title", section.get("title"), 1, MAX_SECTION_TITLE)
        rows.extend(section["rows"])
    if not 1 <= len(rows) <= MAX_ROWS:
        raise GraphRefusal(f"(#131009) Parameter value is not valid: total rows should be 1 to {MAX_ROWS}", 131009)
    for row in rows:
        if not isinstance(row, dict):
            raise GraphRefusal("(#100) Param rows[0] must be an object")
        _check_length("row id", row.get("id"), 1, MAX_ROW_ID)
        _check_length("row title", row.get("title"), 1, MAX_ROW_TITLE)
        if "description" in row:
            _check_length("row description", row.get("description"), 0, MAX_ROW_DESCRIPTION)
    if len({row["id"] for row in rows}) != len(rows):
        raise GraphRefusal("(#131009) Parameter value is not valid: row ids must be unique", 131009)
