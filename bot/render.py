"""From the actions' responses to channel-neutral replies.

Right-to-left text keeps Latin names, numbers and phone numbers readable by
wrapping each left-to-right run in Unicode isolates (LRI ... PDI), so
"116 117" is never shown as "117 116".
"""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Button, Link, Reply

LRI = "\u2066"
PDI = "\u2069"
# A left-to-right run: starts and ends with a Latin letter or digit, may hold
# spaces and the punctuation of names, numbers and addresses in between.
# Brackets stay outside: the bidi algorithm mirrors them in right-to-left text.
_LTR_RUN = re.compile(r"[A-Za-zÀ-ɏ0-9](?:[A-Za-zÀ-ɏ0-9 .,:/+@&'’-]*[A-Za-zÀ-ɏ0-9])?")


def isolate_ltr(text: str) -> str:
    """Wrap every left-to-right run of ``text`` in LRI ... PDI."""
    return _LTR_RUN.sub(lambda match: f"{LRI}{match.group(0)}{PDI}", text)


def render(responses: list[dict[str, Any]], right_to_left: bool) -> tuple[Reply, ...]:
    fix = isolate_ltr if right_to_left else str
    replies = []
    for response in responses:
        text = response.get("text") or ""
        buttons = tuple(Button(fix(button["title"]), button["payload"]) for button in response.get("buttons") or [])
        links = tuple(Link(fix(link["title"]), link["url"]) for link in (response.get("custom") or {}).get("links", []))
        if text or buttons:
            replies.append(Reply(fix(text), buttons, links))
    return tuple(replies)
