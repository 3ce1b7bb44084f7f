"""Who said what: speaker turns found in a canonical text, and speakers' roles.

Pure functions over strings, shared by every format. A turn starts at a line that carries a
speaker label (the layouts are in :mod:`.speaker_labels`: ``Name: speech``, ``Name:`` alone with
the speech below, ``[id1] speech``, ``Name 01:02``, a name alone on its line, each possibly
indented) and runs until the next one. **A label must recur, or be a known speaker** (a role
name such as ``Interviewer`` or ``P07``, or a name the caller knows: ``--interviewer``, the
participant): a line that only looks like a label once (``Dear Sir:``, a wrapped line opening
with ``[pause for breath]``) stays inside the turn it is in. ``--speaker-pattern`` replaces all
of this with the user's own regular expression.

A turn's span starts at its label and covers the speech, so a transcript's turns tile its body.
Lines before the first turn stay in the text but in no turn; so do transcription-service headers
(``Date:``, ``Duration:``, ``Participants:`` ...), which are never taken for speakers.

Memory: the text is scanned line by line without a list of lines, candidates are kept in integer
arrays and the turns in a :class:`~thematica.domain.study.Turns` table, so two million short turns
take tens of megabytes, not gigabytes.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from thematica.domain.study import Turns
from thematica.errors import InvalidInputError
from thematica.interchange.speaker_labels import (
    HEADER_KEYS,
    label_marker,
    name_alone,
    parse_clock,
    split_label,
)

__all__ = [
    "HEADER_KEYS",
    "INTERVIEWER",
    "PARTICIPANT",
    "Utterance",
    "assign_roles",
    "compile_speaker_pattern",
    "detect_turns",
    "is_known_role",
    "parse_clock",
    "render_turns",
    "split_label",
]

INTERVIEWER = "interviewer"
PARTICIPANT = "participant"
# "Speaker 2", "Unknown speaker": a transcription service's label, a speaker whatever their role.
_GENERIC = re.compile(r"(?:speaker|unknown speaker|spk)[ _\-]?\d{0,2}")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One speaker's speech before it is laid out as text (from subtitles or tables)."""

    speaker: str
    text: str
    start_seconds: float | None = None
    end_seconds: float | None = None


def compile_speaker_pattern(pattern: str) -> re.Pattern[str]:
    """The user's ``--speaker-pattern``: matched at the start of each (unindented) line; the
    speaker is its group ``speaker``, else its first group, else the whole match."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InvalidInputError(
            f"--speaker-pattern {pattern!r} is not a regular expression: {exc}"
        ) from None
    if compiled.match(""):
        raise InvalidInputError(f"--speaker-pattern {pattern!r} matches an empty line")
    return compiled


def detect_turns(
    text: str,
    *,
    known: Collection[str] = (),
    pattern: re.Pattern[str] | None = None,
) -> Turns:
    """Speaker turns in canonical ``text``; none if no line carries a speaker label that counts.

    ``known`` names speakers who count from their first label (interviewers, the participant);
    ``pattern`` (see :func:`compile_speaker_pattern`) replaces the built-in layouts, and every
    label it finds counts.
    """
    labels: dict[str, int] = {}
    names: list[str] = []
    offsets = array("i" if len(text) < 2**31 else "q")
    speakers = array("i")
    clocks = array("d")  # filled only once some label carries a time
    timed = False
    nan = float("nan")
    position = 0
    length = len(text)
    blank_before = True
    while position < length:
        newline = text.find("\n", position)
        if newline < 0:
            newline = length
        line = text[position:newline]
        body = line.lstrip(" \t")
        found: tuple[str, float | None] | None = None
        if body:
            if pattern is not None:
                found = _by_pattern(pattern, body)
            else:
                found = label_marker(body)
                if found is None and blank_before and _speech_follows(text, newline):
                    alone = name_alone(body)
                    found = (alone, None) if alone is not None else None
        if found is not None:
            number = labels.get(found[0])
            if number is None:
                number = labels[found[0]] = len(names)
                names.append(found[0])
            offsets.append(position + len(line) - len(body))
            speakers.append(number)
            if found[1] is not None and not timed:
                timed = True
                clocks.extend([nan] * (len(offsets) - 1))
            if timed:
                clocks.append(nan if found[1] is None else found[1])
        blank_before = not body
        position = newline + 1
    counting = _counting(names, speakers, known, everyone=pattern is not None)
    turns = Turns()
    index: dict[str, int] = {}
    previous = -1  # the candidate that opened the turn now running, if it counts
    for i in range(len(offsets) + 1):
        if i < len(offsets) and not counting[speakers[i]]:
            continue
        if previous >= 0:
            start = offsets[previous]
            end = offsets[i] if i < len(offsets) else length
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                seconds = clocks[previous] if timed else nan
                speaker = names[speakers[previous]]
                when = None if seconds != seconds else seconds  # NaN: the label gave no time
                turns.add(start, end, speaker, when, index=index)
        previous = i
    return turns


def _by_pattern(pattern: re.Pattern[str], line: str) -> tuple[str, float | None] | None:
    match = pattern.match(line)
    if match is None:
        return None
    if "speaker" in pattern.groupindex:
        speaker = match.group("speaker")
    elif pattern.groups:
        speaker = match.group(1)
    else:
        speaker = match.group()
    speaker = (speaker or "").strip().rstrip(":").strip()
    return (speaker, None) if speaker else None


def _speech_follows(text: str, newline: int) -> bool:
    """True if the line after the one ending at ``newline`` holds text."""
    return newline + 1 < len(text) and text[newline + 1] not in "\n"


def _counting(
    names: Sequence[str], speakers: Iterable[int], known: Collection[str], *, everyone: bool
) -> list[bool]:
    """Which labels count: every one under a user's pattern; else those that recur, name a
    known speaker, or name a role (``Interviewer``, ``P07`` ...)."""
    if everyone:
        return [True] * len(names)
    seen = [0] * len(names)
    for number in speakers:
        seen[number] += 1
    named = {k.casefold().strip() for k in known}
    return [
        seen[i] > 1
        or name.casefold() in named
        or is_known_role(name)
        or _GENERIC.fullmatch(name.casefold()) is not None
        for i, name in enumerate(names)
    ]


def render_turns(utterances: Iterable[Utterance]) -> tuple[str, Turns]:
    """Lay utterances out as ``Name: speech`` paragraphs; their turns keep the times given.

    Consecutive utterances by one speaker become one turn (subtitle cues split sentences and
    turns arbitrarily); an utterance with no speaker continues the turn before it. The
    utterances are consumed one at a time (a generator is welcome): only the turn being merged
    is held, besides the paragraphs and the :class:`Turns` table.
    """
    parts = _Joiner()  # joins the paragraphs as it goes: no list of a million strings
    turns = Turns()
    index: dict[str, int] = {}
    position = 0
    current: Utterance | None = None
    pieces: list[str] = []

    def flush() -> None:
        nonlocal position
        if current is None:
            return
        paragraph = " ".join(pieces)
        if current.speaker:
            paragraph = f"{current.speaker}: {paragraph}"
            turns.add(
                position,
                position + len(paragraph),
                current.speaker,
                current.start_seconds,
                current.end_seconds,
                index=index,
            )
        if position:
            parts.write("\n\n")
        parts.write(paragraph)
        position += len(paragraph) + 2

    for utterance in utterances:
        words = " ".join(utterance.text.split())
        if not words:
            continue
        if current is not None and utterance.speaker in ("", current.speaker):
            pieces.append(words)
            if utterance.end_seconds is not None:
                current = Utterance(
                    current.speaker, "", current.start_seconds, utterance.end_seconds
                )
            continue
        flush()
        current = Utterance(utterance.speaker, "", *_times(utterance))
        pieces = [words]
    flush()
    if position:
        parts.write("\n")
    return parts.text(), turns


class _Joiner:
    """Text built from many small pieces, joined a few thousand at a time, so that neither a
    list of every piece nor ``io.StringIO``'s own (up to 100,000 strings) is ever held."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._pieces: list[str] = []

    def write(self, piece: str) -> None:
        self._pieces.append(piece)
        if len(self._pieces) >= 4096:
            self._chunks.append("".join(self._pieces))
            self._pieces.clear()

    def text(self) -> str:
        self._chunks.append("".join(self._pieces))
        self._pieces.clear()
        return "".join(self._chunks)


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


def is_known_role(speaker: str) -> bool:
    """True if ``speaker`` names a role (``Interviewer``, ``Q``, ``P07``, ``Respondent`` ...)."""
    key = speaker.casefold().strip()
    return bool(_INTERVIEWER_NAMES.fullmatch(key) or _PARTICIPANT_NAMES.fullmatch(key))


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
