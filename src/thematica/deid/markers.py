"""Redaction markers already in a text: nothing is proposed inside one.

Depositors and transcribers redact before a transcript reaches a study: ``[Redacted University]``,
``[Name]``, ``<name>``, ``XXX``, ``***``; and a text de-identified here carries Thematica's own
labels (``[Person 3]``). A detection touching one would put a placeholder inside a placeholder
(``[[Person 47] member]``, issue 11), so the detectors' findings that overlap a marker are dropped.
"""

from __future__ import annotations

import bisect
import re

from thematica.deid.entities import Detection

__all__ = ["marker_spans", "outside_markers"]

_WHAT = (
    r"redacted|redaction|removed|anonymi[sz]ed|withheld|deleted|omitted|pseudonym|name|names|"
    r"surname|forename|first name|person|participant|place|location|town|city|village|area|"
    r"address|street|organi[sz]ation|employer|company|charity|service|trust|hospital|ward|"
    r"university|college|school|workplace|team|date|dob|number|phone|email|identifier|"
    r"identifying|colleague|manager|relative|partner|family member|friend|child|son|daughter|"
    r"cited author|author|[A-Z][\w ]{0,25} \d{1,4}"  # Thematica's own labels: [Person 3]
)
_MARKER = re.compile(
    rf"\[\s*(?:{_WHAT})\b[^\[\]\n]{{0,60}}\]"  # [Redacted University], [Name of ward], [Person 3]
    rf"|<\s*(?:{_WHAT})\b[^<>\n]{{0,40}}>"  # <name>, <place>
    r"|\bX{2,}\b|\bx{3,}\b|\*{3,}|_{3,}|█+",  # XXX, ***, ___, blacked out
    re.IGNORECASE,
)


def marker_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a redaction marker, in order.

    >>> marker_spans("at [Redacted University] with XXX and [laughs]")
    [(3, 24), (30, 33)]
    """
    return [m.span() for m in _MARKER.finditer(text)]


def outside_markers(markers: list[tuple[int, int]], detections: list[Detection]) -> list[Detection]:
    """``detections`` less those that overlap one of ``markers`` (see :func:`marker_spans`)."""
    if not markers:
        return detections
    starts = [s for s, _e in markers]
    kept = []
    for d in detections:
        i = bisect.bisect_left(starts, d.span.end) - 1  # the last marker starting before its end
        if i < 0 or markers[i][1] <= d.span.start:
            kept.append(d)
    return kept
