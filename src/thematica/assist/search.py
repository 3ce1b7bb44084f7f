"""Passages like this one: cosine nearest neighbours over unit-length vectors."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["nearest"]


def nearest(
    query: NDArray[np.float32], vectors: NDArray[np.float32], k: int
) -> list[tuple[int, float]]:
    """The ``k`` rows of ``vectors`` most like ``query``, best first, as ``(row, cosine)``;
    ties go to the earlier row, so results are the same run to run.

    >>> v = np.array([[1, 0], [0, 1], [0.6, 0.8]], dtype=np.float32)
    >>> [(i, round(s, 2)) for i, s in nearest(np.array([1, 0], dtype=np.float32), v, 2)]
    [(0, 1.0), (2, 0.6)]
    """
    if k < 1 or vectors.shape[0] == 0:
        return []
    scores = vectors @ query
    order = np.lexsort((np.arange(scores.size), -scores))[:k]
    return [(int(i), float(scores[i])) for i in order]
