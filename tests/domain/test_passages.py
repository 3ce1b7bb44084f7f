"""Finding a passage by the words quoted or by turn (domain.passages), and naming codes and
people with suggestions (domain.codebook.lookup, domain.suggest)."""

from __future__ import annotations

import uuid

import pytest

from thematica.domain.codebook import Code, Codebook
from thematica.domain.ids import CodeId, DocumentId, StudyId
from thematica.domain.passages import locate_passage
from thematica.domain.study import Document, Turn
from thematica.domain.suggest import did_you_mean
from thematica.domain.text import Span
from thematica.errors import InvalidInputError, NotFoundError

STUDY = StudyId(uuid.uuid4())
# Fictional text, written for this test.
TEXT = "Interviewer: Pay?\n\nParticipant: The pay is poor.\nThe pay\nis poor, really."


def _document() -> Document:
    first = Span(0, TEXT.index("\n\n"))
    second = Span(TEXT.index("Participant"), len(TEXT))
    return Document(
        DocumentId(uuid.uuid4()),
        STUDY,
        "P01",
        TEXT,
        turns=(Turn(first, "Interviewer"), Turn(second, "Participant")),
    )


def test_a_quote_across_a_line_break_and_in_another_case_is_found() -> None:
    found = locate_passage(_document(), quote="the PAY is poor, really", occurrence=None)
    assert found.span.of(TEXT) == "The pay\nis poor, really" and found.turn == 2


def test_repeated_words_need_an_occurrence_and_the_error_says_where() -> None:
    with pytest.raises(InvalidInputError) as caught:
        locate_passage(_document(), quote="the pay is poor")
    message = str(caught.value)
    assert "document 'P01'" in message and "occur 2 times" in message and "(turn 2)" in message
    second = locate_passage(_document(), quote="the pay is poor", occurrence=2)
    assert second.span.start == TEXT.index("The pay\nis")


def test_a_turn_without_a_quote_is_the_turn_without_its_speaker_label() -> None:
    found = locate_passage(_document(), turn=2)
    assert found.span.of(TEXT).startswith("The pay is poor.") and found.span.end == len(TEXT)
    inside = locate_passage(_document(), quote="pay", turn=1)
    assert inside.span == Span(TEXT.index("Pay"), TEXT.index("Pay") + 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"quote": "not said"}, "are not in the text"),
        ({"quote": "   "}, "the quote is empty"),
        ({"turn": 3}, "turn 3 does not exist"),
        ({}, "say which passage"),
        ({"quote": "pay", "occurrence": 9}, "occurrence 9 asked for"),
    ],
)
def test_bad_requests_are_one_clear_error(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        locate_passage(_document(), **kwargs)  # type: ignore[arg-type]


def _book() -> Codebook:
    support = Code(CodeId(uuid.uuid4()), STUDY, "Support")
    systemic = Code(CodeId(uuid.uuid4()), STUDY, "Systemic")
    return Codebook(
        [
            support,
            systemic,
            Code(CodeId(uuid.uuid4()), STUDY, "Pay", parent_id=systemic.id),
            Code(CodeId(uuid.uuid4()), STUDY, "Training", parent_id=support.id),
            Code(CodeId(uuid.uuid4()), STUDY, "Training", parent_id=systemic.id),
        ]
    )


def test_lookup_by_the_unique_end_of_a_path_and_refuses_ambiguity() -> None:
    book = _book()
    assert book.path_text(book.lookup("pay").id) == "Systemic > Pay"
    assert book.path_text(book.lookup("Support > Training").id) == "Support > Training"
    with pytest.raises(InvalidInputError, match=r"ambiguous.*'Support > Training'"):
        book.lookup("Training")
    with pytest.raises(NotFoundError, match="did you mean 'Pay'"):
        book.lookup("Pya")
    with pytest.raises(NotFoundError):
        book.find("Pay")  # find stays strict: imports must not match a code elsewhere


def test_did_you_mean() -> None:
    assert did_you_mean("Robn", ["Robin", "Sam"]) == " (did you mean 'Robin'?)"
    assert did_you_mean("zz", ["Robin", "Sam"]) == " (known: 'Robin', 'Sam')"
    assert did_you_mean("zz", []) == ""
