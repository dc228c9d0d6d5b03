"""The preview: answers of a draft, rendered as the bot renders them.

The actions read the content from the configured directory (the one the bot
answers from), so a draft's answers are rendered by a short-lived child process
whose ``WEGWEISER_CONTENT_DIR`` is the draft: the bot's own policy, actions
(through :class:`bot.action_runner.ActionRunner`) and :func:`bot.render.render`,
right-to-left isolation included. Run as
``python -m bot.staff.content_editor.preview <language> <intent>...``, it
prints the replies of each intent as JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actions.answers import TOWN_OTHER
from actions.content_access import content_source
from bot.action_runner import ActionRunner
from bot.messages import Button, Link, Reply
from bot.policy import load_policy
from bot.render import render

logger = logging.getLogger(__name__)

# Starting the child (imports and loading the draft) takes a few seconds on a busy two-core machine.
PREVIEW_TIMEOUT_SECONDS = 60.0
PREVIEW_SENDER = "staff-preview"


@dataclass(frozen=True)
class Preview:
    intent: str
    replies: tuple[Reply, ...]


class PreviewFailed(Exception):
    """The draft's answers could not be rendered."""


async def render_previews(directory: Path, language: str, intents: Sequence[str]) -> list[Preview]:
    """The replies the bot would give to each of ``intents`` in ``language`` with the content in ``directory``."""
    if not intents:
        return []
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        language,
        *intents,
        env={**os.environ, "WEGWEISER_CONTENT_DIR": str(directory)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        output, errors = await asyncio.wait_for(child.communicate(), PREVIEW_TIMEOUT_SECONDS)
    except TimeoutError:
        child.kill()
        await child.wait()
        raise PreviewFailed("die Vorschau hat zu lange gedauert") from None
    if child.returncode != 0:
        logger.error("preview failed: %s", errors.decode("utf-8", "replace")[-2000:])
        raise PreviewFailed("die Vorschau konnte nicht erstellt werden")
    rendered: dict[str, list[dict[str, Any]]] = json.loads(output)
    return [Preview(intent, tuple(_reply(shown) for shown in rendered[intent])) for intent in intents]


def _reply(shown: dict[str, Any]) -> Reply:
    return Reply(
        shown["text"],
        tuple(Button(button["title"], button["payload"]) for button in shown["buttons"]),
        tuple(Link(link["title"], link["url"]) for link in shown.get("links", [])),
    )


async def _render(language: str, intents: list[str]) -> dict[str, list[dict[str, Any]]]:
    runner = ActionRunner()
    policy = load_policy()
    languages = content_source().content().source.languages
    right_to_left = language in languages and languages[language].direction == "rtl"
    rendered = {}
    for intent in intents:
        # A known town of "other" shows an answer for every town instead of asking which one.
        slots = {"language": language, "town": TOWN_OTHER}
        latest = {"text": "", "intent": {"name": intent, "confidence": 1.0}, "entities": [], "metadata": {}}
        result = await runner.run(policy.action_for(intent), PREVIEW_SENDER, slots, latest)
        rendered[intent] = [reply.to_dict() for reply in render(result.responses, right_to_left)]
    return rendered


def main(arguments: list[str]) -> int:
    language, *intents = arguments
    json.dump(asyncio.run(_render(language, intents)), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
