"""Confidence intervals for agreement statistics by resampling units (a percentile bootstrap)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from thematica.analysis._reliability import ReliabilityData, ReliabilityInput, reliability_data
from thematica.errors import InvalidInputError, UndefinedStatisticWarning

__all__ = ["bootstrap_ci", "kappa_replicates", "replicated_by"]

#: Statistics with a vectorised replicate function (the same draws, every replicate at once).
_REPLICATES: dict[Callable[..., float], Callable[..., NDArray[np.float64] | None]] = {}
#: Resampled cells held at once by a vectorised replicate function.
_CHUNK_CELLS = 1 << 22


def replicated_by(
    statistic: Callable[..., float],
    replicates: Callable[..., NDArray[np.float64] | None],
) -> None:
    """Register ``replicates(data, rng, n_boot, **kwargs)``: every replicate of ``statistic``
    at once from the same draws the loop would make (it returns ``None`` to decline, e.g. for
    options it does not handle)."""
    _REPLICATES[statistic] = replicates


def kappa_replicates(
    data: ReliabilityData, rng: np.random.Generator, n_boot: int, weights: object = None
) -> NDArray[np.float64] | None:
    """Unweighted Cohen's kappa of ``n_boot`` resamples of units, computed together.

    Draws exactly what the loop in :func:`bootstrap_ci` draws (``rng.integers(0, n, size=n)``
    per replicate, in order), so the interval is the same; a resample on which kappa is
    undefined (no unit both coders rated, or one category only) is NaN.
    """
    if weights is not None or data.n_coders != 2:
        return None
    n, k = data.n_units, max(data.n_categories, 1)
    first, second = data.codes
    both = (first >= 0) & (second >= 0)
    out = np.empty(n_boot)
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    for begin in range(0, n_boot, chunk):
        size = min(chunk, n_boot - begin)
        units = rng.integers(0, n, size=(size, n))
        a, b, rated = first[units], second[units], both[units]
        m = rated.sum(axis=1).astype(np.float64)
        agree = ((a == b) & rated).sum(axis=1).astype(np.float64)
        offsets = (np.arange(size) * k)[:, np.newaxis]
        rows = np.bincount((a + offsets)[rated], minlength=size * k).reshape(size, k)
        cols = np.bincount((b + offsets)[rated], minlength=size * k).reshape(size, k)
        same = (rows * cols).sum(axis=1).astype(np.float64)
        # kappa = 1 - observed disagreement / chance disagreement, both over m units.
        chance = m * m - same
        with np.errstate(divide="ignore", invalid="ignore"):
            kappa = 1.0 - (m - agree) * m / chance
        kappa[(m == 0) | (chance <= 0)] = np.nan
        out[begin : begin + size] = kappa
    return out


def bootstrap_ci(
    data: ReliabilityInput,
    statistic: Callable[..., float],
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    **statistic_kwargs: Any,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval for an agreement statistic, resampling units.

    Each of ``n_boot`` replicates draws ``n_units`` units with replacement (all of each unit's
    ratings travel together) from ``numpy.random.default_rng(seed)`` and recomputes
    ``statistic(replicate, **statistic_kwargs)``; the interval is the ``(1 - confidence) / 2`` and
    ``(1 + confidence) / 2`` quantiles of the replicates. This is a unit bootstrap in the spirit
    of Hayes & Krippendorff (2007), but a plain percentile bootstrap over units, not their
    algorithm (which resamples pairable values from the coincidence matrix). Replicates on which
    the statistic is undefined are left out, with an ``UndefinedStatisticWarning`` saying how many.

    Parameters
    ----------
    data : array_like or ReliabilityData, shape (n_coders, n_units)
        Reliability data (see :mod:`thematica.analysis.agreement`).
    statistic : callable
        A statistic of :mod:`thematica.analysis.agreement`, e.g. ``krippendorff_alpha``.
    n_boot : int
        Number of bootstrap replicates.
    confidence : float
        Coverage of the interval, strictly between 0 and 1.
    seed : int
        Seed of the random generator: the same seed gives the same interval.
    **statistic_kwargs
        Passed to ``statistic`` (e.g. ``level="interval"``).

    Returns
    -------
    (float, float)
        Lower and upper bounds; ``(nan, nan)`` when the statistic is undefined on the data.

    References
    ----------
    Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure
    for coding data. *Communication Methods and Measures*, 1(1), 77-89. Efron, B., & Tibshirani,
    R. J. (1993). *An Introduction to the Bootstrap*, chapter 13 (percentile intervals).

    Examples
    --------
    >>> from thematica.analysis.agreement import krippendorff_alpha
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, 5, 1, 3], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 1, 3]]
    >>> low, high = bootstrap_ci(data, krippendorff_alpha, n_boot=200, level="ordinal")
    >>> bool(low < krippendorff_alpha(data, level="ordinal") <= high <= 1.0)
    True
    """
    if not isinstance(n_boot, int) or n_boot < 1:
        raise InvalidInputError(f"n_boot must be a positive whole number, not {n_boot!r}")
    if not 0.0 < confidence < 1.0:
        raise InvalidInputError(f"confidence must be between 0 and 1, not {confidence!r}")
    canonical = reliability_data(data)
    if math.isnan(statistic(canonical, **statistic_kwargs)):
        return math.nan, math.nan  # the statistic has said why
    rng = np.random.default_rng(seed)
    fast = _REPLICATES.get(statistic)
    together = fast(canonical, rng, n_boot, **statistic_kwargs) if fast else None
    if together is not None:
        replicates = together
    else:
        replicates = np.empty(n_boot)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedStatisticWarning)
            for b in range(n_boot):
                units = rng.integers(0, canonical.n_units, size=canonical.n_units)
                replicates[b] = statistic(canonical.take_units(units), **statistic_kwargs)
    defined = replicates[~np.isnan(replicates)]
    if defined.size < n_boot:
        warnings.warn(
            f"the statistic was undefined on {n_boot - defined.size} of {n_boot} bootstrap "
            "replicates, which were left out of the interval",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    if defined.size == 0:
        return math.nan, math.nan
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(defined, [tail, 1.0 - tail])
    return float(low), float(high)
