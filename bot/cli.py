"""The ``wegweiser`` command."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot import translation_cli
from bot.config import ConfigurationError, Settings, load_settings

# A stopping worker finishes the messages it holds for at most this long.
SHUTDOWN_GRACE_SECONDS = 30


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wegweiser", description="Multilingual assistant for newcomers.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web application (web chat, staff area, webhooks)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.set_defaults(handler=_serve)

    chat = commands.add_parser("chat", help="chat in the terminal")
    chat.add_argument("--jsonl", action="store_true", help="JSON lines on stdin and stdout")
    chat.set_defaults(handler=_chat)

    content = commands.add_parser("content", help="the content store").add_subparsers(dest="action", required=True)
    check = content.add_parser("check", help="validate the content store")
    check.set_defaults(handler=_content_check)
    sync = content.add_parser("sync-translations", help="add missing translation keys, German as a comment")
    sync.set_defaults(handler=_content_sync)
    publish = content.add_parser(
        "publish", help="check this machine's content and NLU training data and hand them to every worker"
    )
    publish.set_defaults(handler=_content_publish)

    from nlu.cli import register

    register(commands)

    from bot.staff_cli import register as register_admin

    register_admin(commands)
    translation_cli.register(commands)

    arguments = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    return int(arguments.handler(arguments, settings) or 0)


def _content_check(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.policy import load_policy
    from content.check import check_content

    problems = check_content(settings.content_dir, load_policy().intents)
    for problem in problems:
        print(problem)
    errors = sum(problem.severity == "error" for problem in problems)
    print(f"{errors} errors, {len(problems) - errors} warnings", file=sys.stderr)
    return 1 if errors else 0


def _content_sync(arguments: argparse.Namespace, settings: Settings) -> int:
    from content.store import ContentError, load_content, write_translation_file

    try:
        content = load_content(settings.content_dir)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    for language in content.source.core_languages:
        if language != "de":
            print(write_translation_file(content, language))
    return 0


def _content_publish(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.assembly import open_store
    from bot.releases import Publication, ReleaseRefused, Releases
    from bot.store import StoreError

    async def publish() -> list[Publication]:
        store = open_store(settings)
        try:
            return await Releases(store, settings).publish()
        finally:
            await store.close()

    try:
        publications = asyncio.run(publish())
    except ReleaseRefused as refused:
        for problem in refused.problems:
            print(problem)
        print("nothing was published", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"the state store refused the release: {error}", file=sys.stderr)
        return 1
    for publication in publications:
        print(publication)
    return 0


def _serve(arguments: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.logs import configure_logging
    from bot.web.app import create_app

    configure_logging(settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=arguments.host,
        port=arguments.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )
    return 0


def _chat(arguments: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal import run_jsonl, run_terminal

    return asyncio.run(run_jsonl(settings) if arguments.jsonl else run_terminal(settings))


if __name__ == "__main__":
    raise SystemExit(main())
