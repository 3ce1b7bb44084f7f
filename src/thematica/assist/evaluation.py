"""How good the suggestions are, in the statistics a team already trusts: the assisted model
(logistic regression on embeddings) and a TF-IDF + logistic-regression baseline, trained and
judged on the same units in the same run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thematica.assist.classifiers import LabelClassifier, combined_features, tfidf_features
from thematica.assist.metrics import Scores, score_labels
from thematica.errors import InvalidInputError

__all__ = ["BASELINE_ID", "Embed", "Evaluation", "evaluate_split", "label_matrix"]

#: The name the baseline goes by in reports.
BASELINE_ID = "tfidf-logistic-regression"

#: Texts to unit-length vectors (an embedder's ``encode``, possibly through the cache).
Embed = Callable[[Sequence[str]], NDArray[np.float32]]


@dataclass(frozen=True)
class Evaluation:
    """The assisted model's figures and the baseline's, on the same test units."""

    model_id: str
    scores: Scores
    baseline: Scores
    n_train: int
    n_test: int

    def as_dict(self) -> dict[str, object]:
        return {
            "model": self.model_id,
            "classifier": "logistic regression on embeddings, TF-IDF words and character n-grams",
            **self.scores.as_dict(),
            "train_units": self.n_train,
            "test_units": self.n_test,
            "baseline": {"model": BASELINE_ID, **self.baseline.as_dict()},
        }


def label_matrix(labels: Sequence[frozenset[str]], names: Sequence[str]) -> NDArray[np.bool_]:
    """``(n_units, n_labels)`` yes/no from each unit's set of labels."""
    column = {name: j for j, name in enumerate(names)}
    out = np.zeros((len(labels), len(names)), dtype=bool)
    for i, chosen in enumerate(labels):
        for label in chosen:
            out[i, column[label]] = True
    return out


def evaluate_split(
    train_texts: Sequence[str],
    train_labels: Sequence[frozenset[str]],
    test_texts: Sequence[str],
    test_labels: Sequence[frozenset[str]],
    *,
    embed: Embed,
    model_id: str,
    c: float = 4.0,
) -> Evaluation:
    """Train on one table, judge on the other: per-label figures for the model and baseline.

    The model is logistic regression on the embeddings beside TF-IDF words and character
    n-grams (:func:`~thematica.assist.classifiers.combined_features`); the baseline, logistic
    regression on the TF-IDF words alone.
    """
    names = sorted(set().union(*train_labels, *test_labels))
    if not names:
        raise InvalidInputError("no unit carries a label, so there is nothing to learn or judge")
    train_truth = label_matrix(train_labels, names)
    test_truth = label_matrix(test_labels, names)
    if not train_truth.any(axis=0).any():
        raise InvalidInputError("no training unit carries a label")
    vectors = embed([*train_texts, *test_texts])
    n = len(train_texts)
    grams_train, (grams_test,) = tfidf_features(train_texts, [test_texts], characters=True)
    model = LabelClassifier(c=c).fit(combined_features(vectors[:n], grams_train), train_truth)
    predicted = model.predict(combined_features(vectors[n:], grams_test))
    scores = score_labels(test_truth, predicted, names)
    words_train, (words_test,) = tfidf_features(train_texts, [test_texts])
    baseline = LabelClassifier(c=10.0).fit(words_train, train_truth)
    baseline_scores = score_labels(test_truth, baseline.predict(words_test), names)
    return Evaluation(model_id, scores, baseline_scores, n, len(test_texts))
