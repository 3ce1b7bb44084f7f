"""From codings to units: presence matrices, missing ratings, dropped units, pooling."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

from thematica.analysis import unitised as unitised_module
from thematica.analysis.agreement import cohen_kappa, krippendorff_alpha
from thematica.analysis.unitised import CodedDocument, CodedSpan, double_coded, unitise
from thematica.errors import InvalidInputError, SpanError

NAN = math.nan


def _turns(n: int) -> tuple[str, list[tuple[int, int]]]:
    """A text of ``n`` one-line turns, and their spans."""
    lines = [f"{'Q' if i % 2 == 0 else 'A'}: turn {i}." for i in range(n)]
    text = "\n".join(lines)
    spans, start = [], 0
    for line in lines:
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return text, spans


def _coding(coder: str, code: str, spans: list[tuple[int, int]], *turns: int) -> list[CodedSpan]:
    # A span inside each turn (not the whole turn), so overlap is what counts.
    return [CodedSpan(coder, code, spans[t][0] + 3, spans[t][1] - 1) for t in turns]


def _same(a: np.ndarray, b: list[list[float]]) -> bool:
    return bool(np.array_equal(a, np.array(b, dtype=float), equal_nan=True))


def test_doctests() -> None:
    assert doctest.testmod(unitised_module, raise_on_error=False).failed == 0


@pytest.fixture
def eight_turns() -> CodedDocument:
    """A: Pay in turns 0-2; B: Pay in turns 0, 1, 3. Both code Systemic in turn 5."""
    text, spans = _turns(8)
    codings = [
        *_coding("A", "Pay", spans, 0, 1, 2),
        *_coding("B", "Pay", spans, 0, 1, 3),
        *_coding("A", "Systemic", spans, 5),
        *_coding("B", "Systemic", spans, 5),
    ]
    return CodedDocument("D", text, spans, codings)


def test_presence_per_code_and_coder(eight_turns: CodedDocument) -> None:
    u = unitise([eight_turns], ["A", "B"], ["Pay", "Systemic"], unit="turn")
    assert u.n_units == 8 and u.n_dropped == 0 and u.n_coded == 5
    pay = u.matrix(codes=["Pay"])
    assert _same(pay, [[1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 1, 0, 0, 0, 0]])
    # Worked by hand: p_o = 6/8, p_e = (3/8)² + (5/8)² = 34/64, kappa = 7/15.
    assert cohen_kappa(pay) == pytest.approx(7 / 15)
    assert u.coded_units(codes=["Pay"]) == {"A": 3, "B": 3}
    assert u.coded_units() == {"A": 4, "B": 4}


def test_pooling_makes_each_unit_code_pair_one_item(eight_turns: CodedDocument) -> None:
    u = unitise([eight_turns], ["A", "B"], ["Pay", "Systemic"], unit="turn")
    pooled = u.matrix()
    assert pooled.shape == (2, 16)
    # 14 of 16 items agree; each coder has 4 ones: p_e = (1/4)² + (3/4)² = 10/16, kappa = 2/3.
    assert cohen_kappa(pooled) == pytest.approx(2 / 3)
    assert _same(u.matrix(codes=["Systemic", "Pay"])[:, :8], u.matrix(codes=["Systemic"]).tolist())


def test_excluding_uncoded_units_drops_the_agreeing_zeros(eight_turns: CodedDocument) -> None:
    u = unitise([eight_turns], ["A", "B"], ["Pay"], unit="turn", uncoded="exclude")
    assert (u.n_total, u.n_units, u.n_dropped, u.n_coded) == (8, 4, 4, 4)
    pay = u.matrix()
    assert _same(pay, [[1, 1, 1, 0], [1, 1, 0, 1]])
    # p_o = 1/2, p_e = (3/4)² + (1/4)² = 10/16, kappa = (1/2 - 5/8) / (3/8) = -1/3.
    assert cohen_kappa(pay) == pytest.approx(-1 / 3)


def test_roll_up_counts_a_theme_present_where_a_sub_code_is(eight_turns: CodedDocument) -> None:
    own = unitise([eight_turns], ["A", "B"], ["Systemic"], unit="turn")
    rolled = unitise([eight_turns], ["A", "B"], {"Systemic": {"Systemic", "Pay"}}, unit="turn")
    assert _same(own.matrix(), [[0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1, 0, 0]])
    assert _same(rolled.matrix(), [[1, 1, 1, 0, 0, 1, 0, 0], [1, 1, 0, 1, 0, 1, 0, 0]])
    # p_o = 6/8, every margin 1/2 so p_e = 1/2: kappa = 1/2.
    assert cohen_kappa(rolled.matrix()) == pytest.approx(0.5)


def test_a_coder_who_did_not_code_a_document_is_missing_not_absent() -> None:
    text, spans = _turns(4)
    d1 = CodedDocument(
        "D1", text, spans, [*_coding("A", "k", spans, 0), *_coding("B", "x", spans, 1)]
    )
    d2 = CodedDocument(
        "D2", text, spans, [*_coding("A", "k", spans, 2), *_coding("C", "k", spans, 2)]
    )
    u = unitise([d1, d2], ["A", "B", "C"], ["k"], unit="turn")
    # B coded D1 (with another code): absent, not missing; B never coded D2: missing.
    assert _same(
        u.matrix(),
        [
            [1, 0, 0, 0, 0, 0, 1, 0],
            [0, 0, 0, 0, NAN, NAN, NAN, NAN],
            [NAN, NAN, NAN, NAN, 0, 0, 1, 0],
        ],
    )
    assert u.rated_by(["A", "B"]) == ("D1",) and u.rated_by(["A", "C"]) == ("D2",)
    assert u.units_of(["D2"]) == 4
    assert _same(u.matrix(coders=["C", "A"], documents=["D2"]), [[0, 0, 1, 0], [0, 0, 1, 0]])
    assert krippendorff_alpha(u.matrix()) < 1.0


def test_only_documents_two_coders_coded_are_kept_unless_all_asked_for() -> None:
    text, spans = _turns(2)
    both = CodedDocument("both", text, spans, [("A", "k", 0, 2), ("B", "k", 0, 2)])
    one = CodedDocument("one", text, spans, [("A", "k", 0, 2)])
    none = CodedDocument("none", text, spans)
    assert double_coded([both, one, none], ["A", "B"]) == ["both"]
    u = unitise([both, one, none], ["A", "B"], ["k"], unit="turn")
    assert [d.name for d in u.documents] == ["both"] and u.skipped == ("one", "none")
    everything = unitise([both, one, none], ["A", "B"], ["k"], unit="turn", keep="all")
    assert everything.skipped == () and everything.n_units == 6
    assert _same(everything.matrix(), [[1, 0, 1, 0, NAN, NAN], [1, 0, NAN, NAN, NAN, NAN]])


def test_character_units_count_non_space_characters() -> None:
    doc = CodedDocument("D", "abc def", codings=[("A", "k", 0, 3), ("B", "k", 1, 5)])
    u = unitise([doc], ["A", "B"], ["k"], unit="character")
    assert _same(u.matrix(), [[1, 1, 1, 0, 0, 0], [0, 1, 1, 1, 0, 0]])
    dropped = unitise([doc], ["A", "B"], ["k"], unit="character", uncoded="exclude")
    assert (dropped.n_units, dropped.n_dropped) == (4, 2)
    assert dropped.documents[0].units.tolist() == [[0, 1], [1, 2], [2, 3], [4, 5]]


def test_turn_unitisation_falls_back_to_paragraphs_and_says_so() -> None:
    doc = CodedDocument("D", "One.\n\nTwo.", codings=[("A", "k", 0, 2), ("B", "k", 6, 8)])
    u = unitise([doc], ["A", "B"], ["k"], unit="turn")
    assert u.fallbacks == ("D",) and _same(u.matrix(), [[1, 0], [0, 1]])


def test_codings_by_other_coders_are_ignored() -> None:
    doc = CodedDocument(
        "D", "One. Two.", codings=[("A", "k", 0, 3), ("B", "k", 5, 8), ("Z", "k", 0, 9)]
    )
    u = unitise([doc], ["A", "B"], ["k"], unit="sentence")
    assert _same(u.matrix(), [[1, 0], [0, 1]])


def test_no_codes_gives_an_empty_matrix() -> None:
    doc = CodedDocument("D", "One. Two.", codings=[("A", "k", 0, 3), ("B", "k", 5, 8)])
    assert unitise([doc], ["A", "B"], [], unit="sentence").matrix().shape == (2, 0)


@pytest.mark.parametrize(
    ("coders", "codes", "options", "message"),
    [
        (["A"], ["k"], {}, "at least two coders"),
        (["A", "A"], ["k"], {}, "named twice"),
        (["A", "B"], ["k", "k"], {}, "named twice"),
        (["A", "B"], "k", {}, "not one string"),
        (["A", "B"], ["k"], {"unit": "word"}, "unit must be one of"),
        (["A", "B"], ["k"], {"uncoded": "drop"}, "uncoded must be"),
        (["A", "B"], ["k"], {"keep": "some"}, "keep must be"),
    ],
)
def test_bad_options_are_refused(
    coders: list[str], codes: object, options: dict[str, str], message: str
) -> None:
    doc = CodedDocument("D", "One. Two.")
    with pytest.raises(InvalidInputError, match=message):
        unitise([doc], coders, codes, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("span", [(5, 99), (3, 3), (4, 2), (-1, 2)])
def test_codings_outside_the_text_are_refused(span: tuple[int, int]) -> None:
    doc = CodedDocument("D", "One. Two.", codings=[("A", "k", *span), ("B", "k", 0, 3)])
    with pytest.raises(SpanError, match="document 'D'"):
        unitise([doc], ["A", "B"], ["k"], unit="sentence")


def test_a_document_given_twice_and_unknown_selections_are_refused() -> None:
    doc = CodedDocument("D", "One. Two.", codings=[("A", "k", 0, 3), ("B", "k", 5, 8)])
    with pytest.raises(InvalidInputError, match="given twice"):
        unitise([doc, doc], ["A", "B"], ["k"])
    u = unitise([doc], ["A", "B"], ["k"], unit="sentence")
    for selection, message in [
        ({"codes": ["nope"]}, "code 'nope'"),
        ({"coders": ["C"]}, "coder 'C'"),
        ({"documents": ["E"]}, "document 'E'"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            u.matrix(**selection)


def test_interviewer_turns_are_counted_and_left_out_on_request() -> None:
    text = "A: yes\nB: no\nA: maybe"
    doc = CodedDocument(
        "D",
        text,
        turns=[(0, 6), (7, 12), (13, 21)],
        codings=[("Ann", "k", 3, 6), ("Bo", "k", 0, 12)],
        interviewer=[(0, 6), (13, 21)],
    )
    kept = unitise([doc], ["Ann", "Bo"], ["k"], unit="turn")
    assert (kept.n_units, kept.n_interviewer) == (3, 2)
    out = unitise([doc], ["Ann", "Bo"], ["k"], unit="turn", interviewer="exclude")
    assert (out.n_units, out.n_interviewer) == (1, 2)
    assert out.documents[0].units.tolist() == [[7, 12]] and out.matrix().tolist() == [[0.0], [1.0]]
    # By character, every non-space character of the interviewer's two turns is left out.
    chars = unitise([doc], ["Ann", "Bo"], ["k"], unit="character", interviewer="exclude")
    assert chars.n_interviewer == sum(not ch.isspace() for ch in "A: yesA: maybe")
    assert chars.n_units == sum(not ch.isspace() for ch in "B: no")
    with pytest.raises(InvalidInputError, match="interviewer must be"):
        unitise([doc], ["Ann", "Bo"], ["k"], interviewer="drop")  # type: ignore[arg-type]
