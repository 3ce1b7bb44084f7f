"""Agreement on a study's codings and on reliability tables, against values worked by hand.

The study: T2 has eight speaker turns. Coder A codes "Systemic > Pay" in turns 0, 1, 2 and B in
turns 0, 1, 3; both code the theme "Systemic" itself in turn 5. T1 (the fixture's transcript) is
coded by nobody unless a test says so. Worked by hand for Pay over the eight turns:
p_o = 6/8, p_e = (3/8)² + (5/8)² = 34/64, so Cohen's kappa = 7/15; Krippendorff's alpha
= 1 - 15 · 4 / (2 · 10 · 6) = 1/2; percent agreement = 3/4.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.conftest import both_backends, require_shared
from thematica.analysis.agreement import fleiss_kappa
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.agreement import agreement_from_matrix, measure_agreement
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text, get_document
from thematica.storage import Database

PAY, SYSTEMIC = "Systemic > Pay", "Systemic"
T2 = "\n\n".join(
    f"{'Interviewer' if i % 2 == 0 else 'Participant'}: turn number {i} of the talk."
    for i in range(8)
)


def _code(db: Database, study: str, document: str, coder: str, code: str, *turns: int) -> None:
    spans = [t.span for t in get_document(db, document, study).turns]
    apply_codings(
        db,
        [
            CodingRequest(document, spans[t].start + 13, spans[t].end - 1, code, coder)
            for t in turns
        ],
        study=study,
        actor=coder,
    )


@pytest.fixture
def coded(db: Database, study: str) -> str:
    add_text(db, "T2", T2, study=study, actor="tester")
    _code(db, study, "T2", "A", PAY, 0, 1, 2)
    _code(db, study, "T2", "B", PAY, 0, 1, 3)
    _code(db, study, "T2", "A", SYSTEMIC, 5)
    _code(db, study, "T2", "B", SYSTEMIC, 5)
    return study


def _rows(report):  # type: ignore[no-untyped-def]
    return {row.label: row for row in report.rows}


@both_backends
def test_per_code_kappa_and_pooled_worked_by_hand(db: Database, coded: str) -> None:
    report = measure_agreement(db, study=coded, n_boot=200)
    assert report.statistic == "cohen" and report.coders == ("A", "B")
    assert report.unit == "turn" and report.unit_name == "speaker turn"
    assert report.documents == ("T2",) and report.documents_skipped == ("T1",)
    assert [row.label for row in report.rows] == [SYSTEMIC, PAY, "pooled"]
    assert report.codes_unused == 2  # Support and its sub-code: nobody applied them here
    rows = _rows(report)
    assert rows[PAY].value == pytest.approx(7 / 15)
    assert rows[PAY].band == "moderate"
    assert rows[PAY].ci_low <= rows[PAY].value <= rows[PAY].ci_high
    assert rows[SYSTEMIC].value == pytest.approx(1.0)
    # Pooled: 16 unit-code items, 14 agree, each coder 4 ones: p_e = 10/16, kappa = 2/3.
    assert rows["pooled"].value == pytest.approx(2 / 3)
    assert (rows[PAY].n_units, rows[PAY].n_items) == (8, 8)
    assert (rows["pooled"].n_units, rows["pooled"].n_items) == (8, 16)
    assert rows[PAY].units_coded_by == {"A": 3, "B": 3}
    assert rows["pooled"].units_coded_by == {"A": 4, "B": 4} == report.units_coded_by
    assert (report.units_total, report.units_kept, report.units_dropped) == (8, 8, 0)
    assert report.units_coded == 5


def test_other_statistics_on_the_same_units(db: Database, coded: str) -> None:
    def value(**options: object) -> float:
        report = measure_agreement(db, study=coded, codes=[PAY], ci=False, **options)  # type: ignore[arg-type]
        return report.rows[0].value

    assert value(statistic="percent") == pytest.approx(0.75)
    assert value(statistic="alpha") == pytest.approx(0.5)
    assert value(statistic="scott") == pytest.approx(7 / 15)  # equal margins: pi = kappa
    assert value(statistic="alpha", level="interval") == pytest.approx(0.5)


def test_excluding_uncoded_units_is_counted_and_changes_kappa(db: Database, coded: str) -> None:
    report = measure_agreement(db, study=coded, codes=[PAY], uncoded="exclude", ci=False)
    assert (report.units_total, report.units_kept, report.units_dropped) == (8, 4, 4)
    # Turns 0-3 remain: p_o = 1/2, p_e = (3/4)² + (1/4)² = 5/8, kappa = -1/3.
    assert report.rows[0].value == pytest.approx(-1 / 3)
    assert report.rows[0].band == "poor" and report.rows[0].n_units == 4


def test_roll_up_counts_a_theme_where_its_sub_codes_are(db: Database, coded: str) -> None:
    own = measure_agreement(db, study=coded, codes=[SYSTEMIC], ci=False)
    rolled = measure_agreement(db, study=coded, codes=["systemic"], roll_up=True, ci=False)
    assert own.rows[0].value == pytest.approx(1.0)
    # Present in turns 0,1,2,5 for A and 0,1,3,5 for B: p_o = 6/8, p_e = 1/2, kappa = 1/2.
    assert rolled.rows[0].value == pytest.approx(0.5) and rolled.roll_up
    assert rolled.rows[0].units_coded_by == {"A": 4, "B": 4}


def test_all_documents_keeps_those_nobody_coded_as_missing(db: Database, coded: str) -> None:
    report = measure_agreement(db, study=coded, codes=[PAY], documents="all", ci=False)
    assert report.documents == ("T1", "T2") and report.documents_skipped == ()
    assert report.units_total == 12  # T1's four turns, with no rating from anyone
    assert report.rows[0].value == pytest.approx(7 / 15)


def test_per_document_rows(db: Database, coded: str) -> None:
    _code(db, coded, "T1", "A", PAY, 1)
    _code(db, coded, "T1", "B", PAY, 1)
    report = measure_agreement(db, study=coded, codes=[PAY], by="document", ci=False)
    rows = _rows(report)
    assert list(rows) == ["T1", "T2", "pooled"]
    assert rows["T1"].value == pytest.approx(1.0) and rows["T1"].n_units == 4
    assert rows["T2"].value == pytest.approx(7 / 15) and rows["T2"].documents == 1
    # 12 turns, 10 agree, each coder 4 ones: p_e = 5/9, kappa = (5/6 - 5/9) / (4/9) = 5/8.
    assert rows["pooled"].value == pytest.approx(5 / 8)


def test_by_default_the_people_who_coded_the_compared_documents(db: Database, coded: str) -> None:
    """A third person who coded only another transcript, a memo author and a consensus layer
    are not among the coders compared: two people give Cohen's kappa, not alpha over three."""
    from thematica.services.memos import write_memo

    _code(db, coded, "T1", "C", PAY, 1)
    write_memo(db, "Pay keeps coming up.", author="D", study=coded)
    report = measure_agreement(db, study=coded, ci=False)
    assert (report.statistic, report.coders, report.documents) == ("cohen", ("A", "B"), ("T2",))
    everything = measure_agreement(db, study=coded, documents="all", ci=False)
    assert everything.coders == ("A", "B", "C") and everything.statistic == "alpha"


def test_three_coders_alpha_by_default_fleiss_and_cohen_by_pair(db: Database, coded: str) -> None:
    _code(db, coded, "T2", "C", PAY, 0, 1, 2, 3)
    report = measure_agreement(db, study=coded, codes=[PAY], ci=False)
    assert report.statistic == "alpha" and report.coders == ("A", "B", "C")
    # Fleiss by hand: P̄ = 5/6, shares 10/24 and 14/24, P̄e = 296/576, kappa = 23/35.
    fleiss = measure_agreement(db, study=coded, codes=[PAY], statistic="fleiss", ci=False)
    assert fleiss.rows[0].value == pytest.approx(23 / 35)
    pairs = measure_agreement(db, study=coded, codes=[PAY], statistic="cohen", by="pair", ci=False)
    # A & C and B & C: p_o = 7/8, p_e = 1/2, kappa = 3/4. No pooled row: kappa takes two.
    assert {r.label: round(r.value, 6) for r in pairs.rows} == {
        "A & B": round(7 / 15, 6),
        "A & C": 0.75,
        "B & C": 0.75,
    }
    assert pairs.rows[1].units_coded_by == {"A": 3, "C": 4}
    with pytest.raises(InvalidInputError, match=r"exactly two coders, but 3 were chosen"):
        measure_agreement(db, study=coded, statistic="cohen")


def test_fleiss_takes_documents_coded_by_different_numbers_of_coders(
    db: Database, coded: str
) -> None:
    _code(db, coded, "T1", "A", PAY, 1)
    _code(db, coded, "T1", "C", PAY, 1)
    # T1 by A and C, T2 by A and B: two ratings of every unit, as Fleiss (1971) allows.
    even = measure_agreement(db, study=coded, codes=[PAY], statistic="fleiss", ci=False)
    assert even.documents == ("T1", "T2") and not math.isnan(even.rows[0].value)
    _code(db, coded, "T2", "C", PAY, 0)
    # T2 now has three ratings a unit and T1 two: Gwet's generalisation (irrCAC) uses both, and
    # the figure is the one the statistic gives on the same reliability data.
    uneven = measure_agreement(db, study=coded, codes=[PAY], statistic="fleiss", ci=False)
    alpha = measure_agreement(db, study=coded, codes=[PAY], ci=False)
    assert alpha.statistic == "alpha" and not math.isnan(alpha.rows[0].value)
    assert not math.isnan(uneven.rows[0].value) and uneven.rows[0].value != even.rows[0].value
    assert uneven.units_kept == alpha.units_kept
    # By pair, each pair compares the documents both coded, and the pooled row is kept.
    pairs = measure_agreement(db, study=coded, statistic="fleiss", by="pair", ci=False)
    assert {r.label: r.documents for r in pairs.rows if r.by == "pair"} == {
        "A & B": 1,
        "A & C": 2,
        "B & C": 1,
    }
    assert pairs.rows[-1].by == "pooled"


def test_a_pair_with_no_document_in_common_is_undefined_and_says_why(
    db: Database, coded: str
) -> None:
    _code(db, coded, "T1", "A", PAY, 1)
    _code(db, coded, "T1", "C", PAY, 2)
    pairs = measure_agreement(db, study=coded, codes=[PAY], by="pair", n_boot=50)
    rows = _rows(pairs)
    assert (rows["A & B"].documents, rows["A & C"].documents, rows["B & C"].documents) == (1, 1, 0)
    assert rows["A & B"].value == pytest.approx(0.5)  # alpha, T2 alone: see the module docstring
    assert math.isnan(rows["B & C"].value) and rows["B & C"].n_units == 0
    note = rows["B & C"].note
    assert note.startswith("Krippendorff's alpha is undefined: ") and "NaN" not in note
    assert "pooled" in rows  # alpha takes every coder at once, missing ratings and all


def test_an_uncoded_code_is_undefined_with_a_reason_not_a_warning(db: Database, coded: str) -> None:
    report = measure_agreement(db, study=coded, codes=["Support", PAY], n_boot=50)
    support = report.rows[0]
    assert math.isnan(support.value) and support.band == "undefined"
    assert support.note.startswith("Cohen's kappa is undefined: ") and math.isnan(support.ci_low)
    data = json.loads(json.dumps(report.as_dict(), allow_nan=False))
    assert data["rows"][0]["value"] is None and data["rows"][1]["value"] == pytest.approx(7 / 15)


def test_sentence_and_character_units(db: Database, coded: str) -> None:
    sentences = measure_agreement(db, study=coded, codes=[PAY], unit="sentence", ci=False)
    assert sentences.units_total == 8  # one sentence a turn here
    characters = measure_agreement(db, study=coded, codes=[PAY], unit="character", ci=False)
    text = get_document(db, "T2", coded).text
    assert characters.units_total == sum(not c.isspace() for c in text)
    # Each coding covers "turn number N of the talk": 20 characters that are not space.
    assert characters.rows[0].units_coded_by == {"A": 60, "B": 60}


def test_the_same_seed_gives_the_same_interval(db: Database, coded: str) -> None:
    first = measure_agreement(db, study=coded, codes=[PAY], n_boot=100, seed=7).rows[0]
    again = measure_agreement(db, study=coded, codes=[PAY], n_boot=100, seed=7).rows[0]
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    wider = measure_agreement(db, study=coded, codes=[PAY], n_boot=100, confidence=0.99).rows[0]
    assert wider.ci_low <= first.ci_low or wider.ci_high >= first.ci_high


def test_progress_hears_every_row(db: Database, coded: str) -> None:
    heard: list[tuple[int, int, str]] = []
    measure_agreement(db, study=coded, ci=False, progress=lambda *a: heard.append(a))
    assert heard[0] == (0, 3, SYSTEMIC) and heard[-1] == (3, 3, "")


@both_backends
def test_errors_say_what_is_wrong(db: Database, coded: str) -> None:
    with pytest.raises(NotFoundError, match=r"no coder named 'Bob'.*its coders: A, B"):
        measure_agreement(db, study=coded, coders=["A", "Bob"])
    with pytest.raises(InvalidInputError, match=r"at least two coders, but 1 was chosen \(A\)"):
        measure_agreement(db, study=coded, coders=["A", "a"])
    with pytest.raises(NotFoundError, match="no code 'Systemic > Rent'"):
        measure_agreement(db, study=coded, codes=["Systemic > Rent"])
    with pytest.raises(InvalidInputError, match="applies to Krippendorff's alpha only"):
        measure_agreement(db, study=coded, statistic="cohen", level="ordinal")
    for option, message in [
        ({"by": "theme"}, "by must be"),
        ({"documents": "some"}, "documents must be"),
        ({"uncoded": "drop"}, "uncoded must be"),
        ({"unit": "word"}, "unit must be"),
        ({"statistic": "tau"}, "statistic must be"),
        ({"level": "fuzzy"}, "level must be"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            measure_agreement(db, study=coded, **option)  # type: ignore[arg-type]


def test_nothing_to_compare(db: Database, study: str) -> None:
    _code(db, study, "T1", "A", PAY, 1)
    add_text(db, "T2", T2, study=study, actor="tester")
    _code(db, study, "T2", "C", PAY, 1)
    with pytest.raises(
        InvalidInputError,
        match="nothing to compare: no document was coded by at least two of A, C",
    ):
        measure_agreement(db, study=study)


# -- reliability tables ------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "expected"), [("nominal", 0.691), ("interval", 0.811)])
def test_matrix_reproduces_the_shared_example(level: str, expected: float) -> None:
    path = require_shared() / "agreement" / "reliability_data_3coders_15units.csv"
    report = agreement_from_matrix(path, layout="coders-by-units", level=level, n_boot=200)
    assert report.statistic == "alpha" and report.coders == ("A", "B", "C")
    row = report.rows[0]
    assert round(row.value, 3) == expected and row.n_units == 15
    assert row.units_coded_by == {"A": 9, "B": 7, "C": 11}
    assert row.ci_low <= row.value <= row.ci_high <= 1.0


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_matrix_of_two_coders_defaults_to_cohen(tmp_path: Path) -> None:
    # p_o = 3/4; coder A says "a" half the time, B a quarter: p_e = 1/2, kappa = 1/2.
    path = _file(tmp_path, "unit,A,B\n1,a,a\n2,a,b\n3,b,b\n4,b,b\n")
    report = agreement_from_matrix(path, ci=False)
    assert report.statistic == "cohen" and report.rows[0].value == pytest.approx(0.5)
    assert report.confidence is None and math.isnan(report.rows[0].ci_low)
    percent = agreement_from_matrix(path, statistic="percent", ci=False)
    assert percent.rows[0].value == pytest.approx(0.75) and percent.rows[0].band is None


def test_matrix_errors_name_the_file(tmp_path: Path) -> None:
    labels = _file(tmp_path, "unit,A,B,C\n1,1,2,2\n2,NA,3,3\n")
    with pytest.raises(InvalidInputError, match=r"line 3: interval alpha needs numbers, but 'NA'"):
        agreement_from_matrix(labels, level="interval")
    with pytest.raises(InvalidInputError, match=r"ratings.csv: Cohen's kappa .* file has 3"):
        agreement_from_matrix(labels, statistic="cohen")
    gaps = _file(tmp_path, "unit,A,B,C\nu1,1,2,2\nu2,,3,3\n")
    # A missing rating is used as irrCAC uses it (Gwet's generalisation), not refused.
    fleiss = agreement_from_matrix(gaps, statistic="fleiss", ci=False).rows[0].value
    assert fleiss == pytest.approx(fleiss_kappa([[1, None], [2, 3], [2, 3]]))
    with pytest.raises(InvalidInputError, match="layout must be"):
        agreement_from_matrix(gaps, layout="diagonal")  # type: ignore[arg-type]
