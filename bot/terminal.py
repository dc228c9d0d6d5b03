"""``wegweiser chat``: the conversation in a terminal, for people and for scripts."""

from __future__ import annotations

import asyncio
import json
import sys

from bot.assembly import build_assistant
from bot.config import Settings
from bot.messages import Incoming

CHANNEL = "terminal"


async def run_jsonl(settings: Settings) -> int:
    """One JSON object per input line, one per output line, in order."""
    assistant = build_assistant(settings)
    try:
        while (line := await asyncio.to_thread(sys.stdin.readline)) != "":
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                user = str(request["user"])
            except (json.JSONDecodeError, KeyError, TypeError):
                print(
                    json.dumps({"error": "each line must be an object with 'user' and 'text' or 'payload'"}), flush=True
                )
                continue
            payload = request.get("payload")
            incoming = Incoming(
                user,
                CHANNEL,
                text=None if payload is not None else str(request.get("text", "")),
                payload=str(payload) if payload is not None else None,
            )
            outcome = await assistant.dialogue.handle(incoming)
            print(json.dumps(outcome.to_dict(), ensure_ascii=False), flush=True)
    finally:
        await assistant.close()
    return 0


async def run_terminal(settings: Settings) -> int:
    """An interactive chat; buttons are shown numbered and chosen by their number."""
    assistant = build_assistant(settings)
    buttons: list[str] = []
    print("Wegweiser – /help, Ctrl-D to end")
    try:
        while (line := await asyncio.to_thread(_prompt)) is not None:
            choice = line.strip()
            if choice.isdigit() and 0 < int(choice) <= len(buttons):
                incoming = Incoming("terminal", CHANNEL, payload=buttons[int(choice) - 1])
            else:
                incoming = Incoming("terminal", CHANNEL, text=line)
            outcome = await assistant.dialogue.handle(incoming)
            buttons = []
            for reply in outcome.replies:
                print(f"\n{reply.text}")
                for button in reply.buttons:
                    buttons.append(button.payload)
                    print(f"  [{len(buttons)}] {button.title}")
            print()
    finally:
        await assistant.close()
    return 0


def _prompt() -> str | None:
    try:
        return input("> ")
    except EOFError:
        return None
