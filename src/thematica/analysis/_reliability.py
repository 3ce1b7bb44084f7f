"""Reliability data: the canonical, factorised form that every agreement statistic reads.

Reliability data are laid out **coders × units**, as in Krippendorff's worked examples: row ``i``
holds coder ``i``'s ratings, column ``u`` holds the ratings given to unit ``u``. A missing rating
is ``None`` or NaN. Values are category labels (any hashable: strings or numbers).

:func:`reliability_data` factorises such a table once into integer codes (``-1`` for missing) and
the sorted list of labels, so that each statistic, and each bootstrap replicate, works on small
integers. The per-unit summaries the statistics share (ratings per unit, agreeing pairs per unit,
category totals) live here too, vectorised over units.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from numbers import Number
from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from thematica.errors import InvalidInputError

__all__ = ["Layout", "ReliabilityData", "ReliabilityInput", "reliability_data"]

Layout: TypeAlias = Literal["coders-by-units", "units-by-coders"]
_LAYOUTS: tuple[str, ...] = ("coders-by-units", "units-by-coders")

#: Integer-valued numeric data spanning at most this many values are factorised by offset
#: arithmetic (a few linear passes) rather than by ``np.unique`` + ``np.searchsorted``.
_DIRECT_RANGE = 1 << 16
#: Per-unit value counts are held densely (units × categories) only while that array is at most
#: this many times the size of the codes themselves (or small); otherwise coder pairs are used.
_DENSE_FACTOR = 2
_DENSE_FLOOR = 1 << 20


@dataclass(frozen=True, eq=False)
class ReliabilityData:
    """Ratings factorised to integer codes: the canonical input of the agreement statistics.

    Build it with :func:`reliability_data`; every statistic also accepts a raw table and calls
    that function itself.

    Attributes
    ----------
    codes : ndarray of intp, shape (n_coders, n_units)
        ``codes[i, u]`` indexes ``categories`` for coder ``i``'s rating of unit ``u``; ``-1`` marks
        a missing rating.
    categories : ndarray, shape (n_categories,)
        The distinct labels, sorted when they can be ordered.
    ordered : bool
        Whether ``categories`` are in sorted order (false for labels of mixed, unorderable types).
    """

    codes: NDArray[np.intp]
    categories: NDArray[Any]
    ordered: bool

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[1])

    @property
    def n_categories(self) -> int:
        return int(self.categories.shape[0])

    @property
    def numeric(self) -> bool:
        """Whether the labels are numbers (needed for interval and ratio levels)."""
        return self.categories.dtype.kind in "biuf"

    def take_units(self, indices: ArrayLike) -> ReliabilityData:
        """The same coders and categories, on the units at ``indices`` (repeats allowed)."""
        return _frozen(
            self.codes[:, np.asarray(indices, dtype=np.intp)], self.categories, self.ordered
        )

    def __repr__(self) -> str:
        return (
            f"ReliabilityData({self.n_coders} coders × {self.n_units} units, "
            f"{self.n_categories} categories)"
        )


ReliabilityInput: TypeAlias = ReliabilityData | ArrayLike | Sequence[Sequence[Any]]


def reliability_data(
    table: ReliabilityInput, *, layout: Layout = "coders-by-units"
) -> ReliabilityData:
    """Factorise a table of ratings into :class:`ReliabilityData`.

    Parameters
    ----------
    table : array_like, shape (n_coders, n_units) or (n_units, n_coders)
        Ratings: category labels (strings or numbers), ``None`` or NaN where missing. A
        :class:`ReliabilityData` is returned unchanged.
    layout : {"coders-by-units", "units-by-coders"}
        Whether rows are coders (Krippendorff's layout, the default) or units.

    Returns
    -------
    ReliabilityData

    Examples
    --------
    >>> data = reliability_data([["a", "b", None], ["a", "a", "b"]])
    >>> data
    ReliabilityData(2 coders × 3 units, 2 categories)
    >>> data.codes.tolist(), data.categories.tolist()
    ([[0, 1, -1], [0, 0, 1]], ['a', 'b'])
    >>> reliability_data([[1, 1], [2, None], [3, 2]], layout="units-by-coders").codes.tolist()
    [[0, 1, 2], [0, -1, 1]]
    """
    if isinstance(table, ReliabilityData):
        return table
    if layout not in _LAYOUTS:
        raise InvalidInputError(f"layout must be one of {', '.join(_LAYOUTS)}, not {layout!r}")
    array = _as_array(table)
    if layout == "units-by-coders":
        array = array.T
    kind = array.dtype.kind
    if kind in "biuf":
        codes, categories = _factorise_numeric(array)
        return _frozen(codes, categories, ordered=True)
    if kind in "US":
        categories, inverse = np.unique(array, return_inverse=True)
        return _frozen(inverse.reshape(array.shape).astype(np.intp), categories, ordered=True)
    return _factorise_objects(array)


def _as_array(table: object) -> NDArray[Any]:
    try:
        array = np.asarray(table)
    except ValueError as error:  # ragged rows
        raise InvalidInputError(f"ratings must form a rectangular table: {error}") from None
    if array.dtype.kind in "US" and not isinstance(table, np.ndarray):
        # np.asarray turns NaN into the string "nan" next to strings; keep it a missing value.
        array = np.asarray(table, dtype=object)
    if array.ndim != 2:
        raise InvalidInputError(f"ratings must be a 2-D table (coders × units), not {array.ndim}-D")
    if array.dtype.kind not in "biufUSO":
        raise InvalidInputError(f"ratings must be labels or numbers, not {array.dtype}")
    return array


def _frozen(codes: NDArray[np.intp], categories: NDArray[Any], ordered: bool) -> ReliabilityData:
    codes.setflags(write=False)
    categories.setflags(write=False)
    return ReliabilityData(codes, categories, ordered)


def _factorise_numeric(values: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[Any]]:
    if values.dtype.kind == "b":
        codes, categories = _factorise_numeric(values.astype(np.int64))
        return codes, categories.astype(bool)
    if values.dtype.kind in "iu":
        values = values.astype(np.int64, copy=False)  # room for the offset arithmetic below
    missing: NDArray[np.bool_] | None = None
    if values.dtype.kind == "f":
        values = values.astype(np.float64, copy=False)
        missing = np.isnan(values)
        infinite = np.isinf(values)
        if infinite.any():
            coder, unit = (int(i) for i in np.argwhere(infinite)[0])
            raise InvalidInputError(
                f"coder {coder}, unit {unit}: a rating must be a finite number or missing"
            )
        if missing.all():
            return np.full(values.shape, -1, dtype=np.intp), np.empty(0, dtype=values.dtype)
    if values.size == 0:
        return np.full(values.shape, -1, dtype=np.intp), np.empty(0, dtype=values.dtype)
    low, high = np.fmin.reduce(values, axis=None), np.fmax.reduce(values, axis=None)
    if _small_whole_range(values, missing, float(low), float(high)):
        return _factorise_direct(values, missing, low, int(high - low) + 1)
    categories = np.unique(values, equal_nan=True)
    if missing is not None:
        categories = categories[~np.isnan(categories)]
    codes = np.searchsorted(categories, values).astype(np.intp, copy=False)
    if missing is not None:
        np.copyto(codes, -1, where=missing)
    return codes, categories


def _small_whole_range(
    values: NDArray[Any], missing: NDArray[np.bool_] | None, low: float, high: float
) -> bool:
    """Whether every value is a whole number in a range narrow enough for offset arithmetic."""
    if not (low.is_integer() and high - low < _DIRECT_RANGE and max(-low, high) < 2.0**52):
        return False
    if missing is None:
        return True
    # trunc(v) == v for whole numbers only (never for NaN, which is missing).
    whole = np.count_nonzero(np.trunc(values) == values)
    return bool(whole == values.size - np.count_nonzero(missing))


def _factorise_direct(
    values: NDArray[Any], missing: NDArray[np.bool_] | None, low: Any, span: int
) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """Whole numbers over a small range: code = value - low, found without sorting."""
    shifted = values - (low - 1)  # present values >= 1; 0 is kept for missing
    if missing is not None:
        np.copyto(shifted, 0, where=missing)
    codes = shifted.astype(np.intp)
    present = np.bincount(codes.ravel(), minlength=span + 1)[1:] > 0
    categories = (np.flatnonzero(present) + low).astype(values.dtype)
    if present.all():
        codes -= 1
        return codes, categories
    lookup = np.full(span + 1, -1, dtype=np.intp)
    lookup[1:][present] = np.arange(categories.size, dtype=np.intp)
    return lookup[codes], categories


def _is_missing(value: object) -> bool:
    """None, NaN, and the missing markers of data-frame libraries (NaT, pandas.NA)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(value != value)  # NaN and NaT are the values unequal to themselves
    except TypeError:
        return True  # pandas.NA: comparing it gives NA again, whose truth is undefined
    except ValueError:
        return False  # an array-like cell; refused later as unhashable


def _factorise_objects(array: NDArray[Any]) -> ReliabilityData:
    flat = array.ravel()
    missing = np.fromiter((_is_missing(v) for v in flat), dtype=bool, count=flat.size)
    present = flat[~missing].tolist()
    if all(isinstance(v, Number) and not isinstance(v, complex) for v in present):
        numbers = np.full(flat.shape, np.nan)
        numbers[~missing] = present
        codes, categories = _factorise_numeric(numbers.reshape(array.shape))
        if all(isinstance(v, int | np.integer) for v in present):
            categories = categories.astype(np.int64)
        return _frozen(codes, categories, ordered=True)
    try:
        labels: list[Hashable] = list(dict.fromkeys(present))
    except TypeError as error:
        raise InvalidInputError(f"every rating must be a hashable label: {error}") from None
    ordered = True
    try:
        labels = sorted(labels)  # type: ignore[type-var]
    except TypeError:
        ordered = False  # mixed types: keep first-seen order, nominal statistics only
    index = {label: i for i, label in enumerate(labels)}
    codes = np.fromiter(
        (-1 if gone else index[v] for v, gone in zip(flat.tolist(), missing.tolist(), strict=True)),
        dtype=np.intp,
        count=flat.size,
    ).reshape(array.shape)
    categories = np.empty(len(labels), dtype=object)
    categories[:] = labels
    return _frozen(codes, categories, ordered)


# Per-unit summaries shared by the statistics -----------------------------------------------------


def ratings_per_unit(data: ReliabilityData) -> NDArray[np.int64]:
    """``m_u``: how many coders rated each unit."""
    ratings: NDArray[np.int64] = np.count_nonzero(data.codes >= 0, axis=0).astype(np.int64)
    return ratings


def dense_counts_fit(data: ReliabilityData) -> bool:
    """Whether a units × categories count array is affordable (it is not for many categories)."""
    dense = data.n_units * (data.n_categories + 1)
    return dense <= max(_DENSE_FACTOR * data.codes.size, _DENSE_FLOOR)


def unit_value_counts(data: ReliabilityData) -> NDArray[np.int64]:
    """``n_uc``: how many coders gave unit ``u`` category ``c``, shape (n_units, n_categories).

    One ``bincount`` over ``unit * (K + 1) + code + 1``: missing ratings (code -1) fall in a
    spare column 0 that is dropped, so no mask is needed.
    """
    width = data.n_categories + 1
    offsets = np.arange(1, data.n_units * width + 1, width, dtype=np.intp)
    keys = data.codes + offsets
    counts = np.bincount(keys.ravel(), minlength=data.n_units * width)
    return counts.reshape(data.n_units, width)[:, 1:]


def agreeing_pairs(data: ReliabilityData) -> NDArray[np.float64]:
    """``Σ_c n_uc (n_uc - 1)``: ordered pairs of distinct coders that agree, per unit."""
    if dense_counts_fit(data):
        counts = unit_value_counts(data).astype(np.float64)
        pairs: NDArray[np.float64] = np.einsum("uc,uc->u", counts, counts - 1.0)
        return pairs
    codes = data.codes
    pairs = np.zeros(data.n_units)  # coder pairs: no units × categories array needed
    for i in range(data.n_coders - 1):
        valid = codes[i] >= 0
        for j in range(i + 1, data.n_coders):
            pairs += valid & (codes[i] == codes[j])
    return 2.0 * pairs


def category_totals(
    data: ReliabilityData, unit_weights: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``Σ_u w_u n_uc``: each category's ratings, unit ``u``'s weighted by ``unit_weights[u]``."""
    present = data.codes >= 0
    weights = np.broadcast_to(unit_weights, data.codes.shape)[present]
    totals = np.bincount(data.codes[present], weights=weights, minlength=data.n_categories)
    return totals.astype(np.float64, copy=False)
