"""Replacing identifiers and moving spans onto the new text; study-wide labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.deid import (
    EntityType,
    LabelBook,
    MappingEntry,
    Replacement,
    apply_replacements,
    normal_form,
)
from thematica.domain.text import Span
from thematica.errors import SpanError


@st.composite
def _text_and_replacements(draw: st.DrawFn) -> tuple[str, list[Replacement]]:
    text = draw(st.text(alphabet="abc \n", min_size=1, max_size=60))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a]
    labels = st.text(alphabet="[]XYZ0123 ", min_size=1, max_size=12)
    return text, [Replacement(Span(a, b), draw(labels)) for a, b in pairs]


@given(_text_and_replacements())
def test_text_outside_replacements_keeps_its_place(case: tuple[str, list[Replacement]]) -> None:
    text, replacements = case
    new, moved = apply_replacements(text, replacements)
    assert len(new) == len(text) + sum(len(r.text) - len(r.span) for r in replacements)
    for r, placed in zip(replacements, moved.new_spans(), strict=True):
        assert new[placed.start : placed.end] == r.text
        assert moved.span(r.span) == placed
    replaced = [r.span for r in replacements]
    for i, char in enumerate(text):
        if not any(s.start <= i < s.end for s in replaced):
            j = moved.offset(i)
            assert new[j] == char, "every untouched character moves with the offset map"


@given(_text_and_replacements())
def test_a_span_around_replacements_covers_them_afterwards(
    case: tuple[str, list[Replacement]],
) -> None:
    text, replacements = case
    new, moved = apply_replacements(text, replacements)
    whole = moved.span(Span(0, len(text)))
    assert (whole.start, whole.end) == (0, len(new))


def test_a_boundary_inside_a_replacement_moves_to_its_edge() -> None:
    new, moved = apply_replacements("see Sarah now", [Replacement(Span(4, 9), "[Person 1]")])
    assert new == "see [Person 1] now"
    assert moved.span(Span(6, 12)) == Span(4, 17), "starts at the label's start"
    assert moved.span(Span(0, 6)) == Span(0, 14), "ends at the label's end"


def test_overlapping_or_empty_replacements_are_refused() -> None:
    with pytest.raises(SpanError, match="overlap"):
        apply_replacements("abcdef", [Replacement(Span(0, 3), "X"), Replacement(Span(2, 4), "Y")])
    with pytest.raises(SpanError, match="empty"):
        apply_replacements("abcdef", [Replacement(Span(0, 3), "")])
    with pytest.raises(SpanError, match="past the end"):
        apply_replacements("abc", [Replacement(Span(1, 9), "X")])


def test_labels_are_numbered_per_type_and_shared_by_forms_of_one_name() -> None:
    book = LabelBook({})
    assert book.label("Sarah", EntityType.PERSON) == "[Person 1]"
    assert book.label("Leeds", EntityType.PLACE) == "[Place 1]"
    assert book.label("sarah’s", EntityType.PERSON) == "[Person 1]"
    assert book.label("Priya", EntityType.PERSON) == "[Person 2]"
    assert book.label("07700 900123", EntityType.PHONE) == book.label(
        "07700900123", EntityType.PHONE
    )
    assert [e.normal for e in book.added] == ["sarah", "leeds", "priya", "07700900123"]


def test_a_stored_mapping_is_continued_not_renumbered() -> None:
    stored = {(EntityType.PERSON, "sarah"): MappingEntry(EntityType.PERSON, "sarah", 3)}
    book = LabelBook(stored)
    assert book.label("SARAH", EntityType.PERSON) == "[Person 3]"
    assert book.label("Tom", EntityType.PERSON) == "[Person 4]"
    assert [e.label for e in book.added] == ["[Person 4]"]


def test_normal_forms() -> None:
    assert normal_form("  Sarah  Jones's ", EntityType.PERSON) == "sarah jones"
    assert normal_form("M14 5RW", EntityType.POSTCODE) == normal_form("m145rw", EntityType.POSTCODE)
    assert normal_form("943-476-5919", EntityType.NHS_NUMBER) == "9434765919"
