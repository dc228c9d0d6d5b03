"""SIB-200 topic classification with the NLU engine's own classes, against the paper's baselines.

    .venv/bin/python benchmarks/sib200.py [--split test|dev] [--data ../shared/data/sib200]

Trains on ``train.tsv`` of each language and reports accuracy on the chosen split, with the same normaliser,
tokenizer, features and classifier as the intent engine (no fallback). The published MLP accuracy is read
from the data folder's README; Rasa 3.6's DIET reaches 0.726 on deu_Latn. The dev split is for choosing the
engine's defaults; the test split only for reporting them.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlu.classifier import CalibratedSvm  # noqa: E402
from nlu.features import Featurizer, feature_text  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "sib200"
LANGUAGES = {
    "arb_Arab": "ar",
    "pes_Arab": "fa",
    "prs_Arab": "fa",
    "ukr_Cyrl": "uk",
    "deu_Latn": "de",
    "eng_Latn": "en",
    "rus_Cyrl": "ru",
    "tur_Latn": "tr",
}
DIET_DEU = 0.726
_README_ROW = re.compile(r"^\|\s*(\w+_\w+)\s*\|\s*([\d.]+)\s*\|")


@dataclass(frozen=True, slots=True)
class Split:
    texts: list[str]
    labels: list[str]


def read_split(path: Path, language: str) -> Split:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    return Split([feature_text(row["text"], language) for row in rows], [row["category"] for row in rows])


def published_mlp(readme: Path) -> dict[str, float]:
    """The MLP column of the README's table of published accuracies, as fractions."""
    scores: dict[str, float] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = _README_ROW.match(line)
        if match:
            scores[match.group(1)] = float(match.group(2)) / 100
    return scores


def accuracy(train: Split, test: Split) -> float:
    featurizer = Featurizer()
    model = CalibratedSvm().fit(featurizer.fit_transform(train.texts), train.labels)
    predicted = model.predict(featurizer.transform(test.texts))
    return sum(p == t for p, t in zip(predicted, test.labels, strict=True)) / len(test.labels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    arguments = parser.parse_args()
    mlp = published_mlp(arguments.data / "README.md")
    print(f"SIB-200 {arguments.split} accuracy, trained on train.tsv")
    print(f"{'language':<10} {'engine':>7} {'MLP':>7} {'DIET':>7} {'seconds':>8}")
    for corpus, language in LANGUAGES.items():
        started = time.perf_counter()
        score = accuracy(
            read_split(arguments.data / corpus / "train.tsv", language),
            read_split(arguments.data / corpus / f"{arguments.split}.tsv", language),
        )
        diet = f"{DIET_DEU:>7.3f}" if corpus == "deu_Latn" else f"{'':>7}"
        print(
            f"{corpus:<10} {score:>7.3f} {mlp.get(corpus, float('nan')):>7.3f} {diet}"
            f" {time.perf_counter() - started:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
