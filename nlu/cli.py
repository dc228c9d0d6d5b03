"""The ``wegweiser nlu`` commands: ``train``, ``parse`` and ``evaluate``."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from bot.config import Settings
from nlu.model_store import ensure_model
from nlu.training_data import TrainingDataError

REPORT_SUBDIRECTORY = Path("reports") / "nlu"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds the ``nlu`` command group; every handler is called as ``handler(arguments, settings)``."""
    nlu = subparsers.add_parser("nlu", help="the NLU model: train, parse, evaluate")
    actions = nlu.add_subparsers(dest="nlu_command", required=True)
    train = actions.add_parser("train", help="train the NLU model from the training data")
    train.set_defaults(handler=train_command)
    parse = actions.add_parser("parse", help="parse one message per stdin line into one JSON line each")
    parse.set_defaults(handler=parse_command)
    evaluate = actions.add_parser("evaluate", help="held-out evaluation with a written report")
    evaluate.add_argument("--out", type=Path, help="report directory (default: DATA_DIR/reports/nlu)")
    evaluate.set_defaults(handler=evaluate_command)


def train_command(arguments: argparse.Namespace, settings: Settings) -> int:
    try:
        stored = ensure_model(settings.nlu_data_dir, settings.model_dir, retrain=True)
    except TrainingDataError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"model: {stored.path}")
    print(f"trained in {stored.seconds:.1f} s")
    return 0


def parse_command(arguments: argparse.Namespace, settings: Settings) -> int:
    try:
        stored = ensure_model(settings.nlu_data_dir, settings.model_dir)
    except TrainingDataError as error:
        print(error, file=sys.stderr)
        return 1
    if stored.trained:
        print(f"trained {stored.path} in {stored.seconds:.1f} s", file=sys.stderr)
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    for line in lines:
        result = stored.engine.parse(line.rstrip("\r\n"))
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def evaluate_command(arguments: argparse.Namespace, settings: Settings) -> int:
    # Imported here: the evaluation's plotting and metrics have no place in every other command's process.
    from nlu.evaluate import evaluate_directory

    directory = arguments.out or settings.data_dir / REPORT_SUBDIRECTORY
    try:
        report, markdown = evaluate_directory(settings.nlu_data_dir, directory)
    except TrainingDataError as error:
        print(error, file=sys.stderr)
        return 1
    print(report.summary_table())
    print(f"report: {markdown}")
    return 0
