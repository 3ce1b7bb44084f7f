"""All detectors together: the rules, the study's own list and the name detector.

Where two detections overlap, one is kept: rules first (an email address holds a name, a URL
holds a place), then the study's list (the team knows best), then the name detector; within a
kind, the longer span.
"""

from __future__ import annotations

from collections.abc import Mapping

from thematica.deid.acronyms import find_acronyms
from thematica.deid.citations import find_authors
from thematica.deid.entities import NAMED_TYPES, Detection, EntityType, normal_form
from thematica.deid.gazetteer import Gazetteer, packaged_gazetteer
from thematica.deid.knowledge import StudyKnowledge
from thematica.deid.markers import marker_spans, outside_markers
from thematica.deid.names import find_names
from thematica.deid.rules import find_rule_identifiers
from thematica.deid.study_terms import find_terms

__all__ = ["detect", "settle_overlaps"]

_PRIORITY = {"rules": 0, "study-list": 1, "reviewer": 1, "citations": 1, "acronyms": 1, "names": 2}


def settle_overlaps(detections: list[Detection]) -> list[Detection]:
    """Keep one detection wherever several overlap (see the module docstring), in text order."""
    ranked = sorted(
        detections, key=lambda d: (_PRIORITY.get(d.detector, 3), -len(d.span), d.span.start)
    )
    kept: list[Detection] = []
    taken: list[tuple[int, int]] = []
    for d in ranked:
        if any(d.span.start < end and start < d.span.end for start, end in taken):
            continue
        kept.append(d)
        taken.append((d.span.start, d.span.end))
    return sorted(kept)


def detect(
    text: str,
    *,
    terms: Mapping[str, EntityType] | None = None,
    known: StudyKnowledge | None = None,
    gazetteer: Gazetteer | None = None,
    names: bool = True,
) -> list[Detection]:
    """Every identifier found in ``text``, without overlaps, in order.

    ``terms`` is the study's own list (term -> type) and ``known`` the names the study knows for
    this document (its sheet, speakers and file names); ``names=False`` runs the rules (and the
    lists) alone, which is the baseline the benchmark compares against. Nothing is proposed
    inside a redaction marker already in the text (``[Redacted ...]``, ``XXX``, ``[Person 3]``).

    >>> [(d.text, d.type.value) for d in detect("Ring Sarah on 07700 900123 in Leeds")]
    [('Sarah', 'PERSON'), ('07700 900123', 'PHONE'), ('Leeds', 'PLACE')]
    """
    g = gazetteer or packaged_gazetteer()
    found = find_rule_identifiers(text)
    if terms:
        found += find_terms(text, terms)
    if known is not None:
        found += known.find(text, g)
    if names:
        found += find_authors(text, g) + find_names(text, g)
    markers = marker_spans(text)
    kept = settle_overlaps(outside_markers(markers, found))
    if names:
        organisations = [d for d in kept if d.type is EntityType.ORGANISATION]
        acronyms = [
            Detection(d.span, d.type, d.text, "acronyms", d.score)
            for d in find_acronyms(text, organisations, g)
        ]
        kept = settle_overlaps(outside_markers(markers, kept + acronyms))
    return settle_overlaps(outside_markers(markers, kept + _elsewhere(text, kept, g)))


def _elsewhere(text: str, found: list[Detection], gazetteer: Gazetteer) -> list[Detection]:
    """A name found once is looked for everywhere in the text: "Achterberg" capitalised in one
    sentence makes "achterberg" in lower case in the next one a name too. Names that are also
    words ("Carol", "Will") and names only guessed (an unknown capitalised word) spread only where
    written the same way, capitalised; ordinary words ("Mind") do not spread at all."""
    words = gazetteer.common_words | gazetteer.ambiguous_places | gazetteer.countries
    sure: dict[str, EntityType] = {}  # found by a list, a title or a cue: spread in any case
    guessed: dict[str, EntityType] = {}  # spread only where written the same (capitalised)
    for d in found:
        key = normal_form(d.text, d.type)
        if d.type not in NAMED_TYPES or len(d.text) < 3 or key in words:
            continue
        wordy = key in gazetteer.ambiguous_forenames  # "Carol" yes, "carol" no
        (sure if d.score > 0.5 and not wordy else guessed)[key] = d.type
    spread = find_terms(text, sure)
    capitalised = {d.text for d in found if normal_form(d.text, d.type) in guessed}
    spread += [d for d in find_terms(text, guessed) if d.text in capitalised]
    return [Detection(d.span, d.type, d.text, "names", 0.6) for d in spread]
