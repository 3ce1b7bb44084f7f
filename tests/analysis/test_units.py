"""Unitisation: the units of a text, and which units a set of spans overlaps."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from thematica.analysis import units as units_module
from thematica.analysis.units import Unitisation, presence, units_for

TEXT = "Interviewer: Hello there. How are you?\n\nParticipant: Fine!  Thanks.\nReally."


def _texts(text: str, units: np.ndarray) -> list[str]:
    return [text[start:end] for start, end in units.tolist()]


def test_doctests() -> None:
    assert doctest.testmod(units_module, raise_on_error=False).failed == 0


def test_sentences_split_after_end_marks_and_at_line_breaks() -> None:
    assert _texts(TEXT, units_for(TEXT, "sentence")) == [
        "Interviewer: Hello there.",
        "How are you?",
        "Participant: Fine!",
        "Thanks.",
        "Really.",
    ]


def test_sentence_end_keeps_closing_quotes_with_the_sentence() -> None:
    text = 'She said "no." Then left.'
    assert _texts(text, units_for(text, Unitisation.SENTENCE)) == ['She said "no."', "Then left."]


def test_sentences_come_from_a_real_segmenter_not_every_full_stop() -> None:
    """Abbreviations, times and "e.g." end no sentence (pysbd's rules); a naive split after
    every full stop followed by a space would make six units of this."""
    text = "I saw Dr. Okafor at 3 p.m. on Tuesday. It helped, e.g. with pay."
    assert _texts(text, units_for(text, "sentence")) == [
        "I saw Dr. Okafor at 3 p.m. on Tuesday.",
        "It helped, e.g. with pay.",
    ]


def test_repeated_sentences_each_get_their_own_place() -> None:
    text = "Yes. Yes.\nYes."
    assert units_for(text, "sentence").tolist() == [[0, 4], [5, 9], [10, 14]]


def test_paragraphs_split_at_line_breaks_and_drop_blank_ones() -> None:
    assert _texts(TEXT, units_for(TEXT, "paragraph")) == [
        "Interviewer: Hello there. How are you?",
        "Participant: Fine!  Thanks.",
        "Really.",
    ]


def test_turns_are_the_given_spans_trimmed_or_paragraphs_without_them() -> None:
    turns = [(0, 40), (40, len(TEXT))]
    assert _texts(TEXT, units_for(TEXT, "turn", turns)) == [
        "Interviewer: Hello there. How are you?",
        "Participant: Fine!  Thanks.\nReally.",
    ]
    assert units_for(TEXT, "turn").tolist() == units_for(TEXT, "paragraph").tolist()


def test_characters_are_every_non_space_code_point() -> None:
    text = "a b\n\u00e9"  # é as one code point
    assert units_for(text, "character").tolist() == [[0, 1], [2, 3], [4, 5]]


@pytest.mark.parametrize("unit", list(Unitisation))
def test_empty_or_blank_text_has_no_units(unit: Unitisation) -> None:
    for text in ("", "  \n\n "):
        assert units_for(text, unit).shape == (0, 2)


def test_unknown_unitisation_is_refused() -> None:
    with pytest.raises(ValueError):
        units_for(TEXT, "word")


def test_presence_needs_one_character_of_overlap() -> None:
    units = np.array([[0, 5], [6, 10], [11, 20]], dtype=np.int64)
    assert presence(units, [(5, 6)]).tolist() == [False, False, False]  # the gap only
    assert presence(units, [(4, 6)]).tolist() == [True, False, False]
    assert presence(units, [(9, 12)]).tolist() == [False, True, True]
    assert presence(units, [(0, 20)]).tolist() == [True, True, True]
    assert presence(units, [(1, 2), (15, 16)]).tolist() == [True, False, True]
    assert presence(units, []).tolist() == [False, False, False]


def test_presence_agrees_with_a_plain_loop() -> None:
    rng = np.random.default_rng(3)
    text = " ".join("word." for _ in range(60))
    units = units_for(text, "sentence")
    starts = rng.integers(0, len(text) - 1, size=25)
    spans = [(int(s), int(s) + int(rng.integers(1, 12))) for s in starts]
    expected = [any(s < end and start < e for s, e in spans) for start, end in units.tolist()]
    assert presence(units, spans).tolist() == expected
