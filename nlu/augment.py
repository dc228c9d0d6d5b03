"""Training variants of the examples as people write them: a greeting in front of the question.

"سلام، کلاس زبان کجاست؟" is a question about language courses, but a model that has only seen greetings on
their own weighs "سلام" as strongly as the question and ends up undecided. Prefixing a share of the examples
with a greeting of the same language, taken from the data itself, teaches it that a greeting changes nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from nlu.training_data import Annotation, Example

GREETING_INTENT = "greet"
# Intents that are themselves small talk: a greeting in front would change what they are.
SOCIAL_INTENTS = frozenset({GREETING_INTENT, "goodbye", "thank_you"})
_SEPARATOR = ", "


def with_greetings(examples: Sequence[Example], share: float, seed: int = 0) -> list[Example]:
    """Greeting-prefixed copies of about ``share`` of the examples that are not small talk."""
    greetings: dict[str | None, list[str]] = defaultdict(list)
    for example in examples:
        if example.intent == GREETING_INTENT and not example.entities:
            greetings[example.language].append(example.text)
    generator = random.Random(seed)
    variants: list[Example] = []
    for example in examples:
        if example.intent in SOCIAL_INTENTS or not greetings[example.language] or generator.random() >= share:
            continue
        prefix = generator.choice(greetings[example.language]) + _SEPARATOR
        shift = len(prefix)
        variants.append(
            replace(
                example,
                text=prefix + example.text,
                entities=tuple(Annotation(a.entity, a.value, a.start + shift, a.end + shift) for a in example.entities),
            )
        )
    return variants
