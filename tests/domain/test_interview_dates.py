"""Interview dates as people write them, in a transcript header or a sheet column."""

from __future__ import annotations

from datetime import date

import pytest

from thematica.domain.interview_dates import header_date, is_date_attribute, parse_date
from thematica.errors import InvalidInputError


@pytest.mark.parametrize(
    "written",
    [
        "2024-03-12",
        "12/03/2024",
        "12.03.2024",
        "12 March 2024",
        "12th March 2024",
        "12 Mar 2024",
        "Tuesday 12 March 2024",
        "Tue, 12th Mar. 2024",
        "March 12, 2024",
        "Mar 12th 2024",
        "  12 MARCH 2024 ",
    ],
)
def test_the_ways_people_write_a_date(written: str) -> None:
    assert parse_date(written) == date(2024, 3, 12)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("31 February 2024", "not a date on the calendar"),
        ("2024-13-01", "not a date on the calendar"),
        ("12 Smarch 2024", "cannot read '12 Smarch 2024' as a date"),
        ("last Tuesday", "cannot read"),
        ("", "cannot read"),
        ("12/03/24", "cannot read"),
        ("=1+1", "cannot read"),
        ("9" * 5000, "cannot read"),
    ],
)
def test_what_is_not_a_date_is_refused_in_one_line(written: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        parse_date(written)
    assert "\n" not in str(caught.value)


def test_a_header_date_near_the_top_of_a_transcript() -> None:
    assert header_date("Interview 4\nDate: 12 March 2024\n\nINT: Hello") == date(2024, 3, 12)
    assert header_date("Interview date - 2024-03-12\nP: hi") == date(2024, 3, 12)
    assert header_date("Date of interview: 1/2/2023\n") == date(2023, 2, 1), "day first"
    assert header_date("Date: to be confirmed\nDate: 5 May 2024") == date(2024, 5, 5)
    assert header_date("P01: we went on a date: 12 March 2024 it was\n") is None, "not a header"
    assert header_date("x" * 2000 + "\nDate: 12 March 2024") is None, "only the top is a header"
    assert header_date("") is None


def test_sheet_columns_that_hold_the_interview_date() -> None:
    assert all(
        is_date_attribute(n)
        for n in ("interview_date", "Interview Date", "date-of-interview", "InterviewedOn")
    )
    assert not any(is_date_attribute(n) for n in ("date_of_birth", "setting", "dated"))
