"""Which participant attributes identify a person: one definition for deid and every output."""

from __future__ import annotations

import pytest

from thematica.domain.identifying import (
    identifying,
    is_identifying,
    is_name_attribute,
    left_out_note,
)


@pytest.mark.parametrize(
    "name",
    ["name", "Name", " Real Name ", "real-name", "FULL_NAME", "Interviewer", "nickname",
     "Preferred Name", "surname", "researcher"],
)  # fmt: skip
def test_names_are_identifying_in_any_case_or_spacing(name: str) -> None:
    assert is_identifying(name)
    assert is_name_attribute(name)


@pytest.mark.parametrize("name", ["pseudonym", "Alias", "known as"])
def test_pseudonyms_are_shown_but_still_looked_for(name: str) -> None:
    assert not is_identifying(name)
    assert is_name_attribute(name)


@pytest.mark.parametrize("name", ["setting", "age", "names_of_teams", "username", ""])
def test_other_attributes_are_neither(name: str) -> None:
    assert not is_identifying(name)
    assert not is_name_attribute(name)


def test_the_note_lists_each_identifying_attribute_once() -> None:
    held = ["setting", "name", "surname", "name", "pseudonym"]
    assert identifying(held) == ("name", "surname")
    assert left_out_note(held, "the report") == (
        "Left out of the report: name, surname (identifying; used only for de-identification)"
    )
    assert left_out_note(["setting"], "the report") == ""
