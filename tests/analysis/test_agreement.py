"""Agreement statistics against published worked examples, plus their errors, bands and intervals.

Cross-checks against reference packages and the properties every statistic shares are in
``test_agreement_properties.py``.
"""

from __future__ import annotations

import csv
import doctest
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest

from thematica.analysis import _bootstrap, _coincidence, _interpretation, _reliability, agreement
from thematica.analysis._coincidence import LEVELS, coincidence_matrix
from thematica.analysis.agreement import (
    bootstrap_ci,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    interpret,
    krippendorff_alpha,
    percent_agreement,
    reliability_data,
    scott_pi,
)
from thematica.errors import InvalidInputError, UndefinedStatisticWarning

NAN = math.nan
SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "../shared/samples/agreement/reliability_data_3coders_15units.csv"
)

#: Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: 4 coders (rows)
#: × 12 units, with missing values.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]

#: Fleiss (1971), table 1: 30 patients (rows) × 6 psychiatrists' diagnoses, 1 depression,
#: 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other (the R package irr's `diagnoses`).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip

#: Wikipedia, "Fleiss' kappa", worked example: 10 subjects (rows) × how many of 14 raters chose
#: each of 5 categories.
WIKIPEDIA_FLEISS_COUNTS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def _pairs_from_table(table: list[list[int]]) -> list[list[int]]:
    """Two coders' ratings (coders × units) from a contingency table (rows: coder 1)."""
    first: list[int] = []
    second: list[int] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            first += [i + 1] * count
            second += [j + 1] * count
    return [first, second]


def _read_sample() -> list[list[int | None]]:
    if not SAMPLE.parent.is_dir():
        pytest.skip(f"../shared/samples/agreement is absent (looked in {SAMPLE.parent})")
    with SAMPLE.open(newline="") as handle:
        rows = list(csv.reader(handle))
    return [[int(cell) if cell.strip() else None for cell in row[1:]] for row in rows[1:]]


# Published worked examples -----------------------------------------------------------------------


def test_shared_sample_matches_krippendorffs_published_values() -> None:
    data = _read_sample()  # coders × units, blank = missing
    assert (len(data), len(data[0])) == (3, 15)
    assert round(krippendorff_alpha(data, level="nominal"), 6) == 0.691358
    assert round(krippendorff_alpha(data, level="interval"), 6) == 0.810845


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level: str, published: float) -> None:
    value = krippendorff_alpha(KRIPPENDORFF_2011, level=level)  # type: ignore[arg-type]
    assert round(value, 3) == published
    reference = krippendorff.alpha(np.array(KRIPPENDORFF_2011), level_of_measurement=level)
    assert value == pytest.approx(reference, rel=1e-12)


def test_krippendorff_2011_coincidence_matrix() -> None:
    # Krippendorff (2011), section C.2: the coincidence matrix, with n_c = 9, 13, 10, 5, 3; n = 40.
    third = 1 / 3
    published = [
        [7, 4 * third, third, third, 0],
        [4 * third, 10, 4 * third, third, 0],
        [third, 4 * third, 8, third, 0],
        [third, third, third, 4, 0],
        [0, 0, 0, 0, 3],
    ]
    matrix = coincidence_matrix(reliability_data(KRIPPENDORFF_2011))
    np.testing.assert_allclose(matrix, published, atol=1e-12)
    np.testing.assert_allclose(matrix.sum(axis=0), [9, 13, 10, 5, 3])


def test_fleiss_1971_psychiatric_diagnoses() -> None:
    # Fleiss (1971), p. 381: kappa = .430 over 30 patients, 6 raters, 5 diagnoses.
    value = fleiss_kappa(reliability_data(FLEISS_1971, layout="units-by-coders"))
    assert round(value, 3) == 0.430


def test_wikipedia_fleiss_example() -> None:
    # Wikipedia, "Fleiss' kappa", worked example: P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
    units = [
        [category for category, n in enumerate(counts, start=1) for _ in range(n)]
        for counts in WIKIPEDIA_FLEISS_COUNTS
    ]
    data = reliability_data(units, layout="units-by-coders")
    assert round(fleiss_kappa(data), 3) == 0.210
    assert round(percent_agreement(data), 3) == 0.378


def test_cohen_kappa_two_by_two_example() -> None:
    # Wikipedia, "Cohen's kappa", simple example: 50 grant proposals read by two readers,
    # 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    data = _pairs_from_table([[20, 5], [10, 15]])
    assert cohen_kappa(data) == pytest.approx(0.4, abs=1e-12)
    assert percent_agreement(data) == pytest.approx(0.7, abs=1e-12)


def test_cohen_kappa_sas_example_unweighted_and_weighted() -> None:
    # SAS PROC FREQ agreement example (3 × 3), printed to 4 decimals: simple kappa 0.4842,
    # weighted kappa 0.4701 with Cicchetti-Allison weights (equivalent to linear weights).
    data = _pairs_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    assert round(cohen_kappa(data), 4) == 0.4842
    assert round(cohen_kappa(data, weights="linear"), 4) == 0.4701


def test_docstring_examples_run() -> None:
    for module in (agreement, _reliability, _bootstrap, _interpretation):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        assert result.attempted > 0, module.__name__


def test_public_surface_is_explicit_and_documented() -> None:
    assert sorted(agreement.__all__) == sorted(
        ["Layout", "Level", "ReliabilityData", "ReliabilityInput", "Weights", "bootstrap_ci",
         "cohen_kappa", "fleiss_kappa", "gwet_ac1", "interpret", "krippendorff_alpha",
         "percent_agreement", "reliability_data", "scott_pi"]
    )  # fmt: skip
    assert all(hasattr(agreement, name) for name in agreement.__all__)
    for function in (percent_agreement, cohen_kappa, scott_pi, fleiss_kappa, krippendorff_alpha,
                     gwet_ac1, bootstrap_ci):  # fmt: skip
        doc = function.__doc__ or ""
        for part in ("Parameters", "Returns", "References", "Examples"):
            assert part in doc, (function.__name__, part)


# Errors and undefined values ---------------------------------------------------------------------


def test_two_coder_statistics_refuse_other_numbers_of_coders() -> None:
    three = [[1, 2], [1, 2], [2, 2]]
    for statistic in (cohen_kappa, scott_pi):
        with pytest.raises(InvalidInputError, match="exactly two coders, but the data have 3"):
            statistic(three)


#: irrCAC (Gwet's R package) on its own data set ``cac.raw4raters`` (the Krippendorff 2011 example
#: above, as 12 subjects × 4 raters), as printed in the package's README and in its vignette
#: "irrCAC: Calculating Chance-corrected Agreement Coefficients" (CRAN, irrCAC 1.0, 2019):
#: ``pa.coeff.raw``, ``gwet.ac1.raw``, ``fleiss.kappa.raw`` and ``krippen.alpha.raw``, each
#: ``$est``: percent agreement pa, chance agreement pe and the coefficient, to the digits shown.
IRRCAC_RAW4RATERS = {
    "pa": 0.8181818,
    "ac1_pe": 0.1903212,
    "ac1": 0.77544,
    "fleiss_pe": 0.2387153,
    "fleiss": 0.76117,
    "alpha": 0.74342,
}


def test_gwet_ac1_matches_irrcac_on_cac_raw4raters() -> None:
    published = IRRCAC_RAW4RATERS
    value = gwet_ac1(KRIPPENDORFF_2011)
    assert percent_agreement(KRIPPENDORFF_2011) == pytest.approx(published["pa"], abs=5e-8)
    # AC1 = (pa - pe) / (1 - pe): the published pe pins the chance term, not only the result.
    pa = percent_agreement(KRIPPENDORFF_2011)
    pe = (pa - value) / (1.0 - value)
    assert pe == pytest.approx(published["ac1_pe"], abs=5e-8)
    assert value == pytest.approx(published["ac1"], abs=5e-6)


def test_fleiss_kappa_with_missing_ratings_matches_irrcac() -> None:
    """Units rated by 1 to 4 of the raters are used as irrCAC uses them, not refused."""
    published = IRRCAC_RAW4RATERS
    value = fleiss_kappa(KRIPPENDORFF_2011)
    pa = percent_agreement(KRIPPENDORFF_2011)
    pe = (pa - value) / (1.0 - value)
    assert pe == pytest.approx(published["fleiss_pe"], abs=5e-8)
    assert value == pytest.approx(published["fleiss"], abs=5e-6)
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(published["alpha"], abs=5e-6)


def test_fleiss_kappa_with_every_unit_rated_equally_is_fleiss_1971() -> None:
    """Gwet's generalisation reduces to Fleiss (1971) when no rating is missing: the same figure
    as the classic formula written out here."""
    counts = np.array(WIKIPEDIA_FLEISS_COUNTS, dtype=float)
    n, m = counts.shape[0], counts.sum(axis=1)[0]
    p_bar = float(np.mean((counts * (counts - 1)).sum(axis=1) / (m * (m - 1))))
    p_e = float(((counts.sum(axis=0) / (n * m)) ** 2).sum())
    units = [[c for c, k in enumerate(row) for _ in range(int(k))] for row in counts]
    data = reliability_data(units, layout="units-by-coders")
    assert fleiss_kappa(data) == pytest.approx((p_bar - p_e) / (1 - p_e), abs=1e-12)


def test_fleiss_kappa_skips_units_nobody_rated() -> None:
    with_gap = [[1, None, 2, 1], [1, None, 2, 2]]
    assert fleiss_kappa(with_gap) == pytest.approx(fleiss_kappa([[1, 2, 1], [1, 2, 2]]))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cohen_kappa([[1], [1]], weights="cubic"), "weights must be"),  # type: ignore[arg-type]
        (lambda: cohen_kappa([["a", 1], [1, "a"]], weights="linear"), "sorted"),
        (lambda: krippendorff_alpha([[1], [1]], level="absolute"), "level must be one of"),  # type: ignore[arg-type]
        (lambda: krippendorff_alpha([["a", "b"], ["b", "a"]], level="interval"), "numbers"),
        (lambda: krippendorff_alpha([["a", "b"], ["b", "a"]], level="ratio"), "numbers"),
        (lambda: krippendorff_alpha([["a", 2], [2, "a"]], level="ordinal"), "sorted"),
        (lambda: krippendorff_alpha([[-1, 2], [2, -1]], level="ratio"), "non-negative"),
    ],
)
def test_bad_options_raise_clear_errors(call: Callable[[], float], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        call()


def test_undefined_message_says_why() -> None:
    with pytest.warns(UndefinedStatisticWarning, match="alpha is undefined: no unit was rated"):
        assert math.isnan(krippendorff_alpha([[1, None], [None, 2]]))
    with pytest.warns(UndefinedStatisticWarning, match="same category"):
        assert math.isnan(cohen_kappa([["a", "a"], ["a", "a"]]))
    with pytest.warns(UndefinedStatisticWarning, match="only one category"):
        assert math.isnan(gwet_ac1([["a", "a"], ["a", "a"]]))


def test_cohen_kappa_drops_units_either_coder_left_unrated() -> None:
    assert cohen_kappa([[1, 2, None, 1], [1, 2, 2, None]]) == 1.0


def test_ordinal_alpha_sorts_string_labels() -> None:
    words = [["a-low", "b-mid", "c-high"], ["a-low", "c-high", "c-high"]]
    numbers = [[1, 2, 3], [1, 3, 3]]
    assert krippendorff_alpha(words, level="ordinal") == krippendorff_alpha(
        numbers, level="ordinal"
    )


@pytest.mark.parametrize("level", LEVELS)
def test_many_categories_use_coder_pairs_with_the_same_result(
    level: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(7)
    table = np.round(rng.gamma(2.0, 3.0, size=(4, 60)), 1)  # continuous: many distinct values
    table[rng.random(table.shape) < 0.2] = NAN
    data = reliability_data(table)
    dense = krippendorff_alpha(data, level=level)  # type: ignore[arg-type]
    dense_matrix = coincidence_matrix(data)
    monkeypatch.setattr(_reliability, "_DENSE_FACTOR", 0)
    monkeypatch.setattr(_reliability, "_DENSE_FLOOR", 0)
    monkeypatch.setattr(_coincidence, "_BLOCK_ELEMENTS", 1000)  # ratio: several row blocks
    assert krippendorff_alpha(data, level=level) == pytest.approx(dense, rel=1e-10)  # type: ignore[arg-type]
    np.testing.assert_allclose(coincidence_matrix(data), dense_matrix, atol=1e-12)
    reference = krippendorff.alpha(table, level_of_measurement=level)
    assert dense == pytest.approx(reference, rel=1e-9)


def _force_coder_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_reliability, "_DENSE_FACTOR", 0)
    monkeypatch.setattr(_reliability, "_DENSE_FLOOR", 0)


def test_every_statistic_gives_the_same_value_by_coder_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(11)
    tables = []
    for _ in range(40):
        table = rng.integers(0, 4, size=(int(rng.integers(2, 6)), 25)).astype(float)
        table[rng.random(table.shape) < 0.25] = NAN
        tables.append(table)
    statistics: list[tuple[Callable[..., float], dict[str, Any]]] = [
        (percent_agreement, {}),
        (gwet_ac1, {}),
        *((krippendorff_alpha, {"level": level}) for level in LEVELS),
    ]
    dense = [[f(t, **kw) for f, kw in statistics] for t in tables]
    _force_coder_pairs(monkeypatch)
    by_pairs = [[f(t, **kw) for f, kw in statistics] for t in tables]
    np.testing.assert_allclose(by_pairs, dense, rtol=1e-12)


@pytest.mark.parametrize("level", LEVELS)
def test_nothing_rated_is_undefined_on_either_route(
    level: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for force in (False, True):
        if force:
            _force_coder_pairs(monkeypatch)
        with pytest.warns(UndefinedStatisticWarning, match="no unit was rated"):
            assert math.isnan(krippendorff_alpha([[None] * 3] * 2, level=level))  # type: ignore[arg-type]


# Interpretation bands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statistic", "value", "band"),
    [
        ("cohen", -0.01, "poor"),
        ("cohen_kappa", 0.0, "slight"),
        ("fleiss", 0.20, "slight"),
        ("scott_pi", 0.205, "fair"),
        ("ac1", 0.40, "fair"),
        ("gwet_ac1", 0.41, "moderate"),
        ("fleiss_kappa", 0.60, "moderate"),
        ("scott", 0.61, "substantial"),
        ("cohen", 0.80, "substantial"),
        ("cohen", 0.81, "almost perfect"),
        ("cohen", 1.0, "almost perfect"),
        ("alpha", 0.5, "unacceptable"),
        ("alpha", 0.666, "unacceptable"),
        ("krippendorff_alpha", 0.667, "tentative"),
        ("alpha", 0.799, "tentative"),
        ("alpha", 0.8, "acceptable"),
        ("alpha", NAN, "undefined"),
        ("percent", 0.95, None),
        ("percent_agreement", 0.5, None),
    ],
)
def test_interpret_bands(statistic: str, value: float, band: str | None) -> None:
    assert interpret(statistic, value) == band


def test_interpret_takes_the_function_and_refuses_nonsense() -> None:
    assert interpret(fleiss_kappa, 0.7) == "substantial"
    with pytest.raises(InvalidInputError, match="no interpretation for 'icc'"):
        interpret("icc", 0.5)
    with pytest.raises(InvalidInputError, match="cannot exceed 1"):
        interpret("alpha", 1.5)


# Bootstrap ---------------------------------------------------------------------------------------


def _simulated(n_units: int, seed: int) -> np.ndarray:
    """Three coders who agree on about 80% of units, five categories."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=n_units)
    table = np.tile(truth, (3, 1)).astype(float)
    noise = rng.random(table.shape) < 0.2
    table[noise] = rng.integers(1, 6, size=int(noise.sum()))
    return table


def test_bootstrap_is_reproducible_with_a_seed() -> None:
    data = _simulated(60, seed=1)
    first = bootstrap_ci(data, krippendorff_alpha, n_boot=200, seed=5)
    assert bootstrap_ci(data, krippendorff_alpha, n_boot=200, seed=5) == first
    assert bootstrap_ci(data, krippendorff_alpha, n_boot=200, seed=6) != first


@pytest.mark.parametrize(
    ("statistic", "kwargs"),
    [
        (krippendorff_alpha, {"level": "interval"}),
        (fleiss_kappa, {}),
        (gwet_ac1, {}),
        (percent_agreement, {}),
    ],
)
def test_bootstrap_interval_contains_the_estimate(
    statistic: Callable[..., float], kwargs: dict[str, Any]
) -> None:
    data = _simulated(80, seed=2)
    low, high = bootstrap_ci(data, statistic, n_boot=300, **kwargs)
    assert low < statistic(data, **kwargs) < high <= 1.0


def test_bootstrap_interval_is_the_percentile_quantiles_of_the_replicates() -> None:
    """The documented algorithm, redone here: ``n_boot`` draws of ``n_units`` units from
    ``default_rng(seed)``, the interval the 2.5% and 97.5% quantiles. Taking the replicates'
    minimum and maximum instead (or any other pair of order statistics) fails."""
    data = reliability_data(_simulated(50, seed=4))
    rng = np.random.default_rng(7)
    replicates = np.array(
        [
            krippendorff_alpha(data.take_units(rng.integers(0, data.n_units, size=data.n_units)))
            for _ in range(400)
        ]
    )
    low, high = bootstrap_ci(data, krippendorff_alpha, n_boot=400, seed=7)
    assert (low, high) == pytest.approx(tuple(np.quantile(replicates, [0.025, 0.975])), abs=1e-12)
    assert replicates.min() < low < high < replicates.max()
    narrow = bootstrap_ci(data, krippendorff_alpha, n_boot=400, seed=7, confidence=0.5)
    assert narrow == pytest.approx(tuple(np.quantile(replicates, [0.25, 0.75])), abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kappas_vectorised_bootstrap_is_the_loops_interval(seed: int) -> None:
    """Cohen's kappa resamples every replicate at once; the interval is the one the loop over
    replicates gives from the same draws (missing ratings and a category one coder never used
    included, and replicates where kappa is undefined left out alike)."""
    rng = np.random.default_rng(seed)
    table = rng.integers(0, 3, size=(2, 40)).astype(float)
    table[1, table[0] == 2] = 1  # coder 2 never uses category 2
    table[rng.random(table.shape) < 0.15] = np.nan
    data = reliability_data(table)
    draws = np.random.default_rng(seed + 10)
    replicates = np.array(
        [
            _quiet_kappa(data.take_units(draws.integers(0, data.n_units, size=data.n_units)))
            for _ in range(300)
        ]
    )
    defined = replicates[~np.isnan(replicates)]
    expected = tuple(np.quantile(defined, [0.025, 0.975]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)
        found = bootstrap_ci(data, cohen_kappa, n_boot=300, seed=seed + 10)
    assert found == pytest.approx(expected, abs=1e-12)
    assert _bootstrap._REPLICATES[cohen_kappa] is _bootstrap.kappa_replicates


def _quiet_kappa(data: Any) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)
        return cohen_kappa(data)


def test_bootstrap_interval_narrows_with_more_units() -> None:
    small = bootstrap_ci(_simulated(40, seed=3), krippendorff_alpha, n_boot=300)
    large = bootstrap_ci(_simulated(640, seed=3), krippendorff_alpha, n_boot=300)
    assert large[1] - large[0] < (small[1] - small[0]) / 2


def test_bootstrap_reports_undefined_data_and_replicates() -> None:
    with pytest.warns(UndefinedStatisticWarning, match="no unit was rated"):
        low, high = bootstrap_ci([[1, None], [None, 2]], krippendorff_alpha, n_boot=10)
    assert math.isnan(low) and math.isnan(high)
    mostly_one = [[1] * 9 + [2], [1] * 9 + [2]]  # many replicates draw only category 1
    with pytest.warns(UndefinedStatisticWarning, match="undefined on .* of 100 bootstrap"):
        low, high = bootstrap_ci(mostly_one, krippendorff_alpha, n_boot=100)
    assert low == high == 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_boot": 0}, "n_boot"), ({"confidence": 1.0}, "confidence"), ({"n_boot": 2.5}, "n_boot")],
)
def test_bootstrap_refuses_bad_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        bootstrap_ci([[1, 2], [1, 2]], krippendorff_alpha, **kwargs)
