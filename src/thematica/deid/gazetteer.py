"""The word lists the name detector looks names up in, shipped as data in the package.

The lists (``deid/data/*.txt``) were written for Thematica from public facts: common UK forenames
and surnames, UK towns and cities, employers that interviewees name. They are loaded once, on
first use, never at import; nothing is downloaded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

__all__ = ["Gazetteer", "packaged_gazetteer"]


def _words(name: str, *, one_per_line: bool = False) -> frozenset[str]:
    text = resources.files("thematica.deid").joinpath("data", name).read_text(encoding="utf-8")
    found: set[str] = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if one_per_line:
            found.add(" ".join(line.casefold().split()))
        else:
            found.update(line.casefold().split())
    return frozenset(found)


@dataclass(frozen=True)
class Gazetteer:
    """Lower-case (casefolded) entries; multi-word places and organisations joined by one space."""

    forenames: frozenset[str]
    ambiguous_forenames: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    ambiguous_places: frozenset[str]
    organisations: frozenset[str]
    common_words: frozenset[str]
    #: countries, nations and nationalities: one way everywhere, never proposed
    countries: frozenset[str] = frozenset()
    #: surnames of authors often cited in qualitative research (a cue still decides)
    authors: frozenset[str] = frozenset()

    @functools.cached_property
    def longest_entry(self) -> int:
        """The most words in one place or organisation name, to bound the lookups."""
        return max(len(e.split()) for e in self.places | self.organisations | self.countries)


@functools.cache
def packaged_gazetteer() -> Gazetteer:
    """The gazetteer shipped with Thematica (loaded once)."""
    return Gazetteer(
        forenames=_words("forenames.txt"),
        ambiguous_forenames=_words("ambiguous_forenames.txt"),
        surnames=_words("surnames.txt"),
        places=_words("places.txt", one_per_line=True),
        ambiguous_places=_words("ambiguous_places.txt"),
        organisations=_words("organisations.txt", one_per_line=True),
        common_words=_words("common_words.txt") | _words("ordinary_words.txt"),
        countries=_words("countries.txt", one_per_line=True),
        authors=_words("authors.txt"),
    )
