"""Agreement statistics on thousands of random tables: against reference packages, against each
other, and the properties every statistic must have (in the manner of scikit-learn's
``sklearn/metrics/tests/test_common.py``)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from thematica.analysis._coincidence import LEVELS
from thematica.analysis.agreement import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    reliability_data,
    scott_pi,
)
from thematica.errors import UndefinedStatisticWarning

NAN = math.nan
Table = np.ndarray


def evaluate(statistic: Callable[..., float], data: Any, **kwargs: Any) -> float:
    """The statistic's value, checking that NaN comes exactly with UndefinedStatisticWarning and
    that nothing else (a numpy RuntimeWarning, say) is emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = statistic(data, **kwargs)
    kinds = {type(warning.message) for warning in caught}
    assert kinds <= {UndefinedStatisticWarning}, [str(w.message) for w in caught]
    assert math.isnan(value) == bool(kinds), (value, [str(w.message) for w in caught])
    assert isinstance(value, float)
    return value


def same(a: float, b: float, *, rel: float = 1e-9) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=rel, abs=1e-9)


CODERS = st.integers(2, 6)
UNITS = st.integers(1, 12)


@st.composite
def tables(
    draw: st.DrawFn,
    *,
    coders: st.SearchStrategy[int] = CODERS,
    units: st.SearchStrategy[int] = UNITS,
    missing: bool = True,
    values: st.SearchStrategy[list[float]] | None = None,
) -> Table:
    """A coders × units float table, NaN for missing, values from a small drawn pool."""
    n_coders, n_units = draw(coders), draw(units)
    default = st.lists(st.integers(0, 5).map(float), min_size=1, max_size=5)
    pool = draw(default if values is None else values)
    low = -1 if missing else 0
    picks = draw(st.lists(st.integers(low, len(pool) - 1), min_size=n_coders * n_units,
                          max_size=n_coders * n_units))  # fmt: skip
    table = np.array([NAN if p < 0 else pool[p] for p in picks], dtype=float)
    return table.reshape(n_coders, n_units)


FLOAT_POOLS = st.lists(st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)), min_size=1,
                       max_size=6)  # fmt: skip
POOLS = st.one_of(st.lists(st.integers(0, 5).map(float), min_size=1, max_size=5), FLOAT_POOLS)


# Against reference packages ----------------------------------------------------------------------


def reference_alpha(table: Table, level: str) -> float:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return float(krippendorff.alpha(table, level_of_measurement=level))
        except ValueError:  # it refuses one-value domains and data with no pairable unit
            return NAN


@pytest.mark.parametrize("level", LEVELS)
@settings(max_examples=300, deadline=None)
@given(table=tables(values=POOLS))
def test_alpha_matches_the_krippendorff_package(level: str, table: Table) -> None:
    ours = evaluate(krippendorff_alpha, table, level=level)
    reference = reference_alpha(table, level)
    assert same(ours, reference), (ours, reference)


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@settings(max_examples=250, deadline=None)
@given(table=tables(coders=st.just(2), units=st.integers(1, 30)))
def test_cohen_kappa_matches_scikit_learn(weights: str | None, table: Table) -> None:
    ours = evaluate(cohen_kappa, table, weights=weights)
    both = ~np.isnan(table).any(axis=0)
    if not both.any():
        assert math.isnan(ours)  # scikit-learn refuses empty input
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UndefinedMetricWarning, and a UserWarning on one label
        first, second = table[:, both].astype(int)
        reference = cohen_kappa_score(first, second, weights=weights)
    assert same(ours, float(reference)), (ours, reference)


# Against each other and against direct formulas --------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(table=tables(coders=st.just(2), units=st.integers(1, 20), missing=False))
def test_scott_pi_and_alpha_differ_only_by_the_small_sample_factor(table: Table) -> None:
    # With two coders and nothing missing, alpha = 1 - (1 - pi) (2N - 1) / 2N, from the definitions.
    pi = evaluate(scott_pi, table)
    alpha = evaluate(krippendorff_alpha, table)
    n = 2 * table.shape[1]
    assert same(alpha, 1 - (1 - pi) * (n - 1) / n)


@settings(max_examples=200, deadline=None)
@given(table=tables(missing=False))
def test_fleiss_kappa_and_alpha_differ_only_by_the_small_sample_factor(table: Table) -> None:
    # With m ratings of every unit, alpha = 1 - (1 - kappa) (Nm - 1) / Nm.
    kappa = evaluate(fleiss_kappa, table)
    alpha = evaluate(krippendorff_alpha, table)
    n = table.size
    assert same(alpha, 1 - (1 - kappa) * (n - 1) / n)


def naive_ac1(table: Table) -> float:
    """Gwet's multi-rater AC1 straight from the formula, one unit at a time."""
    labels = sorted(set(table[~np.isnan(table)].tolist()))
    rated = [table[~np.isnan(table[:, u]), u].tolist() for u in range(table.shape[1])]
    rated = [unit for unit in rated if unit]
    pairable = [unit for unit in rated if len(unit) >= 2]
    if not pairable or len(labels) < 2:
        return NAN
    p_a = sum(
        sum(unit.count(c) * (unit.count(c) - 1) for c in labels) / (len(unit) * (len(unit) - 1))
        for unit in pairable
    ) / len(pairable)
    shares = [sum(unit.count(c) / len(unit) for unit in rated) / len(rated) for c in labels]
    p_e = sum(p * (1 - p) for p in shares) / (len(labels) - 1)
    return (p_a - p_e) / (1 - p_e)


@settings(max_examples=200, deadline=None)
@given(table=tables())
def test_gwet_ac1_matches_the_formula_unit_by_unit(table: Table) -> None:
    assert same(evaluate(gwet_ac1, table), naive_ac1(table))


# Properties common to every statistic ------------------------------------------------------------

ALL = [
    pytest.param(percent_agreement, {}, id="percent"),
    pytest.param(cohen_kappa, {}, id="cohen"),
    pytest.param(cohen_kappa, {"weights": "linear"}, id="cohen-linear"),
    pytest.param(cohen_kappa, {"weights": "quadratic"}, id="cohen-quadratic"),
    pytest.param(scott_pi, {}, id="scott"),
    pytest.param(fleiss_kappa, {}, id="fleiss"),
    *(pytest.param(krippendorff_alpha, {"level": lv}, id=f"alpha-{lv}") for lv in LEVELS),
    pytest.param(gwet_ac1, {}, id="ac1"),
]
NOMINAL = [
    p for p in ALL if p.id in {"percent", "cohen", "scott", "fleiss", "alpha-nominal", "ac1"}
]
TWO_CODERS = {cohen_kappa, scott_pi}


def shaped_for(statistic: Callable[..., float], **options: Any) -> st.SearchStrategy[Table]:
    """Tables the statistic accepts: two coders where it needs two; missing ratings for every
    statistic (Fleiss' kappa included, in Gwet's generalisation)."""
    coders = st.just(2) if statistic in TWO_CODERS else st.integers(1, 6)
    return tables(coders=coders, missing=True, **options)


@pytest.mark.parametrize(("statistic", "kwargs"), ALL)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_perfect_agreement_is_one(
    statistic: Callable[..., float], kwargs: dict[str, Any], data: st.DataObject
) -> None:
    table = data.draw(shaped_for(statistic))
    truth = data.draw(st.lists(st.integers(0, 5), min_size=table.shape[1],
                               max_size=table.shape[1]))  # fmt: skip
    agreed = np.where(np.isnan(table), NAN, np.array(truth, dtype=float))
    value = evaluate(statistic, agreed, **kwargs)
    assert math.isnan(value) or value == pytest.approx(1.0)


@pytest.mark.parametrize(("statistic", "kwargs"), ALL)
def test_perfect_agreement_on_two_categories_is_one(
    statistic: Callable[..., float], kwargs: dict[str, Any]
) -> None:
    assert evaluate(statistic, [[1, 2, 1, 2], [1, 2, 1, 2]], **kwargs) == pytest.approx(1.0)


@pytest.mark.parametrize(("statistic", "kwargs"), ALL)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_at_most_one_and_symmetric_in_coders(
    statistic: Callable[..., float], kwargs: dict[str, Any], data: st.DataObject
) -> None:
    table = data.draw(shaped_for(statistic, values=POOLS))
    order = data.draw(st.permutations(range(table.shape[0])))
    value = evaluate(statistic, table, **kwargs)
    assert math.isnan(value) or value <= 1.0 + 1e-12
    assert same(evaluate(statistic, table[list(order)], **kwargs), value, rel=1e-12)


@pytest.mark.parametrize(("statistic", "kwargs"), NOMINAL)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_nominal_statistics_ignore_what_the_categories_are_called(
    statistic: Callable[..., float], kwargs: dict[str, Any], data: st.DataObject
) -> None:
    table = data.draw(shaped_for(statistic))
    names = data.draw(st.permutations(["delta", "alpha", "echo", "bravo", "charlie", "foxtrot"]))
    relabelled = [[None if math.isnan(v) else names[int(v)] for v in row] for row in table]
    assert same(evaluate(statistic, relabelled, **kwargs), evaluate(statistic, table, **kwargs))


@pytest.mark.parametrize(("statistic", "kwargs"), ALL)
def test_no_unit_rated_twice_is_undefined(
    statistic: Callable[..., float], kwargs: dict[str, Any]
) -> None:
    with pytest.warns(UndefinedStatisticWarning, match="undefined"):
        value = statistic([[1, None, 2, None], [None, 2, None, 1]], **kwargs)
    assert math.isnan(value)


@pytest.mark.parametrize(("statistic", "kwargs"), [p for p in ALL if p.id != "percent"])
def test_a_single_category_is_undefined(
    statistic: Callable[..., float], kwargs: dict[str, Any]
) -> None:
    with pytest.warns(UndefinedStatisticWarning, match="undefined"):
        value = statistic([[3, 3, 3], [3, 3, 3]], **kwargs)
    assert math.isnan(value)


def test_percent_agreement_on_a_single_category_is_one() -> None:
    assert percent_agreement([[3, 3, 3], [3, 3, 3]]) == 1.0


@pytest.mark.parametrize(("statistic", "kwargs"), ALL)
def test_reliability_data_and_layouts_give_the_same_value(
    statistic: Callable[..., float], kwargs: dict[str, Any]
) -> None:
    table = [[1, 2, 3, 3, 2, 1, 3], [1, 2, 3, 2, 2, 2, 3]]
    expected = statistic(table, **kwargs)
    assert statistic(reliability_data(table), **kwargs) == expected
    transposed = reliability_data(np.array(table).T, layout="units-by-coders")
    assert statistic(transposed, **kwargs) == expected
