"""Transcripts kept as tables: one row per utterance (speaker, text, maybe a time).

Some transcription services and many research teams keep a transcript as a spreadsheet or CSV
with a speaker column and a text column. Such a file imports as **one document** with one turn
per speaker change: the rows are laid out as ``Speaker: text`` paragraphs by
:func:`~thematica.interchange.speakers.render_turns` (a speaker's consecutive rows are one turn;
a row with no speaker continues the turn before it). Text exported from web tools often carries
HTML entities (``&amp;``, ``&#39;``), which are decoded; a time column (``00:01:02`` or seconds)
gives each turn its start time.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from thematica.errors import InvalidInputError
from thematica.interchange.formats import ImportedText
from thematica.interchange.plaintext import imported_from_text
from thematica.interchange.speaker_labels import parse_clock
from thematica.interchange.speakers import Utterance, render_turns
from thematica.interchange.table_rows import column_index, table_rows

__all__ = ["UtteranceColumns", "read_utterance_table"]


@dataclass(frozen=True, slots=True)
class UtteranceColumns:
    """The columns of an utterance table, by header (matched ignoring case)."""

    speaker: str
    text: str
    time: str | None = None


def read_utterance_table(data: bytes, name: str, columns: UtteranceColumns) -> ImportedText:
    """One transcript from a ``.csv``/``.tsv``/``.xlsx`` table of utterances."""
    rows = table_rows(data, name, what="a transcript table")
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise InvalidInputError("the file is empty", file=name) from None
    speaker_at = column_index(header, columns.speaker, name, header_line, "--speaker-column")
    text_at = column_index(header, columns.text, name, header_line, "--text-column")
    time_at = (
        column_index(header, columns.time, name, header_line, "--time-column")
        if columns.time
        else None
    )

    def utterances() -> Iterator[Utterance]:
        speakers: dict[str, str] = {}  # one string per speaker, not one per row
        for line, values in rows:
            cells = list(values) + [""] * (len(header) - len(values))
            speech = html.unescape(cells[text_at])
            if not speech.strip():
                continue
            speaker = " ".join(html.unescape(cells[speaker_at]).split()).rstrip(":")
            speaker = speakers.setdefault(speaker, speaker)
            seconds = _seconds(cells[time_at], name, line) if time_at is not None else None
            yield Utterance(speaker, speech, seconds)

    laid_out, turns = render_turns(utterances())
    if not laid_out:
        raise InvalidInputError(f"no row holds text in column {columns.text!r}", file=name)
    imported = imported_from_text(laid_out, name, _format(name), find_turns=False)
    if imported.text != laid_out:  # pragma: no cover - render_turns lays out canonical text
        raise InvalidInputError("the table could not be laid out as text", file=name)
    return ImportedText(
        imported.text, turns, imported.source_format, notices=imported.notices, detected=False
    )


def _format(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    return f"{suffix}-utterances"


def _seconds(value: str, name: str, line: int) -> float | None:
    value = value.strip().strip("[]()")
    if not value:
        return None
    try:
        return parse_clock(value)
    except ValueError:
        raise InvalidInputError(
            f"the time {value!r} is neither seconds nor hh:mm:ss", file=name, line=line
        ) from None
