"""Rules for identifiers with a fixed shape: email and web addresses (also as spoken: "jo at
example dot org"), UK phone numbers, UK postcodes, NHS numbers (with their modulus-11 check
digit) and dates of birth.

Pure regular expressions and check code, no model: these identifiers have a written form that a
rule finds more reliably than a statistical tagger, and a check digit that only a rule can test.
A full date (day, month and year) is a ``DATE``, its own type, interview-date headers
included. Phone numbers are UK numbers as people say and write them (``07700 900123``,
``0113 496 0321``, ``+44 7700 900456``, ``(0161) 496 0000``). A date is a date *of birth* only
with a cue before it ("born on", "date of birth", "DOB", "my birthday is").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from thematica.deid.entities import Detection, EntityType
from thematica.domain.text import Span

__all__ = ["find_rule_identifiers", "is_valid_nhs_number", "nhs_check_digit"]


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit of an NHS number's first nine digits; ``None`` if no number
    with these nine digits is valid (the remainder gives 10).

    Weights 10 down to 2; the check digit is ``11 - (sum mod 11)``, and 11 becomes 0.

    >>> nhs_check_digit("943476591")
    9
    """
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("an NHS number's check digit needs exactly nine digits")
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def is_valid_nhs_number(value: str) -> bool:
    """True if ``value`` (spaces and hyphens allowed) is ten digits with a valid check digit.

    >>> is_valid_nhs_number("943 476 5919"), is_valid_nhs_number("943 476 5918")
    (True, False)
    """
    digits = re.sub(r"[\s-]", "", value)
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


_TRAILING = ".,;:!?)]}'\"’"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An address as a transcriber writes down speech: "declan at kealy-training dot co dot uk".
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.+-]+(?:\s+dot\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*"
    r"\s+dot\s+(?:com|org|net|uk|nhs|gov|info|io|co\s+dot\s+uk|org\s+dot\s+uk)\b",
    re.IGNORECASE,
)
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9-]+\.)+(?:org|com|net|gov|nhs|ac|co|info|io)(?:\.uk)?(?:/[^\s<>\"']*)?"
    r"|\b(?:[a-z0-9-]+\.)+uk(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_NHS = re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])")
# A UK number: +44 (optionally "(0)") or a leading 0, then digits in groups separated by one
# space or hyphen, possibly with the area code in brackets. Checked for digit count afterwards.
_PHONE = re.compile(r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?|\(0|0)\d[\d)]*(?:[ -]\(?\d+\)?){0,4}")
_POSTCODE = re.compile(
    r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    "|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    "|twenty[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth"
    "|thirty[- ]first"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_YEAR = r"(?:19|20)\d\d"
_DATE = re.compile(
    rf"\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:{_YEAR}|\d\d)\b"
    rf"|(?:the\s+)?{_DAY}\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+{_YEAR}"
    rf"|(?:{_MONTHS})\.?\s+(?:the\s+)?{_DAY},?\s+{_YEAR}",
    re.IGNORECASE,
)
_BIRTH_CUE = re.compile(
    r"\b(?:born|date\s+of\s+birth|d\.?o\.?b\b\.?|birth\s*date|birthday)", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")
_CUE_REACH = 60  # characters after a cue in which a date of birth may start


def _trimmed(match: re.Match[str]) -> tuple[int, int]:
    start, end = match.span()
    while end > start and match.string[end - 1] in _TRAILING:
        end -= 1
    return start, end


def _detection(text: str, start: int, end: int, type_: EntityType) -> Detection:
    return Detection(Span(start, end), type_, text[start:end], "rules")


def _emails(text: str) -> Iterator[Detection]:
    for m in _EMAIL.finditer(text):
        start, end = _trimmed(m)
        yield _detection(text, start, end, EntityType.EMAIL)


def _spoken_emails(text: str) -> Iterator[Detection]:
    for m in _SPOKEN_EMAIL.finditer(text):
        yield _detection(text, m.start(), m.end(), EntityType.EMAIL)


def _urls(text: str) -> Iterator[Detection]:
    for m in _URL.finditer(text):
        start, end = _trimmed(m)
        if start > 0 and text[start - 1] == "@":
            continue  # the domain of an email address
        yield _detection(text, start, end, EntityType.URL)


def _nhs_numbers(text: str) -> Iterator[Detection]:
    for m in _NHS.finditer(text):
        if is_valid_nhs_number(m.group()):
            yield _detection(text, m.start(), m.end(), EntityType.NHS_NUMBER)


def _national_digits(candidate: str) -> str:
    """The number as dialled inside the UK: ``+44 (0)7700 900456`` -> ``07700900456``."""
    digits = "".join(c for c in candidate if c.isdigit())
    if candidate.startswith("+44"):
        digits = digits[2:]
    return digits if digits.startswith("0") else "0" + digits


def _phones(text: str) -> Iterator[Detection]:
    for m in _PHONE.finditer(text):
        start, end = _trimmed(m)
        candidate = text[start:end]
        # UK numbers are 0 and 9 or 10 more digits; a group that makes the count too long is
        # another number said straight after, so groups are dropped from the right until it fits.
        while len(_national_digits(candidate)) > 11 and " " in candidate:
            candidate = candidate[: candidate.rfind(" ")].rstrip(" -")
        digits = _national_digits(candidate)
        if 10 <= len(digits) <= 11 and digits[1] != "0":
            yield _detection(text, start, start + len(candidate), EntityType.PHONE)


def _postcodes(text: str) -> Iterator[Detection]:
    for m in _POSTCODE.finditer(text):
        yield _detection(text, m.start(), m.end(), EntityType.POSTCODE)


def _dates_of_birth(text: str) -> Iterator[Detection]:
    for cue in _BIRTH_CUE.finditer(text):
        window = text[cue.end() : cue.end() + _CUE_REACH]
        stop = _SENTENCE_END.search(window)
        # a date such as 07.11.1975 contains full stops; only a stop followed by space ends it
        date = _DATE.search(window)
        if date is None or (stop is not None and stop.start() < date.start()):
            continue
        start, end = cue.end() + date.start(), cue.end() + date.end()
        if text[start:end].lower().startswith("the "):
            start += 4
        yield _detection(text, start, end, EntityType.DATE_OF_BIRTH)


_YEAR_OR_NUMBERS = re.compile(rf"{_YEAR}|\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d\d")
_DATE_REACH = 48  # characters before a year in which its date may start ("twenty-first of ...")


def _dates(text: str) -> Iterator[re.Match[str]]:
    """Every full date in ``text``: the date pattern is tried only near a year or a numeric
    date, which every full date has (trying it everywhere cost a third of detection's time)."""
    position = 0
    for anchor in _YEAR_OR_NUMBERS.finditer(text):
        start = max(position, anchor.start() - _DATE_REACH)
        end = min(len(text), anchor.end() + 12)
        if anchor.end() <= position:
            continue
        for m in _DATE.finditer(text, start, end):
            if m.end() > position:
                position = m.end()
                yield m


def _full_dates(text: str) -> Iterator[Detection]:
    """Every full date (day, month and year): "14 March 2018", "12/06/2024", "the fourth of
    September 2023". A date of birth is found as such by :func:`_dates_of_birth` instead."""
    for m in _dates(text):
        start, end = m.span()
        if text[start:end].lower().startswith("the "):
            start += 4
        yield _detection(text, start, end, EntityType.DATE)


def find_rule_identifiers(text: str) -> list[Detection]:
    """Every email and web address, UK phone number, UK postcode, valid NHS number and date of
    birth in ``text``, in order; overlaps are left for :func:`thematica.deid.detect` to settle."""
    found: list[Detection] = []
    for finder in (
        _emails,
        _spoken_emails,
        _urls,
        _nhs_numbers,
        _phones,
        _postcodes,
        _dates_of_birth,
    ):
        found.extend(finder(text))
    births = [d.span for d in found if d.type is EntityType.DATE_OF_BIRTH]
    found += [d for d in _full_dates(text) if not any(d.span.overlaps(b) for b in births)]
    return sorted(found)
