"""Rules for fixed-shape identifiers: NHS numbers with their modulus-11 check, UK postcodes and
phone numbers, email and web addresses, dates of birth (only with a cue)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.deid import EntityType, is_valid_nhs_number, nhs_check_digit
from thematica.deid.rules import find_rule_identifiers


def _found(text: str) -> list[tuple[str, str]]:
    return [(d.type.value, d.text) for d in find_rule_identifiers(text)]


def _check_by_hand(nine: str) -> int | None:
    # The NHS's own description: weights 10..2, remainder of 11, 11 - remainder, 11 -> 0, 10 bad.
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(nine)) % 11
    check = 11 - remainder
    return {11: 0, 10: None}.get(check, check)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_check_digit_is_modulus_11(nine: str) -> None:
    assert nhs_check_digit(nine) == _check_by_hand(nine)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9))
def test_a_number_is_valid_exactly_when_its_last_digit_is_the_check(nine: str, last: int) -> None:
    check = nhs_check_digit(nine)
    expected = check == last and len(set(nine + str(last))) > 1
    assert is_valid_nhs_number(f"{nine[:3]} {nine[3:6]} {nine[6:]}{last}") is expected


def test_known_numbers_and_their_typos() -> None:
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number("943-476-5919")
    assert not is_valid_nhs_number("943 476 5918"), "one digit off"
    assert not is_valid_nhs_number("943 476 591"), "too short"
    assert not is_valid_nhs_number("0000000000"), "all one digit passes the sum but is no number"
    with pytest.raises(ValueError):
        nhs_check_digit("12345")


def test_only_valid_nhs_numbers_are_found() -> None:
    text = "It's 943 476 5919 now; the letter said 943 476 5918, and 4505577104 too."
    assert _found(text) == [("NHS_NUMBER", "943 476 5919"), ("NHS_NUMBER", "4505577104")]


@pytest.mark.parametrize(
    "postcode", ["LS6 2QT", "m14 5rw", "SW1A 1AA", "B15 2TT", "SK41AB", "EC1A 1BB", "GIR 0AA"]
)
def test_uk_postcodes_in_any_case(postcode: str) -> None:
    assert _found(f"I live at {postcode}, near the park.") == [("POSTCODE", postcode)]


@pytest.mark.parametrize("not_postcode", ["A1 is a road", "Q1 2AB", "LS6 2QC", "V12 3AB"])
def test_shapes_that_are_not_postcodes(not_postcode: str) -> None:
    assert all(t != "POSTCODE" for t, _ in _found(not_postcode))


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "0113 496 0321",
        "+44 7700 900456",
        "(0161) 496 0000",
        "+44 (0)20 7946 0991",
        "01632 960 555",
        "0800-123-4567",
    ],
)
def test_uk_phone_numbers_as_written(phone: str) -> None:
    assert _found(f"Ring me on {phone}, any time.") == [("PHONE", phone)]


def test_numbers_that_are_not_phones() -> None:
    assert _found("In 2019 I earned 23000 and did 120 hours.") == []
    assert _found("Call 0113 496 0321 2024 was the year.")[0] == ("PHONE", "0113 496 0321")


def test_emails_and_urls_without_trailing_punctuation() -> None:
    text = (
        "Email k.osei@northvale.nhs.uk, see www.peers.org.uk. Or https://peers.example.org/a?b=1."
    )
    assert _found(text) == [
        ("EMAIL", "k.osei@northvale.nhs.uk"),
        ("URL", "www.peers.org.uk"),
        ("URL", "https://peers.example.org/a?b=1"),
    ]


def test_email_addresses_as_transcribed_from_speech() -> None:
    text = "email me, it's declan at kealy-peer-training dot co dot uk. Or jo dot b at nhs dot net"
    assert _found(text) == [
        ("EMAIL", "declan at kealy-peer-training dot co dot uk"),
        ("EMAIL", "jo dot b at nhs dot net"),
    ]
    assert _found("we met at the cafe, dot to dot") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("I was born on the 3rd of March 1987, so", "3rd of March 1987"),
        ("date of birth is 14/02/1990 if", "14/02/1990"),
        ("DOB 07.11.1975.", "07.11.1975"),
        ("born in Nottingham on the twelfth of November 1992", "twelfth of November 1992"),
        ("My birthday is March 5th, 1980.", "March 5th, 1980"),
    ],
)
def test_dates_of_birth_need_a_cue(text: str, date: str) -> None:
    assert _found(text) == [("DATE_OF_BIRTH", date)]


def test_other_full_dates_are_dates_of_their_own_type() -> None:
    assert _found("I started on the fourth of September 2023.") == [
        ("DATE", "fourth of September 2023")
    ]
    assert _found("I was born. Then on the 3rd of March 1987 I moved.") == [
        ("DATE", "3rd of March 1987")
    ]
    # an interview-date header, and numbers written as a date
    assert _found("Date of interview: 12 June 2024\nIt was 12/06/2024.") == [
        ("DATE", "12 June 2024"),
        ("DATE", "12/06/2024"),
    ]
    # a month used as a word, or a month and a year, is no full date
    assert _found("In May we changed; March 2020 was hard.") == []
    # a date of birth is found as such, not twice
    assert _found("my birthday is 3 October 1985") == [("DATE_OF_BIRTH", "3 October 1985")]


def test_types_parse_from_what_people_type() -> None:
    assert EntityType.parse("nhs number") is EntityType.NHS_NUMBER
    assert EntityType.parse("org") is EntityType.ORGANISATION
    assert EntityType.parse("Person") is EntityType.PERSON
