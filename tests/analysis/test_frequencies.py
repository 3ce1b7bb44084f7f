"""Code frequencies, text coverage without double counting, co-occurrence and its layout."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import frequencies
from thematica.analysis.frequencies import (
    CoOccurrence,
    Coverage,
    NetworkEdge,
    circle_layout,
    co_occurrence,
    code_frequencies,
    text_coverage,
)
from thematica.analysis.records import (
    NOT_RECORDED,
    DocumentRecord,
    ParticipantRecord,
    SegmentRecord,
)
from thematica.errors import InvalidInputError, SpanError, UndefinedStatisticWarning

SUP = "Support > Supervision"
TRAIN = "Support > Training"
PAY = "Systemic > Pay"


def seg(
    document: str,
    participant: str | None,
    code: str,
    coder: str,
    start: int,
    end: int,
    turn: int | None = None,
) -> SegmentRecord:
    theme = code.split(" > ")[0]
    return SegmentRecord(document, participant, code, theme, coder, start, end, "x", turn=turn)


PEOPLE = [
    ParticipantRecord("P1", attributes={"setting": ("NHS", "VCFSE")}),
    ParticipantRecord("P2", attributes={"setting": ("NHS",)}),
    ParticipantRecord("P3"),
]
DOCUMENTS = [
    DocumentRecord("T1", "P1", 1, 100),
    DocumentRecord("T2", "P2", 2, 200),
    DocumentRecord("T3", "P3", 3, 100),  # nobody coded it
    DocumentRecord("FG", None, 4, 100),  # a focus group with no participant
]
CODED = [
    seg("T1", "P1", SUP, "Ann", 0, 40, turn=0),
    seg("T1", "P1", PAY, "Ann", 20, 60, turn=0),  # overlaps the first: union 0-60
    seg("T1", "P1", SUP, "Ben", 10, 30, turn=0),  # nested in the first
    seg("T1", "P1", TRAIN, "Ben", 80, 90, turn=2),
    seg("T2", "P2", SUP, "Ann", 0, 50, turn=1),
    seg("T2", "P2", SUP, "Ann", 100, 150, turn=3),
    seg("T2", "P2", PAY, "Ann", 120, 130, turn=3),
    seg("FG", None, PAY, "Ben", 0, 10),
]


def test_codings_participants_and_documents_per_code() -> None:
    found = {f.code: f for f in code_frequencies(CODED, PEOPLE, by="setting")}
    assert list(found) == [SUP, TRAIN, PAY]
    sup = found[SUP]
    assert (sup.codings, sup.participants, sup.documents) == (4, 2, 2)
    assert sup.by_coder == {"Ann": 3, "Ben": 1}
    assert sup.by_group == {"NHS": 2, "VCFSE": 1, NOT_RECORDED: 0}
    pay = found[PAY]
    assert (pay.codings, pay.participants, pay.documents) == (3, 2, 3)


def test_frequencies_by_theme_and_coder() -> None:
    found = code_frequencies(CODED, level="theme", coders="Ben")
    assert [(f.code, f.codings, f.participants) for f in found] == [
        ("Support", 2, 1),
        ("Systemic", 1, 0),
    ]
    assert found[0].by_group == {}
    assert code_frequencies([]) == ()
    with pytest.raises(InvalidInputError, match="participants"):
        code_frequencies(CODED, by="setting")


def test_coverage_counts_overlaps_once() -> None:
    report = text_coverage(CODED, DOCUMENTS, PEOPLE, by="setting")
    # T1: 0-60 and 80-90 = 70 of 100; T2: 0-50 and 100-150 = 100 of 200; FG: 10 of 100.
    assert report.documents == {
        "T1": Coverage(70, 100),
        "T2": Coverage(100, 200),
        "T3": Coverage(0, 100),
        "FG": Coverage(10, 100),
    }
    assert report.overall == Coverage(180, 500)
    assert report.overall.share == pytest.approx(0.36)


def test_coverage_per_coder_is_over_the_documents_they_coded() -> None:
    report = text_coverage(CODED, DOCUMENTS)
    # Ann coded T1 (0-60) and T2 (0-50, 100-150); Ben coded T1 (10-30, 80-90) and FG (0-10).
    assert report.coders == {"Ann": Coverage(160, 300), "Ben": Coverage(40, 200)}


def test_coverage_per_code_is_over_the_whole_corpus() -> None:
    report = text_coverage(CODED, DOCUMENTS)
    assert report.codes == {
        SUP: Coverage(40 + 100, 500),
        TRAIN: Coverage(10, 500),
        PAY: Coverage(40 + 10 + 10, 500),
    }
    by_theme = text_coverage(CODED, DOCUMENTS, level="theme")
    assert by_theme.codes["Support"] == Coverage(40 + 10 + 100, 500)


def test_coverage_by_attribute_is_multi_valued() -> None:
    groups = text_coverage(CODED, DOCUMENTS, PEOPLE, by="setting").groups
    assert groups == {
        "NHS": Coverage(170, 300),  # T1 (P1) and T2 (P2)
        "VCFSE": Coverage(70, 100),  # T1 (P1 holds both settings)
        NOT_RECORDED: Coverage(10, 200),  # T3 (P3 has no setting) and FG (no participant)
    }


def test_coverage_restricted_to_a_coder() -> None:
    report = text_coverage(CODED, DOCUMENTS, coders="Ben")
    assert report.overall == Coverage(40, 500)
    assert set(report.coders) == {"Ben"}


def test_coverage_errors_and_empty_text() -> None:
    with pytest.raises(SpanError, match=r"T3: span \[90, 101\): .*past the end"):
        text_coverage([seg("T3", "P3", SUP, "Ann", 90, 101)], DOCUMENTS)
    with pytest.raises(InvalidInputError, match="T9"):
        text_coverage([seg("T9", "P3", SUP, "Ann", 0, 1)], DOCUMENTS)
    with pytest.raises(InvalidInputError, match="participants"):
        text_coverage(CODED, DOCUMENTS, by="setting")
    with pytest.warns(UndefinedStatisticWarning, match="no text"):
        report = text_coverage([], [DocumentRecord("E", None, 1, 0)])
    assert math.isnan(report.overall.share)
    with pytest.raises(InvalidInputError):
        DocumentRecord("E", None, 1, -1)


@st.composite
def coded_documents(draw: st.DrawFn) -> tuple[list[SegmentRecord], list[DocumentRecord]]:
    lengths = draw(st.lists(st.integers(1, 60), min_size=1, max_size=4))
    documents = [DocumentRecord(f"D{i}", None, i, n) for i, n in enumerate(lengths)]
    segments = []
    for _ in range(draw(st.integers(0, 25))):
        d = draw(st.integers(0, len(lengths) - 1))
        start = draw(st.integers(0, lengths[d] - 1))
        end = draw(st.integers(start + 1, lengths[d]))
        code, coder = draw(st.sampled_from("ABC")), draw(st.sampled_from(["Ann", "Ben"]))
        segments.append(seg(f"D{d}", None, code, coder, start, end))
    return segments, documents


@settings(max_examples=200, deadline=None)
@given(coded_documents())
def test_coverage_is_the_size_of_the_union(
    data: tuple[list[SegmentRecord], list[DocumentRecord]],
) -> None:
    segments, documents = data
    report = text_coverage(segments, documents)
    for document in documents:
        marked: set[int] = set()
        for s in segments:
            if s.document == document.name:
                marked.update(range(s.start, s.end))
        assert report.documents[document.name].coded == len(marked)
        assert 0 <= report.documents[document.name].share <= 1
    assert 0 <= report.overall.share <= 1
    for part in (*report.coders.values(), *report.codes.values()):
        assert 0 <= part.coded <= part.characters


def test_co_occurrence_within_turns() -> None:
    co = co_occurrence(CODED)
    assert co.codes == (SUP, TRAIN, PAY)
    # Units, a turn as one coder coded it: Ann T1/0 {SUP, PAY}, Ben T1/0 {SUP}, Ben T1/2
    # {TRAIN}, Ann T2/1 {SUP}, Ann T2/3 {SUP, PAY}; FG has no turns.
    assert co.counts.tolist() == [[4, 0, 2], [0, 1, 0], [2, 0, 2]]
    assert (co.units, co.skipped, co.within) == (5, 1, "turn")
    assert co.count(PAY, SUP) == 2
    assert co.pairs() == ((SUP, PAY, 2),)


def test_codes_co_occur_within_one_coder_never_across_coders() -> None:
    # Ann codes the theme and Ben the sub-code on the same turn: a disagreement, not a pair.
    across = [
        SegmentRecord("T1", "P1", "Support", "Support", "Ann", 0, 9, "x", turn=0),
        SegmentRecord("T1", "P1", SUP, "Support", "Ben", 0, 9, "x", turn=0),
    ]
    co = co_occurrence(across, codes=["Support", SUP])
    assert co.count("Support", SUP) == 0
    assert co.counts.tolist() == [[1, 0], [0, 1]] and co.units == 2
    by_document = co_occurrence(across, within="document", codes=["Support", SUP])
    assert by_document.count("Support", SUP) == 0
    # The same codes from one coder (or one layer) on that turn do co-occur.
    within = [
        s
        if s.coder == "Ann"
        else SegmentRecord("T1", "P1", SUP, "Support", "Ann", 0, 9, "x", turn=0)
        for s in across
    ]
    assert co_occurrence(within, codes=["Support", SUP]).count("Support", SUP) == 1


def test_co_occurrence_within_documents() -> None:
    co = co_occurrence(CODED, within="document")
    # Ann T1 {SUP, PAY}, Ben T1 {SUP, TRAIN}, Ann T2 {SUP, PAY}, Ben FG {PAY}: a unit counts
    # once per pair, and Ann's PAY never meets Ben's TRAIN.
    assert co.counts.tolist() == [[3, 1, 2], [1, 1, 0], [2, 0, 3]]
    assert (co.units, co.skipped) == (4, 0)
    assert co.pairs() == ((SUP, PAY, 2), (SUP, TRAIN, 1))


def test_co_occurrence_options() -> None:
    themes = co_occurrence(CODED, within="document", level="theme")
    assert themes.codes == ("Support", "Systemic")
    assert themes.counts.tolist() == [[3, 2], [2, 3]]
    chosen = co_occurrence(CODED, codes=[PAY, "Unused", SUP], coders="Ann")
    assert chosen.codes == (PAY, "Unused", SUP)
    assert chosen.counts.tolist() == [[2, 0, 2], [0, 0, 0], [2, 0, 3]]
    empty = co_occurrence([])
    assert empty.codes == () and empty.counts.shape == (0, 0) and empty.units == 0
    with pytest.raises(InvalidInputError, match="within"):
        co_occurrence(CODED, within="sentence")  # type: ignore[arg-type]


UNIT_SEGMENTS = st.lists(
    st.builds(
        lambda d, t, code: seg(f"D{d}", None, code, "Ann", 0, 1, turn=t),
        st.integers(0, 3),
        st.integers(0, 3),
        st.sampled_from("ABCDE"),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(UNIT_SEGMENTS, st.sampled_from(["turn", "document"]))
def test_co_occurrence_is_symmetric_and_bounded_by_the_diagonal(
    segments: list[SegmentRecord], within: frequencies.Within
) -> None:
    co = co_occurrence(segments, within=within)
    counts = co.counts
    assert np.array_equal(counts, counts.T)
    diagonal = np.diag(counts)
    assert np.all(counts <= np.minimum.outer(diagonal, diagonal))
    assert np.all(diagonal <= co.units)


def test_circle_layout_is_deterministic_and_starts_at_the_top() -> None:
    co = co_occurrence(CODED, within="document")
    layout = circle_layout(co, radius=2.0)
    assert [(n.code, n.weight) for n in layout.nodes] == [(SUP, 3), (TRAIN, 1), (PAY, 3)]
    first, second, third = layout.nodes
    assert (first.x, first.y) == (0.0, 2.0)
    assert (second.x, second.y) == pytest.approx((math.sqrt(3), -1.0))
    assert (third.x, third.y) == pytest.approx((-math.sqrt(3), -1.0))
    assert layout.edges[0] == NetworkEdge(SUP, PAY, 2)
    assert circle_layout(co, min_weight=2).edges == (NetworkEdge(SUP, PAY, 2),)
    assert circle_layout(co, radius=2.0) == layout
    empty = circle_layout(CoOccurrence((), np.zeros((0, 0), dtype=np.int64), "turn", 0, 0))
    assert empty.nodes == () and empty.edges == ()
    with pytest.raises(InvalidInputError, match="radius"):
        circle_layout(co, radius=0)


def test_doctests_run() -> None:
    result = doctest.testmod(frequencies)
    assert result.attempted > 0 and result.failed == 0


def test_public_surface() -> None:
    assert all(hasattr(frequencies, name) for name in frequencies.__all__)
    assert {"code_frequencies", "text_coverage", "co_occurrence", "circle_layout"} <= set(
        frequencies.__all__
    )
