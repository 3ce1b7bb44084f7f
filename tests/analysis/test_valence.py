"""Barriers and facilitators: distinct participants per valence, counted by hand."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import valence
from thematica.analysis.records import NOT_RECORDED, ParticipantRecord, SegmentRecord
from thematica.analysis.valence import valence_table
from thematica.errors import InvalidInputError, NotFoundError

SUP = "Support > Supervision"
TRAIN = "Support > Training"
PAY = "Systemic > Pay"


def seg(
    participant: str | None,
    code: str,
    value: str | None,
    *,
    coder: str = "Ann",
    start: int = 0,
) -> SegmentRecord:
    theme = code.split(" > ")[0]
    document = f"T-{participant}"
    return SegmentRecord(document, participant, code, theme, coder, start, start + 5, "x", value)


PEOPLE = [
    ParticipantRecord("P1", attributes={"setting": ("NHS",)}),
    ParticipantRecord("P2", attributes={"setting": ("VCFSE",)}),
    ParticipantRecord("P3", attributes={"setting": ("NHS", "VCFSE")}),
    ParticipantRecord("P4"),
]
CODED = [
    seg("P1", SUP, "barrier"),
    seg("P1", SUP, "barrier", start=10),  # same person, same valence: still one participant
    seg("P1", SUP, "facilitator", start=20),  # and a facilitator too
    seg("P2", SUP, "facilitator"),
    seg("P3", TRAIN, "mixed"),
    seg("P3", "Support", None),  # coded at the theme itself, no valence
    seg("P2", PAY, "barrier", coder="Ben"),
    seg(None, PAY, "barrier"),  # a focus group: counts as a coding, not as a participant
]


def test_sub_code_rows_count_distinct_participants_and_codings() -> None:
    row = valence_table(CODED, PEOPLE).row(SUP)
    assert (row.theme, row.code, row.group) == ("Support", SUP, None)
    assert (row.participants, row.barrier, row.facilitator, row.mixed, row.unspecified) == (
        2,
        1,
        2,
        0,
        0,
    )
    assert (row.barrier_codings, row.facilitator_codings, row.mixed_codings) == (2, 2, 0)
    assert row.codings == 4


def test_theme_rows_gather_the_theme_and_all_its_sub_codes() -> None:
    row = valence_table(CODED, PEOPLE).row("Support")
    assert row.code is None and row.label == "Support"
    assert (row.participants, row.barrier, row.facilitator, row.mixed, row.unspecified) == (
        3,
        1,
        2,
        1,
        1,
    )
    assert row.codings == 6
    assert row.unspecified_codings == 1


def test_codings_without_a_participant_count_only_as_codings() -> None:
    row = valence_table(CODED, PEOPLE).row(PAY)
    assert (row.participants, row.barrier, row.barrier_codings) == (1, 1, 2)


def test_rows_are_themes_then_their_sub_codes_sorted() -> None:
    table = valence_table(CODED, PEOPLE)
    assert [r.label for r in table.rows] == ["Support", SUP, TRAIN, "Systemic", PAY]
    assert [r.label for r in table.themes()] == ["Support", "Systemic"]
    assert table.group_sizes == {None: 4}
    assert table.groups == () and table.attribute is None


def test_split_by_setting_is_multi_valued_with_group_sizes() -> None:
    table = valence_table(CODED, PEOPLE, by="setting")
    assert table.groups == ("NHS", "VCFSE", NOT_RECORDED)
    assert table.group_sizes == {None: 4, "NHS": 2, "VCFSE": 2, NOT_RECORDED: 1}
    nhs, vcfse = table.row(SUP, group="NHS"), table.row(SUP, group="VCFSE")
    assert (nhs.participants, nhs.barrier, nhs.facilitator) == (1, 1, 1)
    assert (vcfse.participants, vcfse.barrier, vcfse.facilitator) == (1, 0, 1)
    # P3 holds both settings, so their mixed training counts in both groups.
    assert table.row(TRAIN, group="NHS").mixed == 1
    assert table.row(TRAIN, group="VCFSE").mixed == 1
    # Every group has every row, zeros where nobody in it raised the code.
    nobody = table.row(PAY, group=NOT_RECORDED)
    assert (nobody.participants, nobody.codings) == (0, 0)
    assert len(table.rows) == 5 * 4


def test_group_order_and_coder_restriction() -> None:
    table = valence_table(CODED, PEOPLE, by="setting", group_order=["VCFSE"], coders="Ben")
    assert table.groups == ("VCFSE", "NHS", NOT_RECORDED)
    assert [r.label for r in table.themes()] == ["Systemic"]
    assert table.coders == ("Ben",)


def test_without_participants_the_total_is_those_seen() -> None:
    assert valence_table(CODED).group_sizes == {None: 3}
    with pytest.raises(InvalidInputError, match="participants"):
        valence_table(CODED, by="setting")
    with pytest.raises(InvalidInputError, match=r"'P9'.*not among"):
        valence_table([*CODED, seg("P9", PAY, "barrier")], PEOPLE)


def test_no_codings_and_unknown_rows() -> None:
    table = valence_table([], PEOPLE, by="setting")
    assert table.rows == ()
    with pytest.raises(NotFoundError, match="Support"):
        table.row("Support")
    with pytest.raises(NotFoundError, match="in group 'NHS'"):
        valence_table(CODED, PEOPLE).row("Support", group="NHS")


CODES = st.sampled_from(["A", "A > x", "A > y", "B", "B > z"])
VALENCES = st.sampled_from([None, "barrier", "facilitator", "mixed"])
SEGMENTS = st.lists(
    st.builds(
        lambda p, code, value, start: SegmentRecord(
            f"T{p}", f"P{p}", code, code.split(" > ")[0], "Ann", start, start + 1, "x", value
        ),
        st.integers(1, 5),
        CODES,
        VALENCES,
        st.integers(0, 50),
    ),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(SEGMENTS)
def test_counts_are_bounded_and_themes_cover_their_codes(segments: list[SegmentRecord]) -> None:
    table = valence_table(segments)
    for row in table.rows:
        kinds = (row.barrier, row.facilitator, row.mixed, row.unspecified)
        assert max(kinds, default=0) <= row.participants <= sum(kinds)
        assert row.participants <= row.codings
        theme = table.row(row.theme)
        assert row.participants <= theme.participants and row.codings <= theme.codings
    assert sum(r.codings for r in table.themes()) == len(segments)


def test_doctests_run() -> None:
    result = doctest.testmod(valence)
    assert result.attempted > 0 and result.failed == 0


def test_public_surface() -> None:
    assert sorted(valence.__all__) == ["UNSPECIFIED", "ValenceRow", "ValenceTable", "valence_table"]
