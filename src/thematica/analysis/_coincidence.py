"""The machinery of Krippendorff's alpha: coincidences, distances, and the two disagreements.

With ``o_ck`` the coincidence matrix, ``n_c = Σ_k o_ck`` its marginals, ``n = Σ_c n_c`` the number
of pairable values and ``δ_ck`` the distance between categories at the chosen level,

    alpha = 1 - D_o / D_e = 1 - (n - 1) Σ_ck o_ck δ_ck / Σ_ck n_c n_k δ_ck.

Everything is vectorised over units. With few categories the coincidence matrix is built from the
units × categories count array by one matrix product,
``o = Σ_u (n_u n_uᵀ - diag(n_u)) / (m_u - 1)``; with many categories (continuous interval data)
that array would not fit, so the observed disagreement is summed over pairs of coders instead,
which never materialises anything larger than one row of the data.

The ordinal distance ``(Σ_{g=c..k} n_g - (n_c + n_k) / 2)²`` equals ``(t_k - t_c)²`` with
``t_c = Σ_{g<c} n_g + n_c / 2``, the interval distance on "mid-cumulative" positions; that is how
it is computed here, which also gives the expected disagreement in closed form.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from thematica.analysis._reliability import (
    ReliabilityData,
    category_totals,
    dense_counts_fit,
    ratings_per_unit,
    unit_value_counts,
)
from thematica.domain.vocab import LEVELS, Level

__all__ = ["LEVELS", "Level", "coincidence_matrix", "disagreements"]


#: Rows of the ratio-level distance matrix computed at once, to bound memory with many categories.
_BLOCK_ELEMENTS = 1 << 22

FloatArray: TypeAlias = NDArray[np.float64]


def pairable_weights(ratings: NDArray[np.int64]) -> FloatArray:
    """``1 / (m_u - 1)`` for units with two or more ratings, 0 for the others (not pairable)."""
    weights = np.zeros(ratings.shape)
    np.divide(1.0, ratings - 1.0, out=weights, where=ratings >= 2)
    return weights


def coincidence_matrix(data: ReliabilityData) -> FloatArray:
    """Krippendorff's coincidence matrix ``o_ck`` (n_categories × n_categories).

    ``o_ck = Σ_u Σ_{i≠j} [x_iu = c][x_ju = k] / (m_u - 1)`` over units with ``m_u >= 2`` ratings.
    """
    weights = pairable_weights(ratings_per_unit(data))
    if dense_counts_fit(data):
        return _dense_coincidences(data, weights)
    k = data.n_categories
    flat = np.zeros(k * k)
    codes = data.codes
    for i in range(data.n_coders - 1):
        for j in range(i + 1, data.n_coders):
            both = (codes[i] >= 0) & (codes[j] >= 0)
            keys = codes[i][both] * k + codes[j][both]
            flat += np.bincount(keys, weights=weights[both], minlength=k * k)
    matrix = flat.reshape(k, k)
    return matrix + matrix.T


def _dense_coincidences(data: ReliabilityData, weights: FloatArray) -> FloatArray:
    counts = unit_value_counts(data).astype(np.float64)
    weighted = counts * weights[:, np.newaxis]
    matrix: FloatArray = weighted.T @ counts
    matrix[np.diag_indices_from(matrix)] -= weights @ counts  # the [c = k] n_uc term
    return matrix


def disagreements(data: ReliabilityData, level: Level) -> tuple[float, float, float]:
    """``(Σ o_ck δ_ck, Σ n_c n_k δ_ck, n)``: observed and expected disagreement before scaling.

    Alpha is ``1 - (n - 1) * observed / expected``; the caller decides what to do when ``n`` or
    ``expected`` is zero.
    """
    if data.n_categories == 0:
        return 0.0, 0.0, 0.0  # nothing was rated
    ratings = ratings_per_unit(data)
    weights = pairable_weights(ratings)
    if dense_counts_fit(data):
        coincidences = _dense_coincidences(data, weights)
        totals = coincidences.sum(axis=0)
        positions = _positions(data, level, totals)
        observed = float((coincidences * _distance_matrix(level, positions)).sum())
    else:
        totals = category_totals(data, (ratings >= 2).astype(np.float64))
        positions = _positions(data, level, totals)
        observed = _pairwise_observed(data, level, positions, weights)
    return observed, _expected(level, totals, positions), float(totals.sum())


def _positions(data: ReliabilityData, level: Level, totals: FloatArray) -> FloatArray:
    """Where each category sits on the line the distance is measured along."""
    if level == "ordinal":
        midpoints: FloatArray = np.cumsum(totals) - totals / 2.0
        return midpoints
    if level in ("interval", "ratio"):
        values: FloatArray = data.categories.astype(np.float64)
        return values
    return np.arange(data.n_categories, dtype=np.float64)  # nominal: only equality matters


def _distance(level: Level, a: FloatArray, b: FloatArray) -> FloatArray:
    if level == "nominal":
        unequal: FloatArray = np.not_equal(a, b).astype(np.float64)
        return unequal
    if level == "ratio":
        total = a + b
        ratio = np.zeros(np.broadcast_shapes(a.shape, b.shape))
        # Krippendorff's ratio metric ((c - k) / (c + k))², taken as 0 at c = k = 0.
        np.divide(a - b, total, out=ratio, where=total != 0)
        return ratio**2
    difference = a - b
    return difference * difference  # interval, and ordinal on mid-cumulative positions


def _distance_matrix(level: Level, positions: FloatArray) -> FloatArray:
    return _distance(level, positions[:, np.newaxis], positions[np.newaxis, :])


def _pairwise_observed(
    data: ReliabilityData, level: Level, positions: FloatArray, weights: FloatArray
) -> float:
    """``Σ_u Σ_{i≠j} δ(x_iu, x_ju) / (m_u - 1)`` by pairs of coders, for many categories."""
    codes = data.codes
    total = 0.0
    for i in range(data.n_coders - 1):
        for j in range(i + 1, data.n_coders):
            both = weights * ((codes[i] >= 0) & (codes[j] >= 0))
            if level == "nominal":
                distance = (codes[i] != codes[j]).astype(np.float64)
            else:  # a missing code (-1) reads some position, but its weight is 0
                distance = _distance(level, positions[codes[i]], positions[codes[j]])
            total += 2.0 * float(distance @ both)
    return total


def _expected(level: Level, totals: FloatArray, positions: FloatArray) -> float:
    """``Σ_ck n_c n_k δ_ck``, in closed form except at the ratio level."""
    if np.count_nonzero(totals) < 2:
        # Exactly zero, as rounding in the closed forms below would not quite give.
        return 0.0
    n = float(totals.sum())
    if level == "nominal":
        return n * n - float(totals @ totals)
    if level in ("interval", "ordinal"):
        # Σ_ck n_c n_k (p_c - p_k)² = 2 n Σ_c n_c (p_c - p̄)², centred for accuracy.
        centred = positions - float(totals @ positions) / n
        return 2.0 * n * float(totals @ (centred * centred))
    block = max(1, _BLOCK_ELEMENTS // max(1, positions.size))
    expected = 0.0
    for start in range(0, positions.size, block):
        rows = slice(start, start + block)
        distance = _distance(level, positions[rows, np.newaxis], positions[np.newaxis, :])
        expected += float(totals[rows] @ distance @ totals)
    return expected
