"""Subtitle transcripts: WebVTT (``.vtt``, Teams, Zoom, YouTube) and SubRip (``.srt``).

Cues cut speech every few seconds, often mid-sentence, so cues are merged: a speaker's consecutive
cues become one turn, laid out as a ``Name: speech`` paragraph, and a cue with no speaker continues
the turn before it. A cue's speaker is its WebVTT voice tag (``<v Sarah>``) or a ``Name:`` prefix;
one file may use both. Each turn keeps the start of its first cue and the end of its last. Markup
inside cues (``<i>``, ``<c.loud>``, inline timestamps) is dropped and entities decoded.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator

from thematica.errors import InvalidInputError
from thematica.interchange.encodings import decode_text
from thematica.interchange.formats import ImportedText, register_format
from thematica.interchange.plaintext import imported_from_text
from thematica.interchange.speakers import Utterance, parse_clock, render_turns, split_label
from thematica.safeio.controls import replace_controls

__all__ = ["read_srt", "read_vtt", "register", "subtitle_utterances"]

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s*-->\s*(?P<end>{_TIME})(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.\-]+)?[ \t]+(?P<speaker>[^>]+)>")
# Markup tags, WebVTT inline timestamps, and SSA positioning codes that SRT files carry ({\an8}).
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<\d[\d:.]*>|\{\\[^}]*\}")


def read_vtt(data: bytes, name: str) -> ImportedText:
    text, _ = decode_text(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise InvalidInputError(
            "not a WebVTT file (the first line must be WEBVTT)", file=name, line=1
        )
    return _imported(text, name, "vtt")


def read_srt(data: bytes, name: str) -> ImportedText:
    text, _ = decode_text(data, name)
    return _imported(text.replace("\r\n", "\n").replace("\r", "\n"), name, "srt")


def _imported(text: str, name: str, source_format: str) -> ImportedText:
    text, controls = replace_controls(text, name)  # before the cues are cut out of it
    notices = (f"{controls:,} control character(s) were replaced by \ufffd",) if controls else ()
    laid_out, turns = render_turns(subtitle_utterances(text, name))
    if not laid_out:
        raise InvalidInputError("the file holds no subtitle cues", file=name)
    imported = imported_from_text(laid_out, name, source_format, find_turns=False)
    if imported.text != laid_out:  # pragma: no cover - render_turns lays out canonical text
        raise InvalidInputError("the subtitles could not be laid out as text", file=name)
    return ImportedText(
        imported.text, turns, source_format, notices=notices + imported.notices, detected=False
    )


def subtitle_utterances(text: str, name: str) -> Iterator[Utterance]:
    """One :class:`Utterance` per cue, in file order (WebVTT and SRT alike); the text is read a
    block at a time, never as one list of all its lines."""
    for block_start, block in _blocks(text):
        timing_at = next((k for k, line in enumerate(block) if "-->" in line), None)
        if timing_at is None or timing_at > 1:
            continue  # the WEBVTT header, NOTE, STYLE and REGION blocks, or a stray line
        match = _TIMING.match(block[timing_at])
        if match is None:
            raise InvalidInputError(
                f"a cue's timing line cannot be read: {block[timing_at].strip()!r}",
                file=name,
                line=block_start + timing_at + 1,
            )
        yield _cue(
            " ".join(block[timing_at + 1 :]),
            parse_clock(match.group("start")),
            parse_clock(match.group("end")),
        )


def _blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(index of its first line, its lines)`` for each run of non-blank lines."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(io.StringIO(text)):
        line = line.rstrip("\n")
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _cue(payload: str, start: float, end: float) -> Utterance:
    voice = _VOICE.search(payload)
    speaker = voice.group("speaker").strip() if voice else ""
    words = " ".join(html.unescape(_TAG.sub("", payload)).split())
    if not speaker:
        labelled = split_label(words)
        if labelled is not None:
            speaker, words = labelled
    return Utterance(speaker, words, start, end)


def register() -> None:
    register_format("vtt", (".vtt",), read_vtt)
    register_format("srt", (".srt",), read_srt)
