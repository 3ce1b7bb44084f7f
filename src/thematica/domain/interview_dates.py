"""When an interview took place, for putting interviews in order (saturation is read in it).

A document's interview date comes, first to last, from: the date set by hand
(``thematica documents set-date``), a header line of the transcript (``Date: 12 March 2024``,
``Interview date: 2024-03-12``), or the participant sheet (a column such as ``interview_date``).
:func:`parse_date` reads the ways people write dates in those places; numeric dates with slashes
are read day first (``12/03/2024`` is 12 March), as in the UK studies Thematica grew from.
"""

from __future__ import annotations

import enum
import re
from datetime import date

from thematica.errors import InvalidInputError

__all__ = [
    "DATE_ATTRIBUTES",
    "DateSource",
    "header_date",
    "is_date_attribute",
    "parse_date",
]


class DateSource(enum.StrEnum):
    """Where a document's interview date was found."""

    MANUAL = "set by hand"
    HEADER = "transcript header"
    SHEET = "participant sheet"


#: Participant-sheet columns read as the interview date (compared without case, spaces, _ or -).
DATE_ATTRIBUTES = ("interview_date", "date_of_interview", "interviewed_on", "interview date")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_WEEKDAY = re.compile(
    r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE
)
#: A header line: "Date: ...", "Interview date - ...", "Date of interview: ...".
_HEADER = re.compile(
    r"^\s*(?:interview\s+date|date\s+of\s+interview|date)\s*[:\-\u2013]\s*(?P<value>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: Headers sit at the top: only this much of a transcript is searched.
_HEADER_REACH = 1500


def _build(year: int, month: int, day: int, value: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInputError(f"{value!r} is not a date on the calendar") from None


def parse_date(value: str) -> date:
    """A date as people write it: ``2024-03-12``, ``12/03/2024`` (day first), ``12 March
    2024``, ``Tuesday 12th Mar 2024``, ``March 12, 2024``.

    >>> parse_date("Tuesday, 12th March 2024"), parse_date("12/03/2024")
    (datetime.date(2024, 3, 12), datetime.date(2024, 3, 12))

    Raises
    ------
    InvalidInputError
        Anything else, with the text quoted.
    """
    text = _WEEKDAY.sub("", value.strip()).casefold()
    if found := _ISO.fullmatch(text):
        return _build(int(found[1]), int(found[2]), int(found[3]), value)
    if found := _NUMERIC.fullmatch(text):
        return _build(int(found[3]), int(found[2]), int(found[1]), value)
    if (found := _DAY_MONTH.fullmatch(text)) and found[2] in _MONTHS:
        return _build(int(found[3]), _MONTHS[found[2]], int(found[1]), value)
    if (found := _MONTH_DAY.fullmatch(text)) and found[1] in _MONTHS:
        return _build(int(found[3]), _MONTHS[found[1]], int(found[2]), value)
    raise InvalidInputError(
        f"cannot read {value!r} as a date; write it as 2024-03-12, 12/03/2024 or 12 March 2024"
    )


def header_date(text: str) -> date | None:
    """The date on a ``Date: ...`` line near the top of a transcript, if one reads as a date.

    >>> header_date("Interview 4\\nDate: 12 March 2024\\n\\nINT: Hello")
    datetime.date(2024, 3, 12)
    >>> header_date("P01: We met on a date: it was fine.") is None
    True
    """
    for found in _HEADER.finditer(text[:_HEADER_REACH]):
        try:
            return parse_date(found["value"])
        except InvalidInputError:
            continue
    return None


def is_date_attribute(name: str) -> bool:
    """True when a participant-sheet column holds the interview date.

    >>> is_date_attribute("Interview Date"), is_date_attribute("setting")
    (True, False)
    """
    squashed = re.sub(r"[\s_\-]+", "", name).casefold()
    return squashed in {re.sub(r"[\s_\-]+", "", a) for a in DATE_ATTRIBUTES}
