"""Held-out evaluation of the embedded engine on the project's own training data.

The examples are split with a fixed seed, stratified by intent and language; the engine is trained on one
part and parses the other exactly as in production (language identification, fallback, emergency override).
A fallback counts as a wrong answer. The report also lists what the data itself gets wrong: the same text
under two intents.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

from nlu.emergency import EMERGENCY_INTENT
from nlu.engine import EngineSettings, train_engine
from nlu.normalise import normalise
from nlu.pipeline_config import config_path, read_fallback_settings
from nlu.result import FALLBACK_INTENT
from nlu.training_data import Example, TrainingData, load_training_data

TEST_SHARE = 0.2
SEED = 20240601
REPORT_MARKDOWN = "report.md"
REPORT_JSON = "report.json"
CONFUSION_PNG = "confusion.png"
_MISTAKES_LISTED = 200


@dataclass(frozen=True, slots=True)
class Split:
    train: tuple[Example, ...]
    test: tuple[Example, ...]


def split_examples(examples: Sequence[Example], test_share: float = TEST_SHARE, seed: int = SEED) -> Split:
    """A stratified split by (intent, language); a group of one example stays in training."""
    groups: dict[tuple[str, str | None], list[Example]] = defaultdict(list)
    for example in examples:
        groups[(example.intent, example.language)].append(example)
    train: list[Example] = []
    test: list[Example] = []
    for key in sorted(groups, key=str):
        members = groups[key][:]
        # A generator per group: an example added to one intent leaves the split of every other one as it was.
        random.Random(f"{seed} {key[0]} {key[1]}").shuffle(members)
        held_out = min(len(members) - 1, round(len(members) * test_share))
        test += members[:held_out]
        train += members[held_out:]
    return Split(tuple(train), tuple(test))


@dataclass(frozen=True, slots=True)
class GroupScore:
    name: str
    examples: int
    accuracy: float
    macro_f1: float
    language_id_accuracy: float


@dataclass(frozen=True, slots=True)
class IntentScore:
    intent: str
    support: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Mistake:
    text: str
    language: str | None
    expected: str
    predicted: str
    confidence: float
    source: str


@dataclass(frozen=True, slots=True)
class Conflict:
    text: str
    intents: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    train_examples: int
    test_examples: int
    overall: GroupScore
    fallback_rate: float
    emergency_recall: float
    emergency_false_alarms: int
    by_language: tuple[GroupScore, ...]
    by_intent: tuple[IntentScore, ...]
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    mistakes: tuple[Mistake, ...]
    conflicts: tuple[Conflict, ...]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def summary_table(self) -> str:
        rows = [f"{'':<8} {'n':>5} {'accuracy':>9} {'macro-F1':>9} {'lang-id':>8}"]
        for group in (*self.by_language, self.overall):
            rows.append(
                f"{group.name:<8} {group.examples:>5} {group.accuracy:>9.3f} {group.macro_f1:>9.3f}"
                f" {group.language_id_accuracy:>8.3f}"
            )
        rows.append(
            f"emergency recall {self.emergency_recall:.3f}, false alarms {self.emergency_false_alarms}, "
            f"fallback rate {self.fallback_rate:.3f}"
        )
        return "\n".join(rows)

    def to_markdown(self) -> str:
        lines = [
            "# NLU evaluation",
            "",
            f"Held-out split (seed {SEED}, {TEST_SHARE:.0%} of every intent and language): "
            f"{self.train_examples} training and {self.test_examples} test examples. "
            "A fallback counts as a wrong answer.",
            "",
            f"- emergency recall: {self.emergency_recall:.3f}",
            f"- emergency false alarms: {self.emergency_false_alarms}",
            f"- fallback rate: {self.fallback_rate:.3f}",
            "",
            "## By language",
            "",
            "| language | examples | accuracy | macro-F1 | language-ID accuracy |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {g.name} | {g.examples} | {g.accuracy:.3f} | {g.macro_f1:.3f} | {g.language_id_accuracy:.3f} |"
                for g in (*self.by_language, self.overall)
            ),
            "",
            "## By intent",
            "",
            "| intent | support | precision | recall | F1 |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {i.intent} | {i.support} | {i.precision:.3f} | {i.recall:.3f} | {i.f1:.3f} |"
                for i in self.by_intent
            ),
            "",
            f"![confusion matrix]({CONFUSION_PNG})",
            "",
            "## Mistakes",
            "",
            "| language | text | expected | predicted | confidence | source |",
            "|---|---|---|---|---:|---|",
            *(
                f"| {m.language} | {_cell(m.text)} | {m.expected} | {m.predicted} | {m.confidence:.2f} | {m.source} |"
                for m in self.mistakes[:_MISTAKES_LISTED]
            ),
            "",
            "## The same text under different intents in the training data",
            "",
            *(f"- `{c.text}`: {', '.join(c.intents)} ({'; '.join(c.sources)})" for c in self.conflicts),
            "",
        ]
        return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def find_conflicts(examples: Sequence[Example]) -> tuple[Conflict, ...]:
    by_text: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_text[normalise(example.text).text].append(example)
    return tuple(
        Conflict(text, tuple(sorted({e.intent for e in group})), tuple(str(e.source) for e in group))
        for text, group in sorted(by_text.items())
        if len({e.intent for e in group}) > 1
    )


def _group_score(name: str, expected: list[str], predicted: list[str], language_hits: list[bool]) -> GroupScore:
    labels = sorted(set(expected))
    return GroupScore(
        name=name,
        examples=len(expected),
        accuracy=float(np.mean(np.array(expected) == np.array(predicted))) if expected else 0.0,
        macro_f1=float(f1_score(expected, predicted, labels=labels, average="macro", zero_division=0)),
        language_id_accuracy=float(np.mean(language_hits)) if language_hits else 0.0,
    )


def evaluate(data: TrainingData, data_dir: Path, settings: EngineSettings | None = None) -> EvaluationReport:
    split = split_examples(data.examples)
    training = TrainingData(split.train, data.synonyms, data.lookups, data.regexes)
    engine = train_engine(training, read_fallback_settings(config_path(data_dir)), settings)
    results = [engine.parse(example.text) for example in split.test]
    expected = [example.intent for example in split.test]
    predicted = [result.intent.name for result in results]
    language_hits = [
        result.language.code == example.language for result, example in zip(results, split.test, strict=True)
    ]
    by_language = tuple(
        _group_score(
            language,
            [e for e, x in zip(expected, split.test, strict=True) if x.language == language],
            [p for p, x in zip(predicted, split.test, strict=True) if x.language == language],
            [h for h, x in zip(language_hits, split.test, strict=True) if x.language == language],
        )
        for language in sorted({str(x.language) for x in split.test if x.language is not None})
    )
    intents = sorted(set(expected))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=intents, zero_division=0
    )
    labels = (*intents, FALLBACK_INTENT)
    emergencies = [p for e, p in zip(expected, predicted, strict=True) if e == EMERGENCY_INTENT]
    return EvaluationReport(
        train_examples=len(split.train),
        test_examples=len(split.test),
        overall=_group_score("all", expected, predicted, language_hits),
        fallback_rate=float(np.mean([p == FALLBACK_INTENT for p in predicted])),
        emergency_recall=float(np.mean([p == EMERGENCY_INTENT for p in emergencies])) if emergencies else 1.0,
        emergency_false_alarms=sum(
            e != EMERGENCY_INTENT and p == EMERGENCY_INTENT for e, p in zip(expected, predicted, strict=True)
        ),
        by_language=by_language,
        by_intent=tuple(
            IntentScore(intent, int(s), float(p), float(r), float(f))
            for intent, p, r, f, s in zip(intents, precision, recall, f1, support, strict=True)
        ),
        labels=labels,
        confusion=tuple(
            tuple(int(v) for v in row) for row in confusion_matrix(expected, predicted, labels=list(labels))
        ),
        mistakes=tuple(
            Mistake(x.text, x.language, e, r.intent.name, r.intent.confidence, str(x.source))
            for x, e, r in zip(split.test, expected, results, strict=True)
            if r.intent.name != e
        ),
        conflicts=find_conflicts(data.examples),
    )


def plot_confusion(report: EvaluationReport, path: Path) -> None:
    matrix = np.array(report.confusion)
    size = max(6.0, 0.42 * len(report.labels))
    # A bare Figure renders with the Agg canvas: no display and no pyplot state.
    figure = Figure(figsize=(size, size))
    axes = figure.subplots()
    axes.imshow(np.log1p(matrix), cmap="Blues")
    axes.set_xticks(range(len(report.labels)), report.labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(report.labels)), report.labels, fontsize=7)
    axes.set_xlabel("predicted")
    axes.set_ylabel("expected")
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            axes.text(column, row, str(count), ha="center", va="center", fontsize=5)
    axes.set_title(f"Held-out confusion, accuracy {report.overall.accuracy:.3f}")
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def write_report(report: EvaluationReport, directory: Path) -> Path:
    """Writes the Markdown report, its JSON and the confusion matrix; returns the Markdown file."""
    directory.mkdir(parents=True, exist_ok=True)
    plot_confusion(report, directory / CONFUSION_PNG)
    (directory / REPORT_JSON).write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    markdown = directory / REPORT_MARKDOWN
    markdown.write_text(report.to_markdown(), encoding="utf-8")
    return markdown


def evaluate_directory(data_dir: Path, out_dir: Path) -> tuple[EvaluationReport, Path]:
    report = evaluate(load_training_data(data_dir), data_dir)
    return report, write_report(report, out_dir)
