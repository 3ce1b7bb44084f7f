"""What a single line says about a speaker: the label layouts researchers meet, one line at a time.

Pure functions of one line (already without its indentation); :mod:`.speakers` decides which of
the candidates found count (a label must recur, or be a known interviewer or participant). The
layouts, each with the speech where it sits:

- ``Name: speech``, ``**Name:** speech`` (Markdown), ``Name：speech`` (full-width colon), with a
  timestamp before or after the name (``[00:01:02] Sam: ...``, ``Sam (01:02): ...``);
- ``Researcher 1:`` alone on its line, the speech on the next lines;
- ``[id1] speech``, the tags QualCoder and some transcribers use; a bracketed phrase that reads
  as an annotation (``[laughs]``, ``[pause for breath]``, a lower-case phrase) is no speaker, so
  a wrapped PDF line that starts with one stays in its turn;
- ``Name  01:02`` or ``Name 01:02`` on a line of its own (Otter and similar), speech below;
- a name alone on its line after a blank line, the speech on the next line (only where the
  caller says the next line holds speech).

A name is one to five words of letters (any script: ``Nguyễn Thị Lan``, ``محمد``, ``李伟``,
``प्रिया``), marks, digits and ``.'’-_``; it starts with a capital, a digit or a letter of a script
without case, or with a surname particle (``de``, ``van``, ``al`` ...) before a capital, so that
prose such as ``note that: ...`` is not taken for a speaker.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "ANNOTATIONS",
    "HEADER_KEYS",
    "Marker",
    "is_name",
    "label_marker",
    "name_alone",
    "parse_clock",
    "split_label",
]

#: Keys of transcription-service header lines: metadata, never a speaker.
HEADER_KEYS = frozenset(
    {
        "date", "time", "duration", "length", "location", "place", "venue", "recorded",
        "recording", "audio", "audio file", "file", "file name", "filename", "title",
        "transcript", "transcribed by", "transcriber", "transcription", "transcription date",
        "interview date", "date of interview", "interview", "interview id", "participants",
        "speakers", "attendees", "project", "study", "job", "job number", "reference", "ref",
        "language", "note", "notes", "keywords", "summary", "subject", "topic", "created",
    }
)  # fmt: skip

#: Annotations that sit in brackets at a line start but are not speakers.
ANNOTATIONS = frozenset(
    {
        "inaudible", "laughs", "laughter", "laughing", "pause", "long pause", "crosstalk",
        "silence", "music", "unclear", "noise", "sighs", "coughs", "redacted", "overlapping",
        "background noise", "interruption", "end", "start", "break", "tearful", "crying",
        "overlapping talk", "cross talk", "indistinct", "phone rings", "applause",
    }
)  # fmt: skip

_PARTICLES = frozenset(
    {
        "de", "da", "do", "dos", "das", "del", "della", "di", "du", "la", "le", "van", "von",
        "der", "den", "ten", "ter", "al", "el", "bin", "ibn", "bint", "ben", "ap", "mac", "st",
    }
)  # fmt: skip
_PUNCTUATION = frozenset(".'’-_")
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL = re.compile(
    rf"(?:[\[(]?(?P<before>{_CLOCK})[\])]?[ \t]+)?"
    r"(?:\*\*)?(?P<speaker>\[[^\]:：\n]{1,40}\]|[^\s:：*\[\]()][^:：*\[\]()\n]{0,60}?)"
    rf"(?:[ \t]*[\[(](?P<after>{_CLOCK})[\])])?"
    r"[ \t]*(?:\*\*)?(?::(?:\*\*)?(?:[ \t]+|$)|：(?:\*\*)?[ \t]*)"
)
_TAG = re.compile(r"\[(?P<speaker>[^\W_][^\]\n]{0,30})\][ \t]+\S")
_TIMED_NAME = re.compile(
    rf"(?P<speaker>[^\s:：\[\]()][^:：\[\]()\n]{{0,60}}?)[ \t]+(?P<after>{_CLOCK})[ \t]*"
)


class Marker(NamedTuple):
    """A line's speaker label: who, when (seconds) if the line says, and whether speech follows
    on the same line."""

    speaker: str
    seconds: float | None


def parse_clock(clock: str) -> float:
    """Seconds in ``mm:ss``, ``h:mm:ss`` or ``hh:mm:ss.mmm`` (``,`` for SRT's decimal point)."""
    seconds = 0.0
    for part in clock.replace(",", ".").split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


@functools.lru_cache(maxsize=4096)  # labels recur thousands of times in one transcript
def is_name(label: str, *, max_words: int = 5) -> bool:
    """True if ``label`` reads as a speaker's name or role (see the module's rules)."""
    words = label.split()
    if not words or len(words) > max_words or label.casefold() in HEADER_KEYS:
        return False
    for char in label:
        if char != " " and char not in _PUNCTUATION and unicodedata.category(char)[0] not in "LMN":
            return False
    first = words[0][0]
    if first.isupper() or first.isdigit() or unicodedata.category(first) in ("Lt", "Lo"):
        return True
    # "de Souza", "van der Berg", "al-Hassan": a particle, then a capital further on.
    particle = words[0].split("-")[0].casefold()
    return particle in _PARTICLES and any(
        w[:1].isupper() for w in [*words[1:], *words[0].split("-")[1:]]
    )


def label_marker(line: str) -> Marker | None:
    """The speaker a line opens a turn for, by a label on it, or None.

    ``line`` has no newline and no indentation. Covers ``Name: speech``, ``Name:`` alone,
    ``[id1] speech`` and ``Name 01:02`` alone.
    """
    match = _LABEL.match(line)
    if match is not None:
        speaker = match.group("speaker").strip().strip("[]").strip()
        if is_name(speaker):
            clock = match.group("before") or match.group("after")
            return Marker(speaker, parse_clock(clock) if clock else None)
    if line.startswith("["):
        match = _TAG.match(line)
        if match is not None:
            speaker = match.group("speaker").strip()
            if _is_tag(speaker):
                return Marker(speaker, None)
    match = _TIMED_NAME.fullmatch(line)
    if match is not None and is_name(match.group("speaker").strip()):
        return Marker(match.group("speaker").strip(), parse_clock(match.group("after")))
    return None


def split_label(line: str) -> tuple[str, str] | None:
    """``(speaker, rest)`` if ``line`` opens with a ``Name:`` label, else None."""
    match = _LABEL.match(line)
    if match is None:
        return None
    speaker = match.group("speaker").strip().strip("[]").strip()
    if not is_name(speaker):
        return None
    return speaker, line[match.end() :]


def _is_tag(speaker: str) -> bool:
    """Yes for ``[id1]``, ``[P07]``, ``[Sam]``; no for ``[laughs]``, ``[a sigh]``, ``[0:12]``."""
    if speaker.casefold() in ANNOTATIONS or re.fullmatch(r"[\d:.,\s]+", speaker):
        return False
    words = speaker.split()
    if len(words) > 3:
        return False
    first = speaker[0]
    if first.islower():
        # Lower case reads as an annotation, unless it is an id such as "id1" or "p07".
        return len(words) == 1 and any(c.isdigit() for c in speaker)
    return is_name(speaker, max_words=3)


def name_alone(line: str) -> str | None:
    """``line`` if it is nothing but a name (at most four words, no final full stop)."""
    label = line.strip()
    if not label or label[-1] in ".?!,;" or len(label) > 40:
        return None
    return label if is_name(label, max_words=4) else None
