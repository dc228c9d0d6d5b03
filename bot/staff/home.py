"""The start page ``/admin``: the sections the signed-in member may use."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.staff.guard import requires
from bot.staff.pages import render


@requires()
async def home(request: Request) -> Response:
    return render(request, "home.html")
