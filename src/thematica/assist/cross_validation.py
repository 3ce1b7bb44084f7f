"""Cross-validated suggestions against one human coder: per-code figures with every unit judged
once, out of fold, and a learning curve by the number of examples per code.

The units' labels are the codes the coder applied to them. Folds are stratified by each unit's
first code (``assist.splits.folds``). The model (logistic regression on embeddings and TF-IDF
words) and the baseline (TF-IDF + logistic regression) see the same folds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thematica.assist.classifiers import combined_features, tfidf_features
from thematica.assist.metrics import Scores, score_labels
from thematica.assist.splits import folds as make_folds
from thematica.errors import InvalidInputError

__all__ = ["CrossValidation", "CurvePoint", "cross_validate"]

#: Examples per code on the learning curve.
CURVE = (5, 10, 20, 50)


@dataclass(frozen=True)
class CurvePoint:
    """Macro-F1 and mean kappa with at most ``examples`` positive units per code in training."""

    examples: int
    model_macro_f1: float
    model_mean_kappa: float
    baseline_macro_f1: float
    baseline_mean_kappa: float


@dataclass(frozen=True)
class CrossValidation:
    scores: Scores
    baseline: Scores
    curve: tuple[CurvePoint, ...]
    folds: int
    units: int


def _fit_predict(
    train: object, truth: NDArray[np.bool_], test: object, cap: int | None, seed: int
) -> NDArray[np.bool_]:
    """Per code: logistic regression on ``train``, at most ``cap`` positives, all negatives."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    n_test = test.shape[0]  # type: ignore[attr-defined]
    out = np.zeros((n_test, truth.shape[1]), dtype=bool)
    for j in range(truth.shape[1]):
        positive = np.flatnonzero(truth[:, j])
        negative = np.flatnonzero(~truth[:, j])
        if cap is not None and positive.size > cap:
            positive = np.sort(rng.choice(positive, cap, replace=False))
        if positive.size == 0 or negative.size == 0:
            out[:, j] = positive.size > 0
            continue
        rows = np.concatenate([positive, negative])
        model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        model.fit(train[rows], truth[rows, j])  # type: ignore[index]
        out[:, j] = model.predict(test).astype(bool)
    return out


def cross_validate(
    texts: Sequence[str],
    vectors: NDArray[np.float32],
    truth: NDArray[np.bool_],
    labels: Sequence[str],
    *,
    k: int = 5,
    curve: Sequence[int] = CURVE,
    seed: str = "thematica",
) -> CrossValidation:
    """Out-of-fold predictions for every unit, scored per code; and the learning curve."""
    n = len(texts)
    if n < k:
        raise InvalidInputError(f"only {n} units: too few for {k} folds")
    if not truth.any():
        raise InvalidInputError("the coder applied none of the codes to these units")
    first = [labels[int(np.argmax(row))] if row.any() else "" for row in truth]
    assigned = np.array(make_folds(first, k, seed=seed))
    runs: dict[int | None, tuple[NDArray[np.bool_], NDArray[np.bool_]]] = {}
    for cap in (None, *curve):
        model_out = np.zeros_like(truth)
        base_out = np.zeros_like(truth)
        for fold in range(k):
            test = np.flatnonzero(assigned == fold)
            train = np.flatnonzero(assigned != fold)
            train_texts = [texts[int(i)] for i in train]
            test_texts = [texts[int(i)] for i in test]
            words_train, (words_test,) = tfidf_features(train_texts, [test_texts])
            grams_train, (grams_test,) = tfidf_features(train_texts, [test_texts], characters=True)
            model_out[test] = _fit_predict(
                combined_features(vectors[train], grams_train),
                truth[train],
                combined_features(vectors[test], grams_test),
                cap,
                fold,
            )
            base_out[test] = _fit_predict(words_train, truth[train], words_test, cap, fold)
        runs[cap] = (model_out, base_out)
    full_model, full_base = runs[None]
    points = []
    for cap in curve:
        model_scores = score_labels(truth, runs[cap][0], labels)
        base_scores = score_labels(truth, runs[cap][1], labels)
        points.append(
            CurvePoint(
                cap,
                model_scores.macro_f1,
                model_scores.mean_kappa,
                base_scores.macro_f1,
                base_scores.mean_kappa,
            )
        )
    return CrossValidation(
        score_labels(truth, full_model, labels),
        score_labels(truth, full_base, labels),
        tuple(points),
        k,
        n,
    )
