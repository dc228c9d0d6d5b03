"""Unanswered messages that ask much the same thing, grouped so that staff can handle them together.

Within each language, messages are compared by the character n-grams (2 to 4, inside words) of their
normalised text (:func:`nlu.normalise.normalise`: letter variants, case, diacritics), weighted by TF-IDF. Newest
first, a message joins the group whose members it resembles most on average, if that average cosine
similarity reaches :data:`SIMILARITY`; otherwise it starts a group of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.unanswered import UnansweredMessage
from nlu.normalise import normalise

SIMILARITY = 0.45


@dataclass(frozen=True)
class QuestionGroup:
    language: str
    messages: tuple[UnansweredMessage, ...]
    """Newest first."""
    representative: UnansweredMessage
    """The member most like the others."""

    @property
    def newest(self) -> float:
        return self.messages[0].at

    @property
    def ids(self) -> list[str]:
        return [message.id for message in self.messages]


def group_questions(messages: Sequence[UnansweredMessage], similarity: float = SIMILARITY) -> list[QuestionGroup]:
    """Groups by language (alphabetical), within a language the largest first, then the most recent."""
    by_language: dict[str, list[UnansweredMessage]] = defaultdict(list)
    for message in sorted(messages, key=lambda message: message.at, reverse=True):
        by_language[message.language].append(message)
    groups: list[QuestionGroup] = []
    for language in sorted(by_language):
        found = _groups_of(language, by_language[language], similarity)
        groups += sorted(found, key=lambda group: (-len(group.messages), -group.newest))
    return groups


def _groups_of(language: str, messages: list[UnansweredMessage], similarity: float) -> list[QuestionGroup]:
    texts = [normalise(message.text).text for message in messages]
    try:
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(texts)
    except ValueError:
        # Nothing to compare (no characters left after normalising): each message stands alone.
        return [QuestionGroup(language, (message,), message) for message in messages]
    similarities = (vectors @ vectors.T).toarray()
    labels = np.full(len(messages), -1)
    sizes: list[int] = []
    for position in range(len(messages)):
        if sizes:
            earlier = similarities[position, :position]
            means = np.bincount(labels[:position], weights=earlier, minlength=len(sizes)) / np.array(sizes)
            best = int(np.argmax(means))
            if means[best] >= similarity:
                labels[position] = best
                sizes[best] += 1
                continue
        labels[position] = len(sizes)
        sizes.append(1)
    groups = []
    for label in range(len(sizes)):
        members = np.flatnonzero(labels == label)
        central = members[int(np.argmax(similarities[np.ix_(members, members)].sum(axis=1)))]
        groups.append(QuestionGroup(language, tuple(messages[i] for i in members), messages[central]))
    return groups
