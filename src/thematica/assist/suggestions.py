"""Deductive suggestions for one code: which passages it may fit, how sure, and why.

Until a code has enough examples, passages are scored zero-shot against what the codebook says
of it (name, definition, inclusion criteria, example) and any passages already coded with it.
Once it has ``min_examples`` positive and negative examples (passages coded with it; passages
coded otherwise and suggestions people rejected), a calibrated classifier (logistic regression
on the embeddings, Platt-scaled by cross-validation) scores them, and the passages it is least
sure of come first: a person's answer there teaches the next round the most (active learning).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thematica.assist.search import nearest
from thematica.domain.suggestions import Method

__all__ = ["Scored", "score_code"]


@dataclass(frozen=True)
class Scored:
    """One candidate passage for the code: its score, how it was scored, and its evidence (the
    nearest passages already coded with the code, as indices with their similarity)."""

    passage: int
    score: float
    method: Method
    evidence: tuple[tuple[int, float], ...]


def _classifier_scores(
    vectors: NDArray[np.float32],
    positives: Sequence[int],
    negatives: Sequence[int],
    candidates: Sequence[int],
) -> NDArray[np.float64]:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    features = vectors[[*positives, *negatives]]
    truth = np.array([1] * len(positives) + [0] * len(negatives))
    folds = min(3, len(positives), len(negatives))
    model = CalibratedClassifierCV(
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000),
        method="sigmoid",
        cv=folds,
    )
    model.fit(features, truth)
    probabilities: NDArray[np.float64] = model.predict_proba(vectors[list(candidates)])[:, 1]
    return probabilities


def score_code(
    vectors: NDArray[np.float32],
    description: NDArray[np.float32],
    positives: Sequence[int],
    negatives: Sequence[int],
    candidates: Sequence[int],
    *,
    limit: int = 10,
    min_examples: int = 5,
    n_evidence: int = 2,
) -> list[Scored]:
    """The ``limit`` candidates to ask about first, for one code.

    ``vectors`` are the passages' unit-length embeddings; ``description`` the embedding of what
    the codebook says of the code; ``positives`` and ``negatives`` index passages known to have
    or not have it; ``candidates``, the passages a suggestion may be made for.
    """
    if not candidates or limit < 1:
        return []
    pool = list(candidates)
    if len(positives) >= min_examples and len(negatives) >= min_examples:
        method = Method.CLASSIFIER
        scores = _classifier_scores(vectors, positives, negatives, pool)
        # Most informative first: the probability nearest one half; ties to the likelier.
        order = np.lexsort((-scores, np.abs(scores - 0.5)))
    else:
        method = Method.ZERO_SHOT
        prototype = description.astype(np.float64)
        if len(positives):
            prototype = prototype + vectors[list(positives)].sum(axis=0)
        norm = np.linalg.norm(prototype)
        prototype = prototype / norm if norm else prototype
        scores = (vectors[pool] @ prototype).astype(np.float64)
        order = np.lexsort((np.arange(len(pool)), -scores))
    coded = vectors[list(positives)] if len(positives) else vectors[:0]
    out: list[Scored] = []
    for k in order[:limit]:
        passage = pool[int(k)]
        evidence = tuple(
            (list(positives)[i], s) for i, s in nearest(vectors[passage], coded, n_evidence)
        )
        out.append(Scored(passage, float(scores[int(k)]), method, evidence))
    return out
