"""The Framework Method matrix on a small study charted by hand."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from thematica.analysis import framework, records
from thematica.analysis.framework import FrameworkGroup, Passage, framework_matrix
from thematica.analysis.records import NOT_RECORDED, ParticipantRecord, SegmentRecord
from thematica.errors import InvalidInputError, SpanError

SUP = "Support > Supervision"
TRAIN = "Support > Training"
PAY = "Systemic > Pay"


def seg(
    document: str, participant: str | None, code: str, coder: str, start: int, end: int
) -> SegmentRecord:
    theme = code.split(" > ")[0]
    return SegmentRecord(document, participant, code, theme, coder, start, end, f"{code}@{start}")


PEOPLE = [
    ParticipantRecord("P1", "Robin", {"setting": ("NHS", "VCFSE")}),
    ParticipantRecord("P2", "Sam", {"setting": ("NHS",)}),
    ParticipantRecord("P3", "Alex"),  # no documents, no attributes
]
CODED = [
    seg("T1", "P1", SUP, "Ann", 0, 10),
    seg("T1", "P1", SUP, "Ben", 2, 10),
    seg("T1", "P1", PAY, "Ann", 20, 30),
    seg("T2", "P2", TRAIN, "Ann", 5, 15),
    seg("T2", "P2", SUP, "Ben", 40, 50),
    seg("T2", "P2", SUP, "Ann", 0, 4),
]


def test_counts_per_participant_and_code() -> None:
    matrix = framework_matrix(CODED, PEOPLE)
    assert matrix.participants == ("P1", "P2", "P3")
    assert matrix.columns == (SUP, TRAIN, PAY)
    assert matrix.counts().tolist() == [[2, 0, 1], [2, 1, 0], [0, 0, 0]]
    assert matrix.counts().dtype == np.int64


def test_cells_link_their_passages_in_document_order() -> None:
    cell = framework_matrix(CODED, PEOPLE).cell("P2", SUP)
    assert cell.codings == 2
    assert cell.passages == (
        Passage("T2", 0, 4, f"{SUP}@0", "Ann"),
        Passage("T2", 40, 50, f"{SUP}@40", "Ben"),
    )
    assert cell.summary is None


def test_a_participant_with_no_documents_has_a_row_of_empty_cells() -> None:
    matrix = framework_matrix(CODED, PEOPLE)
    assert all(cell.is_empty and cell.passages == () for cell in matrix.row("P3"))


def test_theme_level_gathers_sub_codes() -> None:
    matrix = framework_matrix(CODED, PEOPLE, level="theme")
    assert matrix.columns == ("Support", "Systemic")
    assert matrix.counts().tolist() == [[2, 1], [3, 0], [0, 0]]
    assert matrix.level == "theme"


def test_summaries_are_merged_and_ones_outside_the_matrix_ignored() -> None:
    summaries = {
        ("P1", SUP): "Supervisor 'gets it'",
        ("P3", PAY): "Not discussed",
        ("P9", SUP): "?",
    }
    matrix = framework_matrix(CODED, PEOPLE, summaries=summaries)
    assert matrix.cell("P1", SUP).summary == "Supervisor 'gets it'"
    # A summary on a cell with no codings is still charted: "not discussed" is a finding.
    assert matrix.cell("P3", PAY).summary == "Not discussed"
    assert not matrix.cell("P3", PAY).is_empty


def test_restricting_to_one_coder_or_several() -> None:
    ann = framework_matrix(CODED, PEOPLE, coders="Ann")
    assert ann.columns == (SUP, TRAIN, PAY)
    assert ann.counts().tolist() == [[1, 0, 1], [1, 1, 0], [0, 0, 0]]
    assert ann.coders == ("Ann",)
    ben = framework_matrix(CODED, PEOPLE, coders={"Ben"})
    assert ben.columns == (SUP,)
    assert ben.counts().tolist() == [[1], [1], [0]]
    both = framework_matrix(CODED, PEOPLE, coders=["Ben", "Ann"])
    assert both.coders == ("Ann", "Ben")
    assert both.counts().sum() == len(CODED)
    with pytest.raises(InvalidInputError, match="at least one coder"):
        framework_matrix(CODED, PEOPLE, coders=[])


def test_columns_fix_the_order_keep_unused_codes_and_leave_out_others() -> None:
    matrix = framework_matrix(CODED, PEOPLE, columns=[PAY, "Support > Unused", SUP, PAY])
    assert matrix.columns == (PAY, "Support > Unused", SUP)
    assert matrix.counts().tolist() == [[1, 0, 2], [0, 0, 2], [0, 0, 0]]
    assert matrix.column("Support > Unused") == tuple(
        matrix.cell(p, "Support > Unused") for p in ("P1", "P2", "P3")
    )


def test_grouping_is_multi_valued_and_keeps_the_unrecorded() -> None:
    matrix = framework_matrix(CODED, PEOPLE, group_by="setting")
    # P1 holds both settings, so appears in both groups; P3 holds none.
    assert matrix.groups == (
        FrameworkGroup("NHS", ("P1", "P2")),
        FrameworkGroup("VCFSE", ("P1",)),
        FrameworkGroup(NOT_RECORDED, ("P3",)),
    )
    ordered = framework_matrix(CODED, PEOPLE, group_by="setting", group_order=["VCFSE", "Other"])
    assert [g.value for g in ordered.groups] == ["VCFSE", "Other", "NHS", NOT_RECORDED]
    assert ordered.groups[1].participants == ()
    assert framework_matrix(CODED, PEOPLE).groups == ()


def test_codings_without_a_participant_are_counted_as_unassigned() -> None:
    matrix = framework_matrix([*CODED, seg("Focus group", None, SUP, "Ann", 0, 5)], PEOPLE)
    assert matrix.unassigned == 1
    assert matrix.counts().sum() == len(CODED)


def test_no_codings_gives_rows_and_no_columns() -> None:
    matrix = framework_matrix([], PEOPLE)
    assert matrix.columns == ()
    assert matrix.counts().shape == (3, 0)
    assert matrix.row("P1") == ()
    empty = framework_matrix([], [])
    assert empty.counts().shape == (0, 0)


def test_errors_name_what_is_wrong() -> None:
    with pytest.raises(InvalidInputError, match="'P9'"):
        framework_matrix([seg("T9", "P9", SUP, "Ann", 0, 5)], PEOPLE)
    with pytest.raises(InvalidInputError, match="share a label"):
        framework_matrix([], [ParticipantRecord("P1"), ParticipantRecord("P1")])
    with pytest.raises(InvalidInputError, match="level"):
        framework_matrix(CODED, PEOPLE, level="sentence")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="no cell"):
        framework_matrix(CODED, PEOPLE).cell("P1", "Nope")


def test_records_check_themselves() -> None:
    with pytest.raises(SpanError):
        seg("T1", "P1", SUP, "Ann", 5, 5)
    with pytest.raises(InvalidInputError, match="valence"):
        SegmentRecord("T1", "P1", SUP, "Support", "Ann", 0, 5, "x", valence="neutral")
    with pytest.raises(InvalidInputError, match="label"):
        ParticipantRecord(" ")
    person = ParticipantRecord(
        "P1", attributes={"role": (" Peer worker ", "Peer worker"), "x": ("",)}
    )
    assert dict(person.attributes) == {"role": ("Peer worker",)}
    plain = ParticipantRecord("P2", attributes={"setting": "NHS"})  # type: ignore[dict-item]
    assert plain.values("setting") == ("NHS",)
    with pytest.raises(TypeError):
        person.attributes["role"] = ("x",)  # type: ignore[index]


@pytest.mark.parametrize("module", [framework, records])
def test_doctests_run(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_public_surface() -> None:
    assert sorted(framework.__all__) == [
        "FrameworkCell",
        "FrameworkGroup",
        "FrameworkMatrix",
        "Passage",
        "framework_matrix",
    ]
    for module in (framework, records):
        assert all(hasattr(module, name) for name in module.__all__)
