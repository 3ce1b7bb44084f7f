"""Code saturation: the first-appearance curve and Guest, Namey and Chen (2020), by hand."""

from __future__ import annotations

import doctest
import itertools
import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import saturation
from thematica.analysis.records import DocumentRecord, SegmentRecord
from thematica.analysis.saturation import code_saturation, saturation_curve
from thematica.errors import InvalidInputError, UndefinedStatisticWarning


def study(
    found: list[str], *, coder: str = "Ann"
) -> tuple[list[SegmentRecord], list[DocumentRecord]]:
    """Interview ``i`` (1-based) holds one coding of each letter in ``found[i - 1]``."""
    documents = [DocumentRecord(f"I{i:02d}", f"P{i}", i, 10) for i in range(1, len(found) + 1)]
    segments = [
        SegmentRecord(f"I{i:02d}", f"P{i}", f"{c.upper()} > {c}", c.upper(), coder, 0, 1, "x")
        for i, codes in enumerate(found, start=1)
        for c in codes
    ]
    return segments, documents


# Base (interviews 1-4) finds 20 codes; 5 adds two, 7 adds one.
REACHED = ["abcde", "fgh", "abij", "klmnopqrst", "uv", "ab", "w", "a"]


def test_curve_records_first_appearances_in_interview_order() -> None:
    segments, documents = study(REACHED)
    steps = saturation_curve(segments, list(reversed(documents)))
    assert [s.document for s in steps] == [f"I{i:02d}" for i in range(1, 9)]
    assert [s.new for s in steps] == [5, 3, 2, 10, 2, 0, 1, 0]
    assert [s.cumulative for s in steps] == [5, 8, 10, 20, 22, 22, 23, 23]
    assert [s.codes for s in steps] == [5, 3, 4, 10, 2, 2, 1, 1]
    assert steps[2].new_codes == ("I > i", "J > j")
    assert (steps[0].position, steps[0].participant) == (1, "P1")


def test_ties_in_order_are_broken_by_name_and_empty_interviews_kept() -> None:
    documents = [DocumentRecord("B", None, 1, 5), DocumentRecord("A", None, 1, 5)]
    segments = [SegmentRecord("B", None, "X", "X", "Ann", 0, 1, "x")]
    steps = saturation_curve(segments, documents)
    assert [(s.document, s.new, s.cumulative) for s in steps] == [("A", 0, 0), ("B", 1, 1)]


def test_guest_namey_chen_with_the_default_settings() -> None:
    segments, documents = study(REACHED)
    result = code_saturation(segments, documents)
    assert (result.base_size, result.run_length, result.threshold) == (4, 2, 0.05)
    assert result.base_codes == 20
    # Runs roll forward one interview at a time after a fixed base.
    assert [(r.first, r.last, len(r.new_codes), r.ratio) for r in result.runs] == [
        (5, 6, 2, 0.10),
        (6, 7, 1, 0.05),
        (7, 8, 1, 0.05),
    ]
    assert [r.meets_threshold for r in result.runs] == [False, True, True]
    assert result.reached
    assert result.saturation_point == 5
    assert result.confirmed_by == result.runs[1]
    assert result.confirmed_by.new_codes == ("W > w",)
    assert result.verdict == (
        "Guest, Namey and Chen (2020) saturation, base 4, run 2, threshold 5%: reached after "
        "interview 5 of 8. Interviews 6-7 added 1 new code(s), 5.0% of the 20 codes in the base "
        "(interviews 1-4). This is a heuristic about the codes in this coding, not proof that "
        "further interviews would add nothing; it depends on the interview order and on how "
        "finely the data were coded."
    )
    assert result.first_appearance["W > w"] == 7
    assert result.new_per_interview == (5, 3, 2, 10, 2, 0, 1, 0)
    assert result.cumulative[-1] == 23
    assert result.share_within(4) == pytest.approx(20 / 23)
    assert result.share_within(8) == 1.0


def test_the_verdict_says_which_interviews_in_which_order() -> None:
    segments, documents = study(REACHED)
    result = code_saturation(
        segments, documents, ordered_by="the 8 coded interviews in order of interview date"
    )
    assert result.verdict.startswith(
        "Guest, Namey and Chen (2020) saturation, base 4, run 2, threshold 5%, over the 8 coded "
        "interviews in order of interview date: reached after interview 5 of 8."
    )
    too_few = code_saturation(segments[:3], documents[:3], ordered_by="the 3 in import order")
    assert "threshold 5%, over the 3 in import order: cannot be assessed" in too_few.verdict


def test_stricter_settings_are_not_met() -> None:
    segments, documents = study(REACHED)
    strict = code_saturation(segments, documents, threshold=0.0)
    assert not strict.reached and strict.saturation_point is None and strict.confirmed_by is None
    assert "not reached in 8 interviews" in strict.verdict
    assert "(the last, interviews 7-8, added 1, 5.0% of the 20 codes in the base)" in strict.verdict
    assert "heuristic" in strict.verdict
    longer = code_saturation(segments, documents, run_length=3)
    assert [(r.first, r.last, len(r.new_codes)) for r in longer.runs] == [(5, 7, 3), (6, 8, 1)]
    assert longer.saturation_point == 5
    wider = code_saturation(segments, documents, base_size=5, run_length=2)
    assert wider.base_codes == 22
    assert [len(r.new_codes) for r in wider.runs] == [1, 1]
    assert wider.saturation_point == 5  # 1 of 22 = 4.5%


def test_not_reached_when_every_run_brings_new_codes() -> None:
    segments, documents = study(["abcdefghij", "klmnopqrst", "", "", "AB", "CD", "EF"])
    # Upper-case letters make new code paths ("A > A" differs from "A > a").
    result = code_saturation(segments, documents)
    assert [r.ratio for r in result.runs] == [0.2, 0.2]
    assert not result.reached
    assert "not reached in 7 interviews" in result.verdict


def test_too_few_interviews_cannot_be_assessed() -> None:
    segments, documents = study(["ab", "c", "d", "e", "f"])
    result = code_saturation(segments, documents)
    assert result.runs == () and not result.reached
    assert "cannot be assessed: it needs at least 6 interviews" in result.verdict
    assert "5 were given" in result.verdict
    assert len(result.steps) == 5


def test_a_base_without_codes_warns_and_cannot_be_assessed() -> None:
    segments, documents = study(["", "", "", "", "a", ""])
    with pytest.warns(UndefinedStatisticWarning, match="base"):
        result = code_saturation(segments, documents)
    assert result.base_codes == 0
    assert len(result.runs) == 1 and math.isnan(result.runs[0].ratio)
    assert not result.reached
    assert "cannot be assessed: the base (interviews 1-4) holds no codes" in result.verdict


def test_no_codings_at_all() -> None:
    with pytest.warns(UndefinedStatisticWarning):
        result = code_saturation([], [DocumentRecord(f"I{i}", None, i, 1) for i in range(6)])
    assert result.cumulative == (0,) * 6
    assert math.isnan(result.share_within(6))


def test_theme_level_and_coder_restriction() -> None:
    segments, documents = study(REACHED)
    themes = code_saturation(segments, documents, level="theme")
    assert themes.cumulative == (5, 8, 10, 20, 22, 22, 23, 23)  # one code per theme here
    other, _ = study(["zz"] * 8, coder="Ben")
    only_ann = code_saturation([*segments, *other], documents, coders="Ann")
    assert only_ann.cumulative == (5, 8, 10, 20, 22, 22, 23, 23)


def test_invalid_settings_and_inputs() -> None:
    segments, documents = study(REACHED)
    with pytest.raises(InvalidInputError, match="at least 1"):
        code_saturation(segments, documents, base_size=0)
    with pytest.raises(InvalidInputError, match="at least 1"):
        code_saturation(segments, documents, run_length=0)
    with pytest.raises(InvalidInputError, match="threshold"):
        code_saturation(segments, documents, threshold=5)
    with pytest.raises(InvalidInputError, match="share a name"):
        saturation_curve([], [documents[0], documents[0]])
    with pytest.raises(InvalidInputError, match="X9"):
        saturation_curve([SegmentRecord("X9", None, "A", "A", "Ann", 0, 1, "x")], documents)


INTERVIEWS = st.lists(st.text(alphabet="abcdefgh", max_size=5), max_size=14)


@settings(max_examples=200, deadline=None)
@given(
    INTERVIEWS,
    st.integers(1, 5),
    st.integers(1, 3),
    st.sampled_from([0.0, 0.05, 0.2]),
)
def test_curve_is_monotone_and_runs_follow_the_definition(
    found: list[str], base_size: int, run_length: int, threshold: float
) -> None:
    segments, documents = study(found)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)  # a base without codes
        result = code_saturation(
            segments, documents, base_size=base_size, run_length=run_length, threshold=threshold
        )
    cumulative = result.cumulative
    assert all(a <= b for a, b in itertools.pairwise(cumulative))
    assert sum(result.new_per_interview) == len(result.first_appearance) == (cumulative or (0,))[-1]
    for run in result.runs:
        assert run.last - run.first + 1 == run_length and run.first == base_size + 1 + (
            result.runs.index(run)
        )
        if result.base_codes:
            assert run.ratio == len(run.new_codes) / result.base_codes
            assert run.meets_threshold == (len(run.new_codes) <= threshold * result.base_codes)
    assert result.reached == any(run.meets_threshold for run in result.runs)
    if result.reached:
        assert result.confirmed_by is not None
        assert result.saturation_point == result.confirmed_by.first - 1
    assert "heuristic" in result.verdict


def test_doctests_run() -> None:
    result = doctest.testmod(saturation)
    assert result.attempted > 0 and result.failed == 0


def test_public_surface() -> None:
    assert sorted(saturation.__all__) == [
        "InterviewStep",
        "SaturationResult",
        "SaturationRun",
        "code_saturation",
        "saturation_curve",
    ]
