"""Agreement between coders: how far several people coding the same units gave the same answers.

Reliability data
----------------
Every statistic takes *reliability data*: a 2-D table laid out **coders × units**, as in
Krippendorff's worked examples. Row ``i`` holds coder ``i``'s ratings and column ``u`` the ratings
that unit ``u`` received. A missing rating is ``None`` or NaN (or pandas' NA or NaT). Values are
category labels (any hashable: strings or numbers) for nominal data, and numbers for ordinal,
interval and ratio data.
A units × coders table (one row per unit, as a spreadsheet usually has it) is read with
``reliability_data(table, layout="units-by-coders")``; the :class:`ReliabilityData` it returns is
accepted by every statistic and saves re-reading the table when several are computed.

Every statistic returns a ``float``. When it has no defined value for the data (no unit rated by
two or more coders, or a single category so that chance disagreement is zero) it returns NaN and
emits :class:`~thematica.errors.UndefinedStatisticWarning`; it never divides by zero.

Where categories must be ordered (weighted kappa, ordinal alpha) they are taken in the sorted
order of their labels, so code ordered categories as numbers (1, 2, 3), not words.

This module is the public surface. Reading the data lives in ``_reliability``, the machinery of
alpha in ``_coincidence``, resampling in ``_bootstrap`` and the verbal bands in
``_interpretation``; their public names are re-exported here.
"""

from __future__ import annotations

import math
import warnings
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from thematica.analysis._bootstrap import bootstrap_ci, kappa_replicates, replicated_by
from thematica.analysis._coincidence import LEVELS, Level, disagreements
from thematica.analysis._interpretation import interpret
from thematica.analysis._reliability import (
    Layout,
    ReliabilityData,
    ReliabilityInput,
    agreeing_pairs,
    category_totals,
    ratings_per_unit,
    reliability_data,
)
from thematica.errors import InvalidInputError, UndefinedStatisticWarning

__all__ = [
    "Layout",
    "Level",
    "ReliabilityData",
    "ReliabilityInput",
    "Weights",
    "bootstrap_ci",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "interpret",
    "krippendorff_alpha",
    "percent_agreement",
    "reliability_data",
    "scott_pi",
]

Weights: TypeAlias = Literal["linear", "quadratic"] | None
_NO_PAIRS = "no unit was rated by two or more coders"
_ONE_CATEGORY = "every rating is in the same category, so chance disagreement is zero"


def _undefined(statistic: str, reason: str) -> float:
    warnings.warn(
        f"{statistic} is undefined: {reason}; returning NaN",
        UndefinedStatisticWarning,
        stacklevel=3,
    )
    return math.nan


def percent_agreement(data: ReliabilityInput) -> float:
    """Pairwise percent agreement: the share of coder pairs that agree, averaged over units.

    .. math:: P = \\frac{1}{N'} \\sum_{u: m_u \\ge 2} \\frac{\\sum_c n_{uc}(n_{uc}-1)}{m_u(m_u-1)}

    over the ``N'`` units with ``m_u >= 2`` ratings, ``n_uc`` of them in category ``c``. With two
    coders this is the proportion of units on which they agree. It ignores chance agreement.

    Parameters
    ----------
    data : array_like or ReliabilityData, shape (n_coders, n_units)
        Reliability data (see the module docstring).

    Returns
    -------
    float
        In [0, 1]; NaN (with ``UndefinedStatisticWarning``) when no unit has two ratings.

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. *Psychological
    Bulletin*, 76(5), 378-382 (the mean of the per-subject agreements, ``P̄``).

    Examples
    --------
    >>> round(percent_agreement([["a", "a", "b"], ["a", "b", "b"]]), 3)
    0.667
    """
    canonical = reliability_data(data)
    ratings = ratings_per_unit(canonical)
    pairable = ratings >= 2
    if not pairable.any():
        return _undefined("percent agreement", _NO_PAIRS)
    m = ratings[pairable]
    return float(np.mean(agreeing_pairs(canonical)[pairable] / (m * (m - 1))))


def _paired(data: ReliabilityData, statistic: str) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The two coders' codes on the units both rated."""
    if data.n_coders != 2:
        raise InvalidInputError(
            f"{statistic} compares exactly two coders, but the data have {data.n_coders}; "
            "use fleiss_kappa, krippendorff_alpha or gwet_ac1 for more"
        )
    first, second = data.codes
    both = (first >= 0) & (second >= 0)
    return first[both], second[both]


def cohen_kappa(data: ReliabilityInput, *, weights: Weights = None) -> float:
    """Cohen's kappa for two coders, optionally weighted for ordered categories.

    .. math:: \\kappa = 1 - \\frac{\\sum_{ij} w_{ij} p_{ij}}{\\sum_{ij} w_{ij} p_{i+} p_{+j}}

    where ``p_ij`` is the proportion of units coder 1 put in category ``i`` and coder 2 in
    ``j``, and ``w_ij`` is 1 off the diagonal (unweighted, the same as
    ``(p_o - p_e) / (1 - p_e)``), ``|i - j|`` (linear) or ``(i - j)²`` (quadratic), with ``i, j``
    the ranks of the categories used in the sorted order of their labels.

    Parameters
    ----------
    data : array_like or ReliabilityData, shape (2, n_units)
        Reliability data for exactly two coders; units either coder left unrated are dropped.
    weights : {None, "linear", "quadratic"}
        Disagreement weights; weighted kappa needs labels that sort (numbers, ideally).

    Returns
    -------
    float
        At most 1; NaN (with ``UndefinedStatisticWarning``) when no unit was rated by both
        coders or both used one and the same category only.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement*, 20(1), 37-46. Cohen, J. (1968). Weighted kappa. *Psychological
    Bulletin*, 70(4), 213-220.

    Examples
    --------
    >>> data = [[1, 2, 3, 3, 2, 1], [1, 2, 3, 2, 2, 2]]
    >>> round(cohen_kappa(data), 3), round(cohen_kappa(data, weights="quadratic"), 3)
    (0.5, 0.667)
    """
    if weights not in (None, "linear", "quadratic"):
        raise InvalidInputError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    canonical = reliability_data(data)
    first, second = _paired(canonical, "Cohen's kappa")
    if weights is not None and not canonical.ordered:
        raise InvalidInputError("weighted kappa needs labels that can be sorted into an order")
    if first.size == 0:
        return _undefined("Cohen's kappa", "no unit was rated by both coders")
    used = np.zeros(canonical.n_categories, dtype=bool)
    used[first] = used[second] = True
    rank = np.cumsum(used) - 1  # rank among the categories used, as sklearn does
    k = int(used.sum())
    confusion = np.bincount(rank[first] * k + rank[second], minlength=k * k).reshape(k, k)
    expected = np.outer(confusion.sum(axis=1), confusion.sum(axis=0)) / first.size
    steps = np.abs(np.arange(k)[:, np.newaxis] - np.arange(k)[np.newaxis, :]).astype(np.float64)
    if weights is None:
        penalty = (steps > 0).astype(np.float64)
    else:
        penalty = steps if weights == "linear" else steps * steps
    chance = float((penalty * expected).sum())
    if chance == 0.0:
        return _undefined("Cohen's kappa", _ONE_CATEGORY)
    return 1.0 - float((penalty * confusion).sum()) / chance


replicated_by(cohen_kappa, kappa_replicates)


def scott_pi(data: ReliabilityInput) -> float:
    """Scott's pi for two coders: kappa with chance taken from the pooled category shares.

    .. math:: \\pi = \\frac{p_o - p_e}{1 - p_e}, \\qquad p_e = \\sum_c \\Big(\\frac{n_{1c} +
              n_{2c}}{2N}\\Big)^2

    over the ``N`` units both coders rated; ``n_ic`` is how often coder ``i`` used category ``c``.

    Parameters
    ----------
    data : array_like or ReliabilityData, shape (2, n_units)
        Reliability data for exactly two coders; units either coder left unrated are dropped.

    Returns
    -------
    float
        At most 1; NaN (with ``UndefinedStatisticWarning``) when no unit was rated by both
        coders or only one category was used.

    References
    ----------
    Scott, W. A. (1955). Reliability of content analysis: The case of nominal scale coding.
    *Public Opinion Quarterly*, 19(3), 321-325.

    Examples
    --------
    >>> round(scott_pi([["a", "a", "b", "b"], ["a", "b", "b", "b"]]), 3)
    0.467
    """
    canonical = reliability_data(data)
    first, second = _paired(canonical, "Scott's pi")
    if first.size == 0:
        return _undefined("Scott's pi", "no unit was rated by both coders")
    observed = float(np.mean(first == second))
    k = canonical.n_categories
    shares = (np.bincount(first, minlength=k) + np.bincount(second, minlength=k)) / (2 * first.size)
    chance = float(shares @ shares)
    if chance >= 1.0:
        return _undefined("Scott's pi", _ONE_CATEGORY)
    return (observed - chance) / (1.0 - chance)


def _agreement_and_shares(
    data: ReliabilityData,
) -> tuple[float, NDArray[np.float64]] | None:
    """``p_a`` over the units rated two or more times, and each category's share ``π_c`` (the
    mean over rated units of ``n_uc / m_u``): the parts Fleiss' kappa and Gwet's AC1 share in
    Gwet's (2014) multi-rater form. ``None`` when no unit has two ratings."""
    ratings = ratings_per_unit(data)
    pairable = ratings >= 2
    if not pairable.any():
        return None
    m = ratings[pairable]
    observed = float(np.mean(agreeing_pairs(data)[pairable] / (m * (m - 1))))
    inverse = np.zeros(ratings.shape)
    np.divide(1.0, ratings, out=inverse, where=ratings > 0)
    shares = category_totals(data, inverse) / np.count_nonzero(ratings)
    return observed, shares


def fleiss_kappa(data: ReliabilityInput) -> float:
    """Fleiss' kappa for any number of coders, with missing ratings as Gwet (2014) generalises it.

    .. math:: \\kappa = \\frac{p_a - p_e}{1 - p_e}, \\quad
              p_a = \\frac{1}{N'}\\sum_{u: m_u \\ge 2}\\frac{\\sum_c n_{uc}(n_{uc}-1)}{m_u(m_u-1)},
              \\quad p_e = \\sum_c \\pi_c^2,
              \\quad \\pi_c = \\frac{1}{N}\\sum_{u: m_u \\ge 1}\\frac{n_{uc}}{m_u}

    with ``N'`` the units with two or more ratings and ``N`` the units with any. When every unit
    has the same number ``m`` of ratings (not necessarily by the same coders) this is Fleiss
    (1971) exactly; with missing ratings it is the generalisation irrCAC's
    ``fleiss.kappa.raw`` computes, so units rated by fewer coders are used, not refused. Units
    nobody rated are skipped.

    Parameters
    ----------
    data : array_like or ReliabilityData, shape (n_coders, n_units)
        Reliability data (see the module docstring).

    Returns
    -------
    float
        At most 1; NaN (with ``UndefinedStatisticWarning``) when no unit has two ratings or
        every rating is in one category.

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. *Psychological
    Bulletin*, 76(5), 378-382. Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th
    ed.), chapter 2 (missing ratings); the irrCAC R package, ``fleiss.kappa.raw``.

    Examples
    --------
    >>> round(fleiss_kappa([["a", "a", "b", "c"], ["a", "b", "b", "c"], ["a", "a", "b", "c"]]), 3)
    0.745
    """
    found = _agreement_and_shares(reliability_data(data))
    if found is None:
        return _undefined("Fleiss' kappa", _NO_PAIRS)
    observed, shares = found
    if np.count_nonzero(shares) < 2:  # (a sum of m_u / m_u can fall a hair short of 1)
        return _undefined("Fleiss' kappa", _ONE_CATEGORY)
    chance = float(shares @ shares)
    return (observed - chance) / (1.0 - chance)


def krippendorff_alpha(data: ReliabilityInput, *, level: Level = "nominal") -> float:
    """Krippendorff's alpha for any number of coders, missing ratings and level of measurement.

    .. math:: \\alpha = 1 - \\frac{D_o}{D_e} = 1 - (n - 1)
              \\frac{\\sum_{c,k} o_{ck}\\, \\delta^2_{ck}}{\\sum_{c,k} n_c n_k\\, \\delta^2_{ck}}

    where ``o_ck = Σ_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1)`` is the coincidence matrix over
    units with ``m_u >= 2`` ratings, ``n_c`` its marginals, ``n`` the number of pairable values and
    ``δ²`` the distance for the level: nominal ``[c ≠ k]``; ordinal
    ``(Σ_{g=c..k} n_g - (n_c + n_k)/2)²`` over the sorted categories; interval ``(c - k)²``;
    ratio ``((c - k) / (c + k))²``. Computed vectorised over units (see ``_coincidence``).

    Parameters
    ----------
    data : array_like or ReliabilityData, shape (n_coders, n_units)
        Reliability data (see the module docstring); numbers for interval and ratio levels,
        non-negative for ratio.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement, which chooses the distance.

    Returns
    -------
    float
        1 for perfect agreement, 0 for chance agreement; NaN (with
        ``UndefinedStatisticWarning``) when no unit has two ratings or all pairable values are the
        same.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania. Krippendorff, K. (2004). *Content Analysis: An
    Introduction to Its Methodology* (2nd ed.), chapter 11.

    Examples
    --------
    Krippendorff's (2011) example: 4 coders, 12 units, missing ratings.

    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> [round(krippendorff_alpha(data, level=level), 3) for level in LEVELS]
    [0.743, 0.815, 0.849, 0.797]
    """
    if level not in LEVELS:
        raise InvalidInputError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    canonical = reliability_data(data)
    if level in ("interval", "ratio") and not canonical.numeric:
        raise InvalidInputError(f"{level} alpha needs numbers as ratings, not labels")
    if level == "ordinal" and not canonical.ordered:
        raise InvalidInputError("ordinal alpha needs labels that can be sorted into an order")
    if level == "ratio" and canonical.n_categories and canonical.categories.min() < 0:
        raise InvalidInputError("ratio alpha needs non-negative numbers (a true zero)")
    observed, expected, n = disagreements(canonical, level)
    if n == 0.0:
        return _undefined("Krippendorff's alpha", _NO_PAIRS)
    if expected <= 0.0:
        return _undefined(
            "Krippendorff's alpha",
            "every rating of the units rated two or more times is in the same category, "
            "so expected disagreement is zero",
        )
    return 1.0 - (n - 1.0) * observed / expected


def gwet_ac1(data: ReliabilityInput) -> float:
    """Gwet's AC1 for any number of coders (multi-rater form, nominal categories).

    .. math:: AC_1 = \\frac{p_a - p_e}{1 - p_e}, \\quad
              p_a = \\frac{1}{N'}\\sum_{u: m_u \\ge 2}\\frac{\\sum_c n_{uc}(n_{uc}-1)}{m_u(m_u-1)},
              \\quad p_e = \\frac{1}{q-1}\\sum_c \\pi_c(1-\\pi_c),
              \\quad \\pi_c = \\frac{1}{N}\\sum_{u: m_u \\ge 1}\\frac{n_{uc}}{m_u}

    with ``q`` the number of categories in the data, ``N'`` the units with two or more ratings
    and ``N`` the units with any. Unlike kappa it stays high when agreement is high but one
    category dominates.

    Parameters
    ----------
    data : array_like or ReliabilityData, shape (n_coders, n_units)
        Reliability data (see the module docstring).

    Returns
    -------
    float
        At most 1; NaN (with ``UndefinedStatisticWarning``) when no unit has two ratings or only
        one category appears.

    References
    ----------
    Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of
    high agreement. *British Journal of Mathematical and Statistical Psychology*, 61(1), 29-48.
    Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.), chapter 4 (missing
    ratings).

    Examples
    --------
    >>> round(gwet_ac1([["a", "a", "a", "b"], ["a", "a", "a", "a"]]), 3)
    0.68
    """
    canonical = reliability_data(data)
    found = _agreement_and_shares(canonical)
    if found is None:
        return _undefined("Gwet's AC1", _NO_PAIRS)
    q = canonical.n_categories
    if q < 2:
        return _undefined("Gwet's AC1", "only one category appears in the data")
    observed, shares = found
    chance = float(shares @ (1.0 - shares)) / (q - 1)
    return (observed - chance) / (1.0 - chance)
