"""What a detector finds: an identifier's kind, and a detection (a span of text with its kind)."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from thematica.domain.text import Span
from thematica.errors import InvalidInputError

__all__ = ["NAMED_TYPES", "Detection", "EntityType", "normal_form"]


class EntityType(enum.StrEnum):
    PERSON = "PERSON"
    PLACE = "PLACE"
    ORGANISATION = "ORGANISATION"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    DATE = "DATE"  # a full date (day, month and year), interview-date headers included
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    POSTCODE = "POSTCODE"
    NHS_NUMBER = "NHS_NUMBER"
    URL = "URL"
    IDENTIFIER = "IDENTIFIER"  # a term from the study's own list
    AUTHOR = "AUTHOR"  # an author cited ("Braun and Clarke"): a study may choose to keep them

    @property
    def noun(self) -> str:
        """The word used in a replacement label: ``[Person 3]``, ``[NHS number 1]``."""
        return _NOUNS[self]

    @classmethod
    def parse(cls, value: str) -> EntityType:
        """``person``, ``Person``, ``nhs-number``, ``NHS number`` ... -> the type; or raise."""
        key = re.sub(r"[\s\-]+", "_", value.strip()).upper()
        key = _ALIASES.get(key, key)
        try:
            return cls(key)
        except ValueError:
            known = ", ".join(t.value for t in cls)
            raise InvalidInputError(f"unknown identifier type {value!r} (types: {known})") from None


_NOUNS = {
    EntityType.PERSON: "Person",
    EntityType.PLACE: "Place",
    EntityType.ORGANISATION: "Organisation",
    EntityType.DATE_OF_BIRTH: "Date of birth",
    EntityType.DATE: "Date",
    EntityType.PHONE: "Phone",
    EntityType.EMAIL: "Email",
    EntityType.POSTCODE: "Postcode",
    EntityType.NHS_NUMBER: "NHS number",
    EntityType.URL: "URL",
    EntityType.IDENTIFIER: "Identifier",
    EntityType.AUTHOR: "Cited author",
}
#: The types whose text is a name: one found once is looked for again, elsewhere in the text
#: (:func:`thematica.deid.detect`) and in the study's later documents (its mapping).
NAMED_TYPES = frozenset(
    {
        EntityType.PERSON,
        EntityType.PLACE,
        EntityType.ORGANISATION,
        EntityType.IDENTIFIER,
        EntityType.AUTHOR,
    }
)
_ALIASES = {
    "NAME": "PERSON",
    "ORG": "ORGANISATION",
    "ORGANIZATION": "ORGANISATION",
    "EMPLOYER": "ORGANISATION",
    "LOCATION": "PLACE",
    "DOB": "DATE_OF_BIRTH",
    "NHS": "NHS_NUMBER",
    "TELEPHONE": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "CUSTOM": "IDENTIFIER",
    "CITED_AUTHOR": "AUTHOR",
    "CITATION": "AUTHOR",
    "FULL_DATE": "DATE",
}


@dataclass(frozen=True, slots=True, order=True)
class Detection:
    """One identifier found (or added by a reviewer) in a text.

    ``detector`` says what found it (``rules``, ``names``, ``study-list``, ``reviewer``), so a
    reviewer can judge it and the evaluation can compare detectors.
    """

    span: Span
    type: EntityType
    text: str
    detector: str = "rules"
    score: float = 1.0


_POSSESSIVE = re.compile(r"['’]s?$")
_SPACE = re.compile(r"\s+")
_DIGITS_ONLY = {EntityType.PHONE, EntityType.NHS_NUMBER}


def normal_form(text: str, type_: EntityType) -> str:
    """The key under which a surface form is replaced consistently across a study.

    ``Sarah``, ``sarah`` and ``Sarah's`` are one person; ``07700 900123`` and ``07700900123`` one
    phone. Case, accents' composition, spacing and a trailing possessive do not make a new person.

    >>> normal_form("Sarah’s", EntityType.PERSON)
    'sarah'
    >>> normal_form("+44 7700 900-123", EntityType.PHONE)
    '447700900123'
    """
    folded = unicodedata.normalize("NFC", text).casefold().strip()
    if type_ in _DIGITS_ONLY:
        return "".join(c for c in folded if c.isdigit())
    if type_ is EntityType.POSTCODE:
        return folded.replace(" ", "")
    folded = _SPACE.sub(" ", folded)
    return _POSSESSIVE.sub("", folded) if type_ is not EntityType.URL else folded
