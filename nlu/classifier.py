"""A linear SVM on the sparse features with Platt-calibrated probabilities.

It classifies intents, emergencies (two classes) and languages. A linear SVM separates the intents better
than logistic regression on a few thousand short examples and trains in seconds. Its margins become
confidences the fallback threshold can be compared with by Platt scaling: one sigmoid per class, fitted on
decision values of held-out folds. Prediction is a sparse-dense product and a sigmoid in plain numpy arrays:
scikit-learn's per-call checks would cost milliseconds per message, and only training needs scikit-learn at
all, so a serving process never imports it (70 MB).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_PLATT_C = 1e4  # nearly unregularised: two parameters per class, thousands of points


@dataclass(frozen=True, slots=True)
class ClassifierSettings:
    c: float = 1.0
    balanced: bool = True
    calibration_folds: int = 3
    seed: int = 0


@dataclass(frozen=True, slots=True)
class _Weights:
    coef: np.ndarray  # features x columns; one column per class, a single one with two classes
    intercept: np.ndarray
    slope: np.ndarray
    offset: np.ndarray


class CalibratedSvm:
    def __init__(self, settings: ClassifierSettings | None = None) -> None:
        self.settings = settings or ClassifierSettings()
        self._classes: tuple[str, ...] = ()
        self._weights: _Weights | None = None

    def fit(self, features: sp.csr_matrix, labels: Sequence[str]) -> CalibratedSvm:
        # Imported here, for training only (see the module's docstring).
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.svm import LinearSVC

        def svm() -> LinearSVC:
            return LinearSVC(
                C=self.settings.c,
                class_weight="balanced" if self.settings.balanced else None,
                random_state=self.settings.seed,
            )

        targets = np.asarray(labels)
        classes, counts = np.unique(targets, return_counts=True)
        folds = min(self.settings.calibration_folds, int(counts.min()))
        if len(classes) < 2 or folds < 2:
            raise ValueError("training needs two classes with at least two examples each")
        split = StratifiedKFold(folds, shuffle=True, random_state=self.settings.seed)
        held_out = cross_val_predict(svm(), features, targets, cv=split, method="decision_function")
        fitted = svm().fit(features, targets)
        held_out = held_out.reshape(len(targets), -1)
        positives = [classes[-1]] if len(classes) == 2 else list(classes)
        slope = np.empty(len(positives))
        offset = np.empty(len(positives))
        for column, positive in enumerate(positives):
            platt = LogisticRegression(C=_PLATT_C).fit(held_out[:, [column]], targets == positive)
            slope[column] = platt.coef_[0, 0]
            offset[column] = platt.intercept_[0]
        self._classes = tuple(str(label) for label in fitted.classes_)
        self._weights = _Weights(
            coef=np.ascontiguousarray(fitted.coef_.T, dtype=np.float32),
            intercept=fitted.intercept_.astype(np.float32),
            slope=slope,
            offset=offset,
        )
        return self

    @property
    def classes(self) -> tuple[str, ...]:
        return self._classes

    def probabilities(self, features: sp.csr_matrix) -> np.ndarray:
        """One row per text, one column per class in :attr:`classes`; each row sums to one."""
        if self._weights is None:
            raise RuntimeError("the classifier has not been trained")
        weights = self._weights
        decision = np.asarray(features @ weights.coef) + weights.intercept
        # The logistic function, written with tanh so that large margins cannot overflow.
        calibrated = 0.5 * (1.0 + np.tanh(0.5 * (decision * weights.slope + weights.offset)))
        if len(self._classes) == 2:
            return np.hstack([1.0 - calibrated, calibrated])
        total = calibrated.sum(axis=1, keepdims=True)
        return calibrated / np.where(total > 0, total, 1.0)

    def predict(self, features: sp.csr_matrix) -> list[str]:
        return [self._classes[index] for index in self.probabilities(features).argmax(axis=1)]
