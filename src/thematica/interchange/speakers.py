"""Who said what: speaker turns found in a canonical text, and speakers' roles.

Pure functions over strings, shared by every format. A turn starts at a line that carries one of
the speaker markers researchers meet, and runs until the next marker:

- ``Name: speech`` (``**Name:**`` in Markdown), optionally with a timestamp before the name or
  after it (``[00:01:02] Sam: ...``, ``Sam (01:02): ...``);
- ``[id1] speech``, the tags QualCoder and some transcribers use;
- ``Name  01:02`` on a line of its own (Otter and similar services), the speech on the next lines.

A turn's span covers its marker and the speech, so a transcript's turns tile its body. Lines before
the first turn stay in the text but in no turn; so do transcription-service headers (``Date:``,
``Duration:``, ``Participants:`` ...), which are never taken for speakers. Labels are short (at
most five words) and start with a capital letter or digit, so that prose such as
``note that: ...`` is not taken for a speaker.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from thematica.domain.study import Turn
from thematica.domain.text import Span

__all__ = [
    "HEADER_KEYS",
    "INTERVIEWER",
    "PARTICIPANT",
    "Utterance",
    "assign_roles",
    "detect_turns",
    "parse_clock",
    "render_turns",
    "split_label",
]

INTERVIEWER = "interviewer"
PARTICIPANT = "participant"

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

# Annotations that sit in brackets at a line start but are not speakers.
_ANNOTATIONS = frozenset(
    {
        "inaudible", "laughs", "laughter", "laughing", "pause", "long pause", "crosstalk",
        "silence", "music", "unclear", "noise", "sighs", "coughs", "redacted", "overlapping",
        "background noise", "interruption", "end", "start", "break", "tearful", "crying",
    }
)  # fmt: skip

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_WORD = r"[\w.'’\-\[\]]"
_NAME = rf"[A-Z0-9À-ÖØ-Þ\[]{_WORD}*(?: {_WORD}+){{0,4}}"
_LABEL = re.compile(
    rf"(?:[\[(]?(?P<before>{_CLOCK})[\])]?[ \t]+)?"
    rf"(?:\*\*)?(?P<speaker>{_NAME})"
    rf"(?:[ \t]*[\[(](?P<after>{_CLOCK})[\])])?"
    rf"(?:\*\*)?:(?:\*\*)?[ \t]"
)
_TAG = re.compile(r"\[(?P<speaker>[^\W_][\w.\- ]{0,30})\][ \t]+\S")
# Two spaces or a tab before the time, so that a line of prose ("We met at 10:30") is no header.
_OTTER = re.compile(rf"(?P<speaker>{_NAME})(?: {{2,}}|\t)(?P<after>{_CLOCK})[ \t]*$")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One speaker's speech before it is laid out as text (from subtitles or tables)."""

    speaker: str
    text: str
    start_seconds: float | None = None
    end_seconds: float | None = None


def parse_clock(clock: str) -> float:
    """Seconds in ``mm:ss``, ``h:mm:ss`` or ``hh:mm:ss.mmm`` (``,`` for SRT's decimal point)."""
    parts = clock.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def split_label(line: str) -> tuple[str, str] | None:
    """``(speaker, rest)`` if ``line`` opens with a ``Name:`` label, else None."""
    match = _LABEL.match(line)
    if match is None:
        return None
    speaker = match.group("speaker").strip("[]").strip()
    if not speaker or speaker.casefold() in HEADER_KEYS:
        return None
    return speaker, line[match.end() :]


def _marker(line: str) -> tuple[str, float | None] | None:
    """The speaker (and time) this line opens a turn for, or None."""
    match = _LABEL.match(line)
    if match and match.group("speaker"):
        speaker = match.group("speaker").strip("[]").strip()
        if speaker and speaker.casefold() not in HEADER_KEYS:
            clock = match.group("before") or match.group("after")
            return speaker, parse_clock(clock) if clock else None
    match = _TAG.match(line)
    if match:
        speaker = match.group("speaker").strip()
        if speaker.casefold() not in _ANNOTATIONS and not re.fullmatch(r"[\d:.,\s]+", speaker):
            return speaker, None
    match = _OTTER.match(line)
    if match and match.group("speaker").casefold() not in HEADER_KEYS:
        return match.group("speaker"), parse_clock(match.group("after"))
    return None


def detect_turns(text: str) -> tuple[Turn, ...]:
    """Speaker turns in canonical ``text``; none if no line carries a speaker marker."""
    starts: list[tuple[int, str, float | None]] = []
    offset = 0
    for line in text.split("\n"):
        found = _marker(line)
        if found is not None:
            starts.append((offset, found[0], found[1]))
        offset += len(line) + 1
    turns: list[Turn] = []
    for i, (start, speaker, seconds) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            turns.append(Turn(Span(start, end), speaker, seconds))
    return tuple(turns)


def render_turns(utterances: Sequence[Utterance]) -> tuple[str, tuple[Turn, ...]]:
    """Lay utterances out as ``Name: speech`` paragraphs; their turns keep the times given.

    Consecutive utterances by one speaker become one turn (subtitle cues split sentences and
    turns arbitrarily); an utterance with no speaker continues the turn before it.
    """
    merged: list[Utterance] = []
    for utterance in utterances:
        words = " ".join(utterance.text.split())
        if not words:
            continue
        previous = merged[-1] if merged else None
        if previous is not None and utterance.speaker in ("", previous.speaker):
            merged[-1] = Utterance(
                previous.speaker,
                f"{previous.text} {words}",
                previous.start_seconds,
                utterance.end_seconds
                if utterance.end_seconds is not None
                else previous.end_seconds,
            )
        else:
            merged.append(Utterance(utterance.speaker, words, *_times(utterance)))
    parts: list[str] = []
    turns: list[Turn] = []
    position = 0
    for utterance in merged:
        paragraph = utterance.text
        if utterance.speaker:
            paragraph = f"{utterance.speaker}: {paragraph}"
        if utterance.speaker:
            span = Span(position, position + len(paragraph))
            turns.append(Turn(span, utterance.speaker, *_times(utterance)))
        parts.append(paragraph)
        position += len(paragraph) + 2
    return "\n\n".join(parts) + ("\n" if parts else ""), tuple(turns)


def _times(utterance: Utterance) -> tuple[float | None, float | None]:
    return utterance.start_seconds, utterance.end_seconds


_INTERVIEWER_NAMES = re.compile(
    r"(?:interviewer|int|iv|i|q|researcher|moderator|facilitator|host|fieldworker)"
    r"(?:[ _\-]?\d{1,2})?",
    re.IGNORECASE,
)
_PARTICIPANT_NAMES = re.compile(
    r"(?:participant|interviewee|respondent|p|r|a|id|resp|case|peer worker|pw)"
    r"(?:[ _\-]?\d{1,4})?",
    re.IGNORECASE,
)


def assign_roles(
    speakers: Iterable[str], interviewers: Collection[str] = ()
) -> dict[str, str | None]:
    """Each speaker's role: ``interviewer``, ``participant``, or None where it cannot be told.

    Speakers named in ``interviewers`` (case-insensitively) are interviewers. Otherwise names such
    as ``Interviewer``, ``Int``, ``I``, ``Q`` or ``Researcher 2`` are, and ``Participant``, ``P07``,
    ``R``, ``Respondent`` or ``id3`` are participants. Once any speaker is known to be an
    interviewer, every other speaker is taken for a participant.
    """
    named = {n.casefold().strip() for n in interviewers}
    roles: dict[str, str | None] = {}
    for speaker in dict.fromkeys(speakers):
        key = speaker.casefold().strip()
        if named:
            roles[speaker] = INTERVIEWER if key in named else PARTICIPANT
        elif _INTERVIEWER_NAMES.fullmatch(key):
            roles[speaker] = INTERVIEWER
        elif _PARTICIPANT_NAMES.fullmatch(key):
            roles[speaker] = PARTICIPANT
        else:
            roles[speaker] = None
    if INTERVIEWER in roles.values():
        roles = {s: r or PARTICIPANT for s, r in roles.items()}
    return roles
