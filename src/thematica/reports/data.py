"""What a study report holds: plain values the services gather and every renderer reads.

The services read the study (one read-only unit of work), run the analyses of
:mod:`thematica.analysis` and hand the results here as a :class:`ReportData`; the HTML, DOCX,
XLSX and CSV renderers only lay it out. Nothing in this module touches storage, so a test can
build a report from hand-written records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from thematica.analysis.framework import FrameworkCell, FrameworkMatrix
from thematica.analysis.frequencies import (
    CodeFrequency,
    CoOccurrence,
    Coverage,
    CoverageReport,
    NetworkLayout,
)
from thematica.analysis.participants_table import AttributeBlock, ParticipantsTable
from thematica.analysis.quotes import QuoteBank
from thematica.analysis.records import ParticipantRecord, SegmentRecord
from thematica.analysis.saturation import SaturationResult
from thematica.analysis.valence import ValenceRow, ValenceTable
from thematica.domain.coreq import CoreqAnswer
from thematica.safeio.controls import remove_controls

__all__ = [
    "AgreementFigure",
    "AgreementSummary",
    "CellQuote",
    "CodebookEntry",
    "ReportData",
    "ReportMemo",
    "StudySummary",
    "SummaryNote",
    "cell_quotes",
    "column_heading",
    "figure",
    "listed",
    "short_quote",
    "table1_heading",
    "table1_rows",
    "xml_text",
]


@dataclass(frozen=True, slots=True)
class StudySummary:
    """The study at a glance: its name and description and how much data it holds."""

    name: str
    description: str
    created_at: datetime | None
    generated_at: datetime
    software: str
    participants: int
    documents: int
    themes: int
    codes: int
    coders: tuple[str, ...]
    codings: int
    coverage: Coverage
    double_coded: int
    title: str = ""
    team: str = ""

    @property
    def heading(self) -> str:
        """What the report is headed: the study record's title, else the study's name."""
        return self.title or self.name


@dataclass(frozen=True, slots=True)
class CodebookEntry:
    """One code as the codebook defines it, with how much it was used."""

    path: str
    name: str
    theme: str
    depth: int
    definition: str
    inclusion: str
    exclusion: str
    example: str
    colour: str
    codings: int
    participants: int


@dataclass(frozen=True, slots=True)
class AgreementFigure:
    """One row of the agreement table (a code, or all codes pooled)."""

    label: str
    value: float
    ci_low: float
    ci_high: float
    band: str | None
    units: int
    note: str = ""
    pooled: bool = False
    #: How many bootstrap resamples were left out of the interval, and why ("" when none).
    ci_note: str = ""

    @property
    def notes(self) -> str:
        """The row's notes as printed: why the value is what it is, then the interval's."""
        return "; ".join(part for part in (self.note, self.ci_note) if part)


@dataclass(frozen=True, slots=True)
class AgreementSummary:
    """Intercoder agreement on the double-coded documents, ready to print."""

    statistic: str
    unit: str
    coders: tuple[str, ...]
    documents: tuple[str, ...]
    confidence: float | None
    rows: tuple[AgreementFigure, ...]
    #: Whether interviewer turns were compared, in words ("interviewer turns included (40
    #: speaker turns)").
    units_note: str = ""
    #: "included", "left out", or "" when no interviewer turn was recognised.
    interviewer_turns: str = ""

    @property
    def unit_described(self) -> str:
        """The unit with the interviewer note: "speaker turn (interviewer turns included ...)"."""
        return f"{self.unit} ({self.units_note})" if self.units_note else self.unit

    @property
    def pooled(self) -> AgreementFigure | None:
        """The pooled row (all codes together), when there is one."""
        return next((row for row in self.rows if row.pooled), None)


@dataclass(frozen=True, slots=True)
class ReportMemo:
    """A memo the report prints: an entry of the project journal (a memo on the study) or a
    note chosen for the report, with who wrote it, when and what it is about."""

    id: str
    title: str
    text: str
    author: str
    about: str
    created_at: datetime
    journal: bool


@dataclass(frozen=True, slots=True)
class SummaryNote:
    """Who wrote a framework cell's summary, and when."""

    author: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything a report shows; see the module docstring.

    ``themes`` are the top-level codes in codebook order and ``codebook`` every code, depth
    first. ``framework`` is charted at code level with the codebook's columns; its cells'
    summaries have their author and time in ``summary_notes``. ``valence`` is split ``by`` a
    participant attribute when the study has one to split by. ``agreement`` is ``None`` when no
    document was coded by two coders, with ``agreement_note`` saying why. ``coverage`` is the
    share of text coded by coder and by the same attribute.
    """

    summary: StudySummary
    participants: tuple[ParticipantRecord, ...]
    participants_table: ParticipantsTable
    codebook: tuple[CodebookEntry, ...]
    themes: tuple[str, ...]
    frequencies: tuple[CodeFrequency, ...]
    valence: ValenceTable
    quotes: QuoteBank
    framework: FrameworkMatrix
    summary_notes: Mapping[tuple[str, str], SummaryNote]
    saturation: SaturationResult
    co_occurrence: CoOccurrence
    network: NetworkLayout
    agreement: AgreementSummary | None
    agreement_note: str
    methods: str
    coreq: tuple[CoreqAnswer, ...]
    segments: tuple[SegmentRecord, ...]
    quote_attributes: tuple[str, ...] = ()
    coverage: CoverageReport | None = None
    record: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Which codings every analysis read (the analysis layer), in a sentence or two.
    analysis_layer: str = ""
    page_size: str = "a4"
    memos: tuple[ReportMemo, ...] = ()
    #: What the reader must know before trusting the figures (coded transcripts linked to no
    #: participant ...), one sentence each; shown by the summary and by the command.
    warnings: tuple[str, ...] = ()

    def codes_of(self, theme: str) -> tuple[CodebookEntry, ...]:
        """The codebook entries under ``theme`` (the theme itself first)."""
        return tuple(entry for entry in self.codebook if entry.theme == theme)

    def entry(self, path: str) -> CodebookEntry | None:
        """The codebook entry of one code path, if the codebook has it."""
        return next((entry for entry in self.codebook if entry.path == path), None)

    def valence_rows(self, theme: str) -> list[ValenceRow]:
        """``theme``'s rows of the barrier/facilitator table (all participants, not split), the
        theme and its codes in codebook order."""
        order = {entry.path: i for i, entry in enumerate(self.codebook)}
        return sorted(
            (r for r in self.valence.rows if r.group is None and r.theme == theme),
            key=lambda r: order.get(r.label, len(order)),
        )

    def chart_columns(self, theme: str, *, used: bool = False) -> list[str]:
        """The framework matrix's columns for ``theme``'s chart, in codebook order (only those
        with codings when ``used``)."""
        matrix = self.framework
        columns = [e.path for e in self.codes_of(theme) if e.path in matrix.columns]
        if used:
            columns = [c for c in columns if any(cell.codings for cell in matrix.column(c))]
        return columns


def column_heading(path: str) -> str:
    """A theme chart's heading for the column of code ``path``: a sub-code by its path under the
    theme, the theme's own column marked as such."""
    return path.split(" > ", 1)[1] if " > " in path else f"{path} (the theme itself)"


def listed(names: Sequence[str]) -> str:
    """Names as a sentence lists them: ``A``, ``A and B``, ``A, B and C``."""
    names = [name for name in names if name]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def figure(value: float, digits: int = 1, suffix: str = "") -> str:
    """A number as every renderer prints it: ``digits`` decimals and ``suffix``, or "–" when it
    is undefined (NaN)."""
    return "–" if math.isnan(value) else f"{value:.{digits}f}{suffix}"


#: Words a framework cell's quote keeps (the passage in full is in the XLSX's coded segments).
QUOTE_WORDS = 25


def short_quote(text: str, words: int = QUOTE_WORDS) -> str:
    """A passage cut to its first ``words`` words (white space collapsed), "…" marking a cut."""
    kept = text.split()
    return " ".join(kept[:words]) + (" …" if len(kept) > words else "")


@dataclass(frozen=True, slots=True)
class CellQuote:
    """One passage of a framework cell, as the cell shows it: a short quote, where it is from,
    and every coder who coded that passage (a passage two coders coded is shown once)."""

    text: str
    document: str
    coders: tuple[str, ...]


def cell_quotes(
    cell: FrameworkCell, limit: int | None = None, words: int = QUOTE_WORDS
) -> tuple[list[CellQuote], int]:
    """The cell's first ``limit`` passages (all when ``None``) as short quotes, one per passage
    (same document and span) in order, and how many distinct passages the cell has in all."""
    found: dict[tuple[str, int, int], tuple[str, list[str]]] = {}
    for passage in cell.passages:
        key = (passage.document, passage.start, passage.end)
        held = found.get(key)
        if held is None:
            found[key] = held = (passage.text, [])
        if passage.coder not in held[1]:
            held[1].append(passage.coder)
    shown = list(found.items())[:limit] if limit is not None else list(found.items())
    return [
        CellQuote(short_quote(text, words), document, tuple(coders))
        for (document, _, _), (text, coders) in shown
    ], len(found)


def table1_rows(block: AttributeBlock) -> list[tuple[str, str, str]]:
    """One Table 1 block as every renderer prints it: ``(row, n, percent)`` texts. A numeric
    attribute is its median (IQR) and range over those who reported it; a categorical one each
    value's count and percentage of N; either ends with a "Not reported" row when someone has no
    value."""
    rows: list[tuple[str, str, str]] = []
    if block.summary is not None:
        middle, spread = block.summary.describe()
        rows += [("Median (IQR)", middle, ""), ("Range", spread, "")]
    else:
        rows += [(c.category, str(c.count), figure(c.percent, 1, "%")) for c in block.categories]
    gap = block.not_reported
    if gap is not None:
        rows.append((gap.category, str(gap.count), figure(gap.percent, 1, "%")))
    return rows


def table1_heading(table: ParticipantsTable) -> str:
    """The sentence above Table 1: who N are, and how percentages are taken."""
    return (
        f"N = {table.n} {table.population}. Percentages are of N; a numeric characteristic is "
        "given as median (interquartile range) and range."
    )


def xml_text(value: str) -> str:
    """Text a Word document or a workbook can hold: the control characters XML forbids dropped
    (:func:`thematica.safeio.controls.remove_controls`)."""
    return remove_controls(value)
