"""Which participant id a transcript's file name holds (domain.participant_names)."""

from __future__ import annotations

import pytest

from thematica.domain.participant_names import NameMatch, participant_in_name

LABELS = ["P01", "P02", "P1", "P10"]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("P01", "P01"),
        (" p01 ", "P01"),
        ("P01_interview", "P01"),
        ("P02-transcript", "P02"),
        ("Interview P01", "P01"),
        ("interview_p1_final", "P1"),
        ("P10", "P10"),  # P1 is not a whole token of P10
    ],
)
def test_one_id_as_the_name_or_a_whole_token_links(name: str, label: str) -> None:
    assert participant_in_name(name, LABELS) == NameMatch(label)


def test_two_ids_are_never_guessed_between() -> None:
    assert participant_in_name("P01 and P02 joint", LABELS) == NameMatch(None, ("P01", "P02"))


@pytest.mark.parametrize("name", ["P011", "XP01", "notes", "P0"])
def test_no_whole_token_no_link(name: str) -> None:
    assert participant_in_name(name, LABELS) == NameMatch(None)


def test_labels_with_spaces_or_symbols_are_matched_literally() -> None:
    assert participant_in_name("Site A.3 interview", ["A.3", "A3"]).label == "A.3"
    assert participant_in_name("anything", []) == NameMatch(None)
