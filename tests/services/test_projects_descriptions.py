"""Codes' criteria and codings' valence travel through REFI-QDA descriptions and come back."""

from __future__ import annotations

import pytest

from thematica.domain.codings import Valence
from thematica.services.projects_descriptions import (
    code_description,
    parse_code_description,
    parse_selection_description,
    selection_description,
)


@pytest.mark.parametrize(
    "fields",
    [
        ("Feeling backed.", "supervision talk", "training", "'She gets it.'"),
        ("", "only inclusion", "", ""),
        ("Two\n\nparagraphs", "", "", "an example\nover lines"),
        ("", "", "", ""),
    ],
)
def test_code_fields_round_trip(fields: tuple[str, str, str, str]) -> None:
    assert parse_code_description(code_description(*fields)) == fields


def test_another_tools_description_is_all_definition() -> None:
    text = "Use for pay.\n\nExample: the bonus scheme.\n\nInclusion: wages"  # out of order
    assert parse_code_description(text) == (text, "", "", "")
    assert parse_code_description("Plain words") == ("Plain words", "", "", "")


@pytest.mark.parametrize(
    ("valence", "memo"),
    [(Valence.BARRIER, "why"), (None, "just a memo"), (Valence.MIXED, ""), (None, "")],
)
def test_selection_fields_round_trip(valence: Valence | None, memo: str) -> None:
    assert parse_selection_description(selection_description(valence, memo)) == (valence, memo)


def test_a_memo_that_merely_mentions_valence_is_kept_whole() -> None:
    assert parse_selection_description("Valence: unclear here") == (None, "Valence: unclear here")
