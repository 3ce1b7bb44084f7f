"""Reading reliability data: layouts, missing values, label types, hostile input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import _reliability
from thematica.analysis._reliability import (
    ReliabilityData,
    agreeing_pairs,
    ratings_per_unit,
    reliability_data,
    unit_value_counts,
)
from thematica.errors import InvalidInputError

NAN = math.nan


def _restore(data: ReliabilityData) -> np.ndarray:
    """The numeric table back from its codes: code -1 reads the NaN appended at the end."""
    return np.append(data.categories.astype(float), NAN)[data.codes]


def _unhashable() -> np.ndarray:
    table = np.empty((1, 2), dtype=object)
    table[0, 0], table[0, 1] = ["a list"], "a"
    return table


def test_layouts_give_the_same_data() -> None:
    coders_by_units = [[1, 2, None], [1, 3, 3]]
    units_by_coders = [[1, 1], [2, 3], [None, 3]]
    a = reliability_data(coders_by_units)
    b = reliability_data(units_by_coders, layout="units-by-coders")
    assert a.codes.tolist() == b.codes.tolist() == [[0, 1, -1], [0, 2, 2]]
    assert a.categories.tolist() == b.categories.tolist() == [1, 2, 3]
    assert (a.n_coders, a.n_units, a.n_categories) == (2, 3, 3)


def test_a_dataframe_units_by_coders_is_read() -> None:
    frame = pd.DataFrame(
        {"ana": ["x", "y", None], "ben": ["x", "x", "y"]}, index=["u1", "u2", "u3"]
    )
    data = reliability_data(frame, layout="units-by-coders")
    assert data.codes.tolist() == [[0, 1, -1], [0, 0, 1]]
    assert data.categories.tolist() == ["x", "y"]


def test_none_and_nan_are_missing_but_the_string_nan_in_a_list_is_not_confused() -> None:
    data = reliability_data([["a", NAN, None], ["b", "a", "a"]])
    assert data.codes.tolist() == [[0, -1, -1], [1, 0, 0]]
    assert data.categories.tolist() == ["a", "b"]


def test_pandas_missing_markers_are_missing() -> None:
    frame = pd.DataFrame({"ana": pd.array([1, None, 3], dtype="Int64"), "ben": [1.0, 2.0, NAN]})
    data = reliability_data(frame, layout="units-by-coders")
    assert data.codes.tolist() == [[0, -1, 2], [0, 1, -1]]
    strings = pd.DataFrame({"ana": pd.array(["x", None], dtype="string"), "ben": ["y", None]})
    assert reliability_data(strings, layout="units-by-coders").codes.tolist() == [[0, -1], [1, -1]]


def test_integer_labels_with_missing_stay_integers() -> None:
    data = reliability_data([[3, None, 10], [10, 3, None]])
    assert data.categories.dtype.kind == "i"
    assert data.categories.tolist() == [3, 10]
    assert data.ordered and data.numeric


def test_mixed_label_types_are_unordered_and_nominal_only() -> None:
    data = reliability_data([["a", 1, None], [1, "a", "b"]])
    assert not data.ordered
    assert not data.numeric
    assert sorted(map(str, data.categories.tolist())) == ["1", "a", "b"]


def test_booleans_are_two_categories() -> None:
    data = reliability_data(np.array([[True, False], [True, True]]))
    assert data.categories.tolist() == [False, True]
    assert data.codes.tolist() == [[1, 0], [1, 1]]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.5, 2.25, NAN, 1.5], [1.5, 2.25]),  # not whole numbers: sorted search
        ([0.0, 200_000.0, NAN, 5.0], [0.0, 5.0, 200_000.0]),  # too wide for offsets
        ([1.0, 100.0, 1000.0, NAN], [1.0, 100.0, 1000.0]),  # sparse whole numbers: lookup table
        ([-3.0, -1.0, -3.0, 2.0], [-3.0, -1.0, 2.0]),  # negative whole numbers
    ],
)
def test_every_numeric_factorisation_path_round_trips(
    values: list[float], expected: list[float]
) -> None:
    table = np.array([values, values[::-1]])
    data = reliability_data(table)
    assert data.categories.tolist() == expected
    np.testing.assert_array_equal(_restore(data), table)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda coders: st.lists(
            st.lists(
                st.one_of(st.none(), st.integers(-5, 5), st.floats(-1e6, 1e6, allow_nan=False)),
                min_size=coders,
                max_size=coders,
            ),
            min_size=0,
            max_size=8,
        ).map(lambda rows: (coders, rows))
    )
)
def test_factorisation_round_trips_numbers(case: tuple[int, list[list[float | None]]]) -> None:
    coders, units = case
    table = np.array(
        [[NAN if v is None else float(v) for v in unit] for unit in units], dtype=float
    ).reshape(len(units), coders)
    data = reliability_data(table, layout="units-by-coders")
    assert data.codes.shape == (coders, len(units))
    assert list(data.categories) == sorted(set(table[~np.isnan(table)].tolist()))
    np.testing.assert_array_equal(_restore(data), table.T)


def test_reliability_data_is_returned_unchanged_and_read_only() -> None:
    data = reliability_data([[1, 2], [2, 2]])
    assert reliability_data(data) is data
    with pytest.raises(ValueError, match="read-only"):
        data.codes[0, 0] = 5
    assert repr(data) == "ReliabilityData(2 coders × 2 units, 2 categories)"


def test_take_units_keeps_coders_and_categories() -> None:
    data = reliability_data([["a", "b", "c"], ["a", "a", None]])
    subset = data.take_units([2, 2, 0])
    assert isinstance(subset, ReliabilityData)
    assert subset.codes.tolist() == [[2, 2, 0], [-1, -1, 0]]
    assert subset.categories is data.categories


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([[1, 2], [1]], "rectangular"),
        ([1, 2, 3], "2-D"),
        ([[[1]]], "2-D"),
        ([[1.0, math.inf]], "finite"),
        (_unhashable(), "hashable"),
        (np.array([[1 + 2j]]), "labels or numbers"),
    ],
)
def test_hostile_tables_raise_clear_errors(table: object, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        reliability_data(table)  # type: ignore[arg-type]


def test_an_unknown_layout_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="layout must be one of"):
        reliability_data([[1]], layout="sideways")  # type: ignore[arg-type]


def test_empty_and_all_missing_tables_are_accepted() -> None:
    assert reliability_data(np.empty((2, 0))).n_units == 0
    data = reliability_data([[None, None], [None, None]])
    assert data.n_categories == 0
    assert data.codes.tolist() == [[-1, -1], [-1, -1]]


def test_per_unit_summaries_agree_between_dense_counts_and_coder_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    table = rng.integers(0, 4, size=(5, 40)).astype(float)
    table[rng.random(table.shape) < 0.3] = NAN
    data = reliability_data(table)
    counts = unit_value_counts(data)
    assert counts.sum(axis=1).tolist() == ratings_per_unit(data).tolist()
    dense = agreeing_pairs(data)
    monkeypatch.setattr(_reliability, "_DENSE_FACTOR", 0)
    monkeypatch.setattr(_reliability, "_DENSE_FLOOR", 0)
    assert not _reliability.dense_counts_fit(data)
    np.testing.assert_array_equal(agreeing_pairs(data), dense)
    np.testing.assert_array_equal(dense, (counts * (counts - 1)).sum(axis=1))
