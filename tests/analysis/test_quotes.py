"""The quote bank: scores, length limits, agreement and spread across participants."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import quotes
from thematica.analysis.quotes import quote_bank
from thematica.analysis.records import ParticipantRecord, SegmentRecord
from thematica.errors import InvalidInputError, NotFoundError


def words(n: int, tag: str = "w") -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


def seg(
    document: str,
    participant: str | None,
    coder: str,
    start: int,
    end: int,
    text: str,
    code: str = "Systemic > Pay",
) -> SegmentRecord:
    return SegmentRecord(document, participant, code, code.split(" > ")[0], coder, start, end, text)


PEOPLE = [
    ParticipantRecord("P1", "Robin", {"setting": ("NHS",), "role": ("Peer worker", "Trainer")}),
    ParticipantRecord("P2", "Sam", {"setting": ("VCFSE",)}),
]
PAY = "Systemic > Pay"
CODED = [
    # T1 (P1), coded by Ann and Ben.
    seg("T1", "P1", "Ann", 0, 100, words(20, "a")),
    seg("T1", "P1", "Ben", 0, 100, words(20, "a")),  # the very same span: one candidate
    seg("T1", "P1", "Ann", 200, 300, words(25, "b")),
    seg("T1", "P1", "Ben", 210, 300, words(23, "b")),  # overlaps: agreement for both
    seg("T1", "P1", "Ann", 400, 420, words(5, "c")),  # too short
    # T2 (P2), coded by Ann only.
    seg("T2", "P2", "Ann", 0, 100, words(30, "d")),
    # T3 (P3, not among the participants given), coded by Ann and Ben; Ben used another code.
    seg("T3", "P3", "Ann", 0, 100, words(40, "e")),
    seg("T3", "P3", "Ben", 500, 600, words(40, "f"), code="Support > Supervision"),
]


def test_scores_combine_agreement_and_length() -> None:
    bank = quote_bank(CODED, PEOPLE, top_n=10)
    scored = {
        (q.document, q.start): (q.score, q.coders, q.document_coders) for q in bank.for_code(PAY)
    }
    assert scored == {
        ("T1", 0): (1.0, ("Ann", "Ben"), 2),
        ("T2", 0): (1.0, ("Ann",), 1),  # one coder on the document: full agreement
        ("T3", 0): (0.5, ("Ann",), 2),  # Ben coded T3 but not this passage with this code
        ("T1", 200): (1.0, ("Ann", "Ben"), 2),
    }


def test_greedy_choice_spreads_quotes_across_participants() -> None:
    chosen = quote_bank(CODED, PEOPLE).for_code(PAY)
    # P1's second passage scores 1.0, but P3 (0.5) has no quote yet, so P3 comes first.
    assert [(q.rank, q.participant, q.document, q.start) for q in chosen] == [
        (1, "P1", "T1", 0),
        (2, "P2", "T2", 0),
        (3, "P3", "T3", 0),
    ]
    more = quote_bank(CODED, PEOPLE, top_n=10).for_code(PAY)
    # Then P1 again; Ben's overlapping span [210, 300) is the same passage and is skipped,
    # and the five-word passage is excluded.
    assert [(q.participant, q.start) for q in more] == [
        ("P1", 0),
        ("P2", 0),
        ("P3", 0),
        ("P1", 200),
    ]
    assert [q.rank for q in more] == [1, 2, 3, 4]


def test_quotes_carry_pseudonym_attributes_and_an_attribution() -> None:
    first, second, third = quote_bank(CODED, PEOPLE).for_code(PAY)
    assert (first.pseudonym, first.text, first.words) == ("Robin", words(20, "a"), 20)
    assert first.attributes["role"] == ("Peer worker", "Trainer")
    assert first.attribution(["setting", "role"]) == "Robin, NHS, Peer worker / Trainer"
    assert second.attribution(["role", "setting"]) == "Sam, VCFSE"
    assert (third.pseudonym, dict(third.attributes)) == (None, {})
    assert third.attribution() == "P3"
    assert third.agreement == 0.5 and third.within_limits


def test_outside_the_limits_penalise_instead_of_exclude() -> None:
    bank = quote_bank(CODED, PEOPLE, top_n=10, outside="penalise")
    short = next(q for q in bank.for_code(PAY) if q.start == 400)
    # Agreement 1 of 2 coders, length fit 5 / 15.
    assert short.score == pytest.approx(0.5 * 5 / 15)
    assert not short.within_limits
    assert short.rank == 5
    long = quote_bank([seg("T9", None, "Ann", 0, 9, words(100))], outside="penalise").for_code(PAY)
    assert long[0].score == pytest.approx(0.8) and long[0].attribution() == "T9"
    assert quote_bank([seg("T9", None, "Ann", 0, 9, words(100))]).for_code(PAY) == ()


def test_limits_are_inclusive() -> None:
    edge = [seg("T1", "P1", "Ann", 0, 10, words(15)), seg("T2", "P2", "Ann", 0, 10, words(80))]
    assert len(quote_bank(edge, PEOPLE).for_code(PAY)) == 2
    assert len(quote_bank(edge, PEOPLE, min_words=16, max_words=79).for_code(PAY)) == 0


def test_ties_go_to_the_earlier_passage() -> None:
    tied = [
        seg("T2", "P2", "Ann", 0, 10, words(20)),
        seg("T1", "P1", "Ann", 50, 60, words(20)),
        seg("T1", "P1", "Ann", 0, 10, words(20)),
    ]
    chosen = quote_bank(tied, top_n=3).for_code(PAY)
    assert [(q.document, q.start) for q in chosen] == [("T1", 0), ("T2", 0), ("T1", 50)]


def test_codes_levels_coders_and_empty_codes() -> None:
    bank = quote_bank(CODED, PEOPLE, codes=["Unused", PAY])
    assert bank.codes == ("Unused", PAY)
    assert bank.for_code("Unused") == ()
    with pytest.raises(NotFoundError, match="Nope"):
        bank.for_code("Nope")
    themes = quote_bank(CODED, PEOPLE, level="theme")
    assert themes.codes == ("Support", "Systemic")
    assert themes.for_code("Systemic")[0].code == "Systemic"
    ben = quote_bank(CODED, PEOPLE, coders="Ben", top_n=10).for_code(PAY)
    assert [(q.start, q.coders, q.document_coders) for q in ben] == [
        (0, ("Ben",), 1),
        (210, ("Ben",), 1),
    ]
    assert quote_bank([]).codes == ()


def test_invalid_settings() -> None:
    with pytest.raises(InvalidInputError, match="top_n"):
        quote_bank(CODED, top_n=0)
    with pytest.raises(InvalidInputError, match="word limits"):
        quote_bank(CODED, min_words=50, max_words=10)
    with pytest.raises(InvalidInputError, match="outside"):
        quote_bank(CODED, outside="drop")  # type: ignore[arg-type]


CANDIDATES = st.lists(
    st.builds(
        lambda d, p, coder, start, n: seg(f"T{d}", f"P{p}", coder, start, start + 10, words(n)),
        st.integers(0, 3),
        st.integers(0, 4),
        st.sampled_from(["Ann", "Ben", "Cy"]),
        st.integers(0, 60),
        st.integers(1, 100),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(CANDIDATES, st.integers(1, 5), st.sampled_from(["exclude", "penalise"]))
def test_choices_are_ranked_spread_and_disjoint(
    segments: list[SegmentRecord], top_n: int, outside: quotes.Outside
) -> None:
    chosen = quote_bank(segments, top_n=top_n, outside=outside).quotes.get(PAY, ())
    assert len(chosen) <= top_n
    assert [q.rank for q in chosen] == list(range(1, len(chosen) + 1))
    for q in chosen:
        assert 0 < q.score <= 1 and 1 <= len(q.coders) <= q.document_coders
        assert outside == "penalise" or 15 <= q.words <= 80
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            assert a.document != b.document or a.end <= b.start or b.end <= a.start
    # Spread: no participant gets a second quote while another with no quote could have one.
    people = [q.participant for q in chosen]
    for i, person in enumerate(people):
        if person in people[:i]:
            assert len(set(people[:i])) == len(set(people))


def test_doctests_run() -> None:
    result = doctest.testmod(quotes)
    assert result.attempted > 0 and result.failed == 0


def test_public_surface() -> None:
    assert sorted(quotes.__all__) == ["Outside", "Quote", "QuoteBank", "quote_bank"]


SPANS = st.lists(
    st.tuples(
        st.sampled_from(["T1", "T2"]),
        st.integers(0, 60),
        st.integers(1, 25),
        st.sampled_from(["Ann", "Bo", "Cy"]),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(spans=SPANS)
def test_a_quotes_coders_are_every_coder_overlapping_it(
    spans: list[tuple[str, int, int, str]],
) -> None:
    """Against the definition written out naively: each candidate's agreeing coders are the
    coders of every span of the code in that document that overlaps it by a character."""
    text = "w " * 50
    segments = [
        SegmentRecord(document, "P", "Pay", "Pay", coder, start, start + length,
                      text[start : start + length] or "w")
        for document, start, length, coder in spans
    ]  # fmt: skip
    bank = quote_bank(segments, top_n=100, min_words=1, max_words=1000, outside="penalise")
    for quote in bank.for_code("Pay"):
        expected = {
            s.coder
            for s in segments
            if s.document == quote.document and s.start < quote.end and quote.start < s.end
        }
        assert set(quote.coders) == expected
