"""How the emergency detection generalises: messages written apart from the training data, never trained on.

    .venv/bin/python benchmarks/emergency_probe.py [--data nlu/data] [--list]

``benchmarks/data/emergency_probe.tsv`` holds 45 messages of acute danger and 45 ordinary messages per
language, written by someone who had not seen the training data: danger in many situations and phrasings
(Arabizi and Finglish among them), and ordinary messages that share words with danger ("this course is
killing me", "I burnt the rice", the police's number for a form, "no emergency, just a question"). The
held-out split of ``wegweiser nlu evaluate`` comes from the same hands as the training data; this set shows
what it does not. Keep it out of ``nlu/data``: once trained on, it measures nothing.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.emergency import EMERGENCY_INTENT  # noqa: E402
from nlu.model_store import train_model  # noqa: E402

PROBE = Path(__file__).resolve().parent / "data" / "emergency_probe.tsv"
ALL = "all"


@dataclass(frozen=True, slots=True)
class ProbeMessage:
    language: str
    emergency: bool
    text: str


def read_probe(path: Path) -> list[ProbeMessage]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [ProbeMessage(row["language"], row["expected"] == EMERGENCY_INTENT, row["text"]) for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "nlu" / "data")
    parser.add_argument("--list", action="store_true", help="print every missed emergency and false alarm")
    arguments = parser.parse_args()
    engine = train_model(arguments.data)
    messages = read_probe(PROBE)
    emergencies: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    ordinary: Counter[str] = Counter()
    alarms: Counter[str] = Counter()
    for message in messages:
        intent = engine.parse(message.text).intent.name
        alarm = intent == EMERGENCY_INTENT
        for group in (message.language, ALL):
            if message.emergency:
                emergencies[group] += 1
                missed[group] += not alarm
            else:
                ordinary[group] += 1
                alarms[group] += alarm
        if arguments.list and alarm != message.emergency:
            print(f"{'missed' if message.emergency else 'false alarm'}\t{message.language}\t{intent}\t{message.text}")
    print(f"{'language':<9} {'danger':>7} {'missed':>7} {'recall':>7} {'ordinary':>9} {'alarms':>7}")
    for group in [*sorted(set(emergencies) - {ALL}), ALL]:
        recall = 1 - missed[group] / emergencies[group] if emergencies[group] else float("nan")
        print(
            f"{group:<9} {emergencies[group]:>7} {missed[group]:>7} {recall:>7.3f} {ordinary[group]:>9}"
            f" {alarms[group]:>7}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
