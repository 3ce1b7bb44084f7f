"""Classifiers that learn a team's labels: logistic regression on embeddings (the assisted
model), and on TF-IDF words (the baseline every evaluation prints beside it).

scikit-learn comes with the ``assist`` extra; it is imported inside functions so that
``thematica --help`` stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thematica.errors import NotFoundError

__all__ = ["LabelClassifier", "combined_features", "tfidf_features"]


def _sklearn() -> Any:
    try:
        import sklearn.linear_model
    except ImportError:  # pragma: no cover - depends on the installed extra
        raise NotFoundError(
            "learning from labels needs scikit-learn: pip install 'thematica[assist]'"
        ) from None
    return sklearn.linear_model


def tfidf_features(
    train: Sequence[str], others: Sequence[Sequence[str]] = (), *, characters: bool = False
) -> tuple[Any, list[Any]]:
    """Sparse TF-IDF rows (words and word pairs, sublinear tf) fitted on ``train`` only, and
    the same transform of each of ``others``; with ``characters``, character 2-5-grams within
    words beside them (they catch misspellings and word endings in free-text comments)."""
    _sklearn()
    import scipy.sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    small = len(train) < 4  # min_df=2 leaves nothing of a very small table
    vectorisers = [TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1 if small else 2)]
    if characters:
        vectorisers.append(
            TfidfVectorizer(
                sublinear_tf=True,
                analyzer="char_wb",
                ngram_range=(2, 5),
                min_df=1 if small else 2,
                max_features=50000,
            )
        )
    fitted = [v.fit_transform(list(train)) for v in vectorisers]
    transformed = [[v.transform(list(texts)) for v in vectorisers] for texts in others]
    if len(vectorisers) == 1:
        return fitted[0], [parts[0] for parts in transformed]
    return (
        scipy.sparse.hstack(fitted).tocsr(),
        [scipy.sparse.hstack(parts).tocsr() for parts in transformed],
    )


def combined_features(vectors: NDArray[np.float32], words: Any) -> Any:
    """Embeddings beside TF-IDF features, one sparse row per unit: meaning and wording together.

    On the patient-feedback benchmark this beat either alone (see bench/RESULTS.md): the model
    knows that "rude" and "unkind" are close, the words keep the exact terms a code turns on.
    """
    import scipy.sparse

    return scipy.sparse.hstack([scipy.sparse.csr_matrix(vectors), words]).tocsr()


@dataclass
class LabelClassifier:
    """Logistic regression per label, or one multinomial model when every unit has one label.

    ``balanced`` weighs classes inversely to their frequency, so a rare code is not drowned by
    the common ones (macro-F1 rewards every code alike).
    """

    c: float = 1.0
    balanced: bool = True
    single_label: bool = False
    n_labels: int = 0
    _models: list[Any] = field(default_factory=list, repr=False)

    def fit(self, features: Any, truth: NDArray[np.bool_]) -> LabelClassifier:
        linear = _sklearn()
        self.n_labels = truth.shape[1]
        self.single_label = bool(np.all(truth.sum(axis=1) == 1))
        weight = "balanced" if self.balanced else None
        self._models = []
        if self.single_label:
            model = linear.LogisticRegression(C=self.c, class_weight=weight, max_iter=2000)
            self._models.append(model.fit(features, truth.argmax(axis=1)))
            return self
        for j in range(self.n_labels):
            column = truth[:, j]
            if column.all() or not column.any():  # one value only: nothing to learn
                self._models.append(bool(column.any()))
                continue
            model = linear.LogisticRegression(C=self.c, class_weight=weight, max_iter=2000)
            self._models.append(model.fit(features, column))
        return self

    def scores(self, features: Any) -> NDArray[np.float64]:
        """Per unit and label, the model's probability that the label applies."""
        n = features.shape[0]
        out = np.zeros((n, self.n_labels), dtype=np.float64)
        if self.single_label:
            model = self._models[0]
            out[:, model.classes_] = model.predict_proba(features)
            return out
        for j, model in enumerate(self._models):
            out[:, j] = (
                float(model) if isinstance(model, bool) else model.predict_proba(features)[:, 1]
            )
        return out

    def predict(self, features: Any) -> NDArray[np.bool_]:
        """Yes/no per unit and label: the likeliest label, or each label above one half."""
        scores = self.scores(features)
        if self.single_label:
            out = np.zeros(scores.shape, dtype=bool)
            out[np.arange(scores.shape[0]), scores.argmax(axis=1)] = True
            return out
        return scores >= 0.5
