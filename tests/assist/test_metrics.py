"""Per-label figures agree with scikit-learn's, and undefined ones say so."""

from __future__ import annotations

import math

import numpy as np
import pytest

from thematica.assist.metrics import score_labels
from thematica.errors import InvalidInputError


def test_figures_match_scikit_learn() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(7)
    truth = rng.random((200, 3)) < [0.5, 0.2, 0.05]
    predicted = truth ^ (rng.random((200, 3)) < 0.2)
    scores = score_labels(truth, predicted, ["a", "b", "c"])
    for j, s in enumerate(scores.labels):
        t, p = truth[:, j], predicted[:, j]
        assert s.precision == pytest.approx(metrics.precision_score(t, p, zero_division=0))
        assert s.recall == pytest.approx(metrics.recall_score(t, p, zero_division=0))
        assert s.f1 == pytest.approx(metrics.f1_score(t, p, zero_division=0))
        assert s.kappa == pytest.approx(metrics.cohen_kappa_score(t, p))
        assert s.support == int(t.sum())
    expected = metrics.f1_score(truth, predicted, average="macro", zero_division=0)
    assert scores.macro_f1 == pytest.approx(expected)


def test_a_label_never_given_nor_suggested_has_no_kappa_and_f1_zero() -> None:
    truth = np.array([[True, False], [False, False]])
    scores = score_labels(truth, truth.copy(), ["seen", "never"])
    never = scores.labels[1]
    assert never.f1 == 0.0 and math.isnan(never.kappa)
    assert scores.as_dict()["labels"][1]["kappa"] is None  # type: ignore[index]


def test_shapes_must_agree() -> None:
    with pytest.raises(InvalidInputError, match="differ in shape"):
        score_labels(np.zeros((2, 2), bool), np.zeros((3, 2), bool), ["a", "b"])
