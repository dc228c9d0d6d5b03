"""The feature matrix and the calibrated classifier the intents, emergencies and languages share."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from nlu.classifier import CalibratedSvm
from nlu.features import FeatureSettings, Featurizer, ngram_keys

TEXTS = ["wo ist das buero", "hallo hallo", "", "wann ist offen", "hallo wie geht es dir", "?", "wo ist offen"]


@pytest.mark.parametrize("settings", [FeatureSettings(), FeatureSettings(prefix_length=0)])
def test_training_texts_get_the_features_they_get_when_parsed_later(settings: FeatureSettings) -> None:
    featurizer = Featurizer(settings)
    trained = featurizer.fit_transform(TEXTS)
    parsed = featurizer.transform(TEXTS)
    assert trained.shape == parsed.shape
    assert np.allclose(trained.toarray(), parsed.toarray())


def test_each_text_has_unit_length_per_block_scaled_by_its_weight() -> None:
    featurizer = Featurizer(FeatureSettings(word_weight=0.5, prefix_length=4, prefix_weight=0.25))
    row = featurizer.fit_transform(["hallo welt"]).toarray()[0]
    assert np.isclose(np.dot(row, row), 0.5**2 + 1.0 + 0.25**2)


def test_unknown_ngrams_give_no_features() -> None:
    featurizer = Featurizer()
    featurizer.fit_transform(TEXTS)
    assert featurizer.transform(["ꙮꙮꙮ"]).nnz == 0


LABELS = ["where", "greet", "where", "when", "greet", "greet", "when"]


@pytest.mark.parametrize("labels", [LABELS, ["a" if label == "greet" else "b" for label in LABELS]])
def test_probabilities_are_one_per_class_and_sum_to_one(labels: list[str]) -> None:
    featurizer = Featurizer()
    model = CalibratedSvm().fit(featurizer.fit_transform(TEXTS * 3), labels * 3)
    probabilities = model.probabilities(featurizer.transform(["wo ist das", "hallo"]))
    assert probabilities.shape == (2, len(set(labels)))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert model.classes == tuple(sorted(set(labels)))


def test_ngram_keys_are_the_same_in_every_process() -> None:
    # Fixed numbers: a model trained in one process is read by others, whose string hashes are salted anew.
    assert ngram_keys(["wo ist", "بيبرا"]).tolist() == [633244785642046039, 6706257508275717996]


def test_a_featurizer_keeps_no_strings_of_its_ngrams_but_the_words() -> None:
    featurizer = Featurizer()
    featurizer.fit_transform(TEXTS)
    kept = pickle.dumps(featurizer)
    assert b"buero" in kept
    assert b"bue" not in kept.replace(b"buero", b"")
