"""Is a retrained NLU model good enough to go live? The held-out scores of the old and the new training data, and
the emergency check.

:func:`compare` evaluates both training data sets with :func:`nlu.evaluate.evaluate` (the held-out split of
each; a data set's evaluation is kept in ``<model_dir>/evaluations/<fingerprint>.json``, so the live data is
evaluated once), trains the new model on all of the new data and parses every emergency example of either data
set with the old and the new model. The new model must not be worse on emergencies:

- its held-out emergency recall, overall and in each language, is not lower than the old one's;
- every language that had emergency examples still has some;
- every emergency example the old model recognised is still recognised, and so is every emergency example the
  draft adds.

It runs in a child process, so that training never slows down the worker's conversations::

    python -m bot.staff.model_comparison LIVE_DIR CANDIDATE_DIR MODEL_DIR CANDIDATE_MODEL

Progress goes to standard output as JSON lines (``{"step": ..., "done": 0.4}``), the last line is
``{"comparison": ...}``. The child ends itself when the worker that started it is gone.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nlu.emergency import EMERGENCY_INTENT
from nlu.engine import NluEngine
from nlu.evaluate import EvaluationReport, evaluate, split_examples
from nlu.model_store import ensure_model, fingerprint, save_model, train_model
from nlu.training_data import TrainingData, load_training_data

EVALUATIONS = "evaluations"
_KEPT_EVALUATIONS = 20
_PARENT_CHECK_SECONDS = 2.0

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class LanguageScore:
    language: str
    examples: int
    accuracy: float
    macro_f1: float
    emergency_examples: int
    emergency_recall: float | None
    """Share of the held-out emergency examples answered as emergencies; None without any."""


@dataclass(frozen=True)
class Evaluation:
    """The held-out scores of one training data set."""

    fingerprint: str
    overall: LanguageScore
    languages: tuple[LanguageScore, ...]
    emergency_languages: tuple[str, ...]
    """Languages with emergency training examples."""

    def language(self, code: str) -> LanguageScore | None:
        return next((score for score in self.languages if score.language == code), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> Evaluation:
        return cls(
            fields["fingerprint"],
            LanguageScore(**fields["overall"]),
            tuple(LanguageScore(**score) for score in fields["languages"]),
            tuple(fields["emergency_languages"]),
        )

    @classmethod
    def of_report(cls, data_fingerprint: str, data: TrainingData, report: EvaluationReport) -> Evaluation:
        held_out = Counter(
            example.language for example in split_examples(data.examples).test if example.intent == EMERGENCY_INTENT
        )
        missed = Counter(
            mistake.language for mistake in report.mistakes if mistake.expected == EMERGENCY_INTENT
        )

        def recall(language: str | None) -> float | None:
            total = sum(held_out.values()) if language is None else held_out[language]
            wrong = sum(missed.values()) if language is None else missed[language]
            return (total - wrong) / total if total else None

        return cls(
            data_fingerprint,
            LanguageScore(
                "all",
                report.overall.examples,
                report.overall.accuracy,
                report.overall.macro_f1,
                sum(held_out.values()),
                recall(None),
            ),
            tuple(
                LanguageScore(
                    score.name, score.examples, score.accuracy, score.macro_f1, held_out[score.name], recall(score.name)
                )
                for score in report.by_language
            ),
            tuple(sorted({str(e.language) for e in data.examples if e.intent == EMERGENCY_INTENT and e.language})),
        )


@dataclass(frozen=True)
class LostEmergency:
    """An emergency example the new model does not answer as an emergency."""

    language: str
    text: str
    answered: str


@dataclass(frozen=True)
class LanguageRow:
    language: str
    old: LanguageScore | None
    new: LanguageScore | None


@dataclass(frozen=True)
class Comparison:
    old: Evaluation
    new: Evaluation
    lost: tuple[LostEmergency, ...]
    problems: tuple[str, ...]
    """Why the new model must not go live (German, for the staff); empty when it may."""

    @property
    def publishable(self) -> bool:
        return not self.problems

    def rows(self) -> list[LanguageRow]:
        """Old and new scores side by side, per language and overall."""
        codes = sorted({score.language for score in (*self.old.languages, *self.new.languages)})
        rows = [LanguageRow(code, self.old.language(code), self.new.language(code)) for code in codes]
        return [*rows, LanguageRow("all", self.old.overall, self.new.overall)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "lost": [asdict(lost) for lost in self.lost],
            "problems": list(self.problems),
        }

    @classmethod
    def from_dict(cls, fields: dict[str, Any]) -> Comparison:
        return cls(
            Evaluation.from_dict(fields["old"]),
            Evaluation.from_dict(fields["new"]),
            tuple(LostEmergency(**lost) for lost in fields["lost"]),
            tuple(fields["problems"]),
        )


def evaluation_of(data_dir: Path, model_dir: Path) -> Evaluation:
    """The held-out evaluation of ``data_dir``'s training data, from the cache when it was made before."""
    data_fingerprint = fingerprint(data_dir)
    cache = model_dir / EVALUATIONS / f"{data_fingerprint}.json"
    if cache.is_file():
        try:
            return Evaluation.from_dict(json.loads(cache.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            cache.unlink(missing_ok=True)
    data = load_training_data(data_dir)
    evaluation = Evaluation.of_report(data_fingerprint, data, evaluate(data, data_dir))
    cache.parent.mkdir(parents=True, exist_ok=True)
    temporary = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(evaluation.to_dict()), encoding="utf-8")
    os.replace(temporary, cache)
    for stale in sorted(cache.parent.glob("*.json"), key=lambda path: path.stat().st_mtime)[:-_KEPT_EVALUATIONS]:
        stale.unlink(missing_ok=True)
    return evaluation


def compare(
    live_dir: Path, candidate_dir: Path, model_dir: Path, candidate_model: Path, progress: Progress
) -> Comparison:
    """Evaluate both data sets, train the new model into ``candidate_model`` and judge it (see the module)."""
    progress("Bisherige Trainingsdaten bewerten", 0.0)
    old = evaluation_of(live_dir, model_dir)
    progress("Neue Trainingsdaten bewerten", 0.3)
    new = evaluation_of(candidate_dir, model_dir)
    progress("Neues Modell trainieren", 0.6)
    new_engine = train_model(candidate_dir)
    save_model(new_engine, candidate_model)
    progress("Notfälle prüfen", 0.9)
    old_engine = ensure_model(live_dir, model_dir).engine
    lost = lost_emergencies(load_training_data(live_dir), load_training_data(candidate_dir), old_engine, new_engine)
    return Comparison(old, new, lost, tuple(_problems(old, new, lost)))


def lost_emergencies(
    old_data: TrainingData, new_data: TrainingData, old_engine: NluEngine, new_engine: NluEngine
) -> tuple[LostEmergency, ...]:
    """Emergency examples that the old model recognised, or that the draft adds, which the new model misses."""
    old_examples = {(e.language, e.text) for e in old_data.examples if e.intent == EMERGENCY_INTENT}
    new_examples = {(e.language, e.text) for e in new_data.examples if e.intent == EMERGENCY_INTENT}
    lost = []
    for language, text in sorted(old_examples | new_examples, key=str):
        answered = new_engine.parse(text).intent.name
        if answered == EMERGENCY_INTENT:
            continue
        added = (language, text) not in old_examples
        if added or old_engine.parse(text).intent.name == EMERGENCY_INTENT:
            lost.append(LostEmergency(str(language), text, answered))
    return tuple(lost)


def _problems(old: Evaluation, new: Evaluation, lost: tuple[LostEmergency, ...]) -> list[str]:
    problems = []
    if _lower(new.overall.emergency_recall, old.overall.emergency_recall):
        problems.append(
            f"Die Notfall-Erkennung auf den zurückgehaltenen Beispielen sinkt von "
            f"{_percent(old.overall.emergency_recall)} auf {_percent(new.overall.emergency_recall)}."
        )
    for old_score in old.languages:
        new_score = new.language(old_score.language)
        if new_score is not None and _lower(new_score.emergency_recall, old_score.emergency_recall):
            problems.append(
                f"Sprache {old_score.language}: Die Notfall-Erkennung sinkt von "
                f"{_percent(old_score.emergency_recall)} auf {_percent(new_score.emergency_recall)}."
            )
    for language in sorted(set(old.emergency_languages) - set(new.emergency_languages)):
        problems.append(f"Sprache {language}: Es gäbe keine Notfall-Beispiele mehr.")
    if lost:
        problems.append(
            f"{len(lost)} Notfall-Beispiele würden nicht mehr als Notfall erkannt (Liste unten)."
            if len(lost) > 1
            else "Ein Notfall-Beispiel würde nicht mehr als Notfall erkannt (unten)."
        )
    return problems


def _lower(new: float | None, old: float | None) -> bool:
    return old is not None and (new is None or new < old)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}".replace(".", ",")


def _end_with_parent() -> None:
    """Exit when the worker that started this process is gone (its child would otherwise train on for nobody)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(_PARENT_CHECK_SECONDS)
            if os.getppid() != parent:
                os._exit(3)

    threading.Thread(target=watch, daemon=True).start()


def main(arguments: list[str]) -> int:
    live_dir, candidate_dir, model_dir, candidate_model = (Path(argument) for argument in arguments)
    _end_with_parent()

    def progress(step: str, done: float) -> None:
        print(json.dumps({"step": step, "done": done}, ensure_ascii=False), flush=True)

    comparison = compare(live_dir, candidate_dir, model_dir, candidate_model, progress)
    print(json.dumps({"comparison": comparison.to_dict()}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
