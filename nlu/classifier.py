"""A linear SVM on the sparse features with calibrated probabilities.

It classifies intents, emergencies (two classes) and languages. A linear SVM separates the intents better
than logistic regression on a few thousand short examples and trains in seconds. Its margins become
probabilities the fallback threshold can be compared with by a multinomial logistic regression on the margins
of all classes, fitted on decision values of held-out folds ("stacking"): unlike one sigmoid per class, it
learns which intents the SVM confuses, and its probabilities match how often the answer is right. Prediction
is a sparse-dense product, a small dense product and a softmax in plain numpy arrays: scikit-learn's per-call
checks would cost milliseconds per message, and only training needs scikit-learn at all, so a serving process
never imports it (70 MB). The fits of the folds and of the final model run in parallel processes: in threads
they would share liblinear's one random generator and no longer give the same model twice.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, slots=True)
class ClassifierSettings:
    c: float = 1.0
    balanced: bool = True
    calibration_folds: int = 2
    """Two folds train on halves: a third of the training time of three, and no worse held-out (measured)."""
    calibration_c: float = 1.0
    """Regularisation of the calibrating logistic regression on the held-out margins."""
    tolerance: float = 1e-4
    """liblinear's stopping criterion."""
    seed: int = 0
    processes: int = min(4, len(os.sched_getaffinity(0)))
    """Fits run at once; more than the folds and the final model would wait anyway."""


@dataclass(frozen=True, slots=True)
class _Weights:
    coef: np.ndarray  # features x margins; one margin per class, a single one with two classes
    intercept: np.ndarray
    calibration: np.ndarray  # margins x outputs; a single output with two classes
    calibration_intercept: np.ndarray


class CalibratedSvm:
    def __init__(self, settings: ClassifierSettings | None = None) -> None:
        self.settings = settings or ClassifierSettings()
        self._classes: tuple[str, ...] = ()
        self._weights: _Weights | None = None

    def fit(self, features: sp.csr_matrix, labels: Sequence[str]) -> CalibratedSvm:
        # Imported here, for training only (see the module's docstring).
        from joblib import Parallel, delayed
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
        from sklearn.svm import LinearSVC

        def svm() -> LinearSVC:
            return LinearSVC(
                C=self.settings.c,
                class_weight="balanced" if self.settings.balanced else None,
                tol=self.settings.tolerance,
                random_state=self.settings.seed,
            )

        targets = np.asarray(labels)
        classes, counts = np.unique(targets, return_counts=True)
        fold_count = min(self.settings.calibration_folds, int(counts.min()))
        if len(classes) < 2 or fold_count < 2:
            raise ValueError("training needs two classes with at least two examples each")
        split = StratifiedKFold(fold_count, shuffle=True, random_state=self.settings.seed)
        folds = list(split.split(features, targets))
        fitted, *fold_models = Parallel(n_jobs=self.settings.processes)(
            delayed(svm().fit)(features[rows], targets[rows]) for rows in (slice(None), *(t for t, _ in folds))
        )
        held_out = np.zeros((len(targets), 1 if len(classes) == 2 else len(classes)))
        for model, (_, test) in zip(fold_models, folds, strict=True):
            held_out[test] = model.decision_function(features[test]).reshape(len(test), -1)
        calibrator = LogisticRegression(C=self.settings.calibration_c, max_iter=1000).fit(held_out, targets)
        self._classes = tuple(str(label) for label in fitted.classes_)
        self._weights = _Weights(
            coef=np.ascontiguousarray(fitted.coef_.T, dtype=np.float32),
            intercept=fitted.intercept_.astype(np.float32),
            calibration=np.ascontiguousarray(calibrator.coef_.T),
            calibration_intercept=calibrator.intercept_,
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
        margins = np.asarray(features @ weights.coef) + weights.intercept
        logits = margins @ weights.calibration + weights.calibration_intercept
        if len(self._classes) == 2:
            # The logistic function, written with tanh so that large logits cannot overflow.
            positive = 0.5 * (1.0 + np.tanh(0.5 * logits))
            return np.hstack([1.0 - positive, positive])
        exponentials = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exponentials / exponentials.sum(axis=1, keepdims=True)

    def predict(self, features: sp.csr_matrix) -> list[str]:
        return [self._classes[index] for index in self.probabilities(features).argmax(axis=1)]
