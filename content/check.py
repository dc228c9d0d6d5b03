"""``wegweiser content check``: everything staff should know about the content.

Errors make the store unusable (the bot refuses to start with them); warnings
name what staff still have to fill in or review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from content.store import SOURCE_LANGUAGE, Inspection, Problem, inspect_content, iter_empty_contacts


def check_content(directory: Path, intents: Iterable[str]) -> list[Problem]:
    """All problems of the content store in ``directory``, for a dialogue that knows ``intents``."""
    inspection = inspect_content(directory)
    if inspection.content is None:
        return inspection.problems
    return sorted([*inspection.problems, *_answer_problems(inspection, set(intents)), *_warnings(inspection)])


def _answer_problems(inspection: Inspection, intents: set[str]) -> list[Problem]:
    content = inspection.content
    assert content is not None
    answers = content.source.answers
    answers_file = next(
        (content.location(key)[0] for key in content.texts if key.startswith("answers.")), str(content.directory)
    )
    problems = [
        Problem(answers_file, 1, f"intent {intent!r} has no answer") for intent in sorted(intents - set(answers))
    ]
    for intent in sorted(set(answers) - intents):
        file, line = content.location(f"answers.{intent}.title")
        problems.append(Problem(file, line, f"answer {intent!r} belongs to no known intent", "warning"))
    return problems


def _warnings(inspection: Inspection) -> list[Problem]:
    content = inspection.content
    assert content is not None
    warnings: list[Problem] = []
    for path in iter_empty_contacts(content.source):
        file, line = content.location(".".join(path[:2]) + ".name")
        field = ".".join(path)
        warnings.append(Problem(file, line, f"{field} is empty: the bot offers a counsellor instead", "warning"))
    for language in content.source.core_languages:
        if language == SOURCE_LANGUAGE:
            continue
        awaiting: Counter[str] = Counter()
        for key in content.texts:
            translation = content.translation(language, key)
            if translation is None:
                file, line = inspection.translation_lines.get((language, key), content.location(key))
                warnings.append(Problem(file, line, f"missing {language} translation of {key}", "warning"))
            elif translation.status != "confirmed":
                awaiting[translation.status] += 1
        for status, count in awaiting.items():
            file = f"{content.directory / 'translations' / language}.yml"
            what = "machine drafts" if status == "draft" else "translations"
            warnings.append(Problem(file, 1, f"{count} {language} {what} awaiting staff review", "warning"))
    return warnings
