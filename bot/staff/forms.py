"""HTML form bodies (``application/x-www-form-urlencoded``), read without python-multipart.

Staff forms send no files, so the URL-encoded form is the only one the staff
area reads; larger bodies are refused by the mount's body limit before they
get here.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.datastructures import FormData
from starlette.requests import Request

FORM_TYPE = "application/x-www-form-urlencoded"
_MAX_FIELDS = 1000


def parse_form(body: bytes, content_type: str) -> FormData:
    """The fields of a URL-encoded ``body``; empty for any other content type."""
    if content_type.split(";", 1)[0].strip().lower() != FORM_TYPE:
        return FormData()
    text = body.decode("utf-8", errors="replace")
    return FormData(parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS))


async def read_form(request: Request) -> FormData:
    return parse_form(await request.body(), request.headers.get("content-type", ""))
