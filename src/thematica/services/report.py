"""The study report: gather everything it shows, then write it as HTML, DOCX, XLSX or CSV.

:func:`gather_report` reads the study in one read-only unit of work (codings, participants,
documents, codebook, study record, framework summaries), runs the pure analyses of
:mod:`thematica.analysis` on them, and returns a :class:`~thematica.reports.data.ReportData`.
Intercoder agreement comes from :func:`thematica.services.agreement.measure_agreement` (its own
read-only unit of work) when at least one transcript was coded by two coders.
:func:`write_report` renders the chosen formats into a folder; every file is written to a
temporary name first and renamed only once all of them rendered, so a failure leaves no
half-written report.

Choices a reader of the report sees, and their defaults:

* Every analysis reads the study's **analysis layer**, stated in the Methods: the consensus of
  a closed round for its documents, else a chosen coder (``layer``, or the study record's
  ``analysis_layer``), else the union of the coders with each passage counted once
  (:mod:`thematica.services.analysis_layer`). While a blind round is open, its coders' codings
  are left out for everyone but their author (``viewer``, default the acting user).
* Barriers and facilitators are split by ``setting`` when participants have that attribute
  (else by nothing), or by the attribute named with ``by``.
* Saturation reads the coded interviews only, in order of interview date when every one has a
  date, else in import order, and says which (Guest, Namey and Chen 2020: base 4, run 2,
  threshold 5%).
* Quotes: up to two per code, 15-80 words preferred (shorter or longer passages are ranked
  lower, not dropped), spread across participants.
* Co-occurrence counts codes within the same speaker turn of the analysis layer, never across
  coders.
* Quote attributes, Table 1's order and labels and the Word page size: as chosen, else as the
  study record sets them, else stated defaults (:mod:`thematica.services.report_options`).
* Table 1's N: the participants with a transcript (all participants when none has one yet).
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from thematica.analysis.framework import framework_matrix
from thematica.analysis.frequencies import (
    circle_layout,
    co_occurrence,
    code_frequencies,
    text_coverage,
)
from thematica.analysis.participants_table import participants_table
from thematica.analysis.quotes import quote_bank
from thematica.analysis.records import ParticipantRecord
from thematica.analysis.saturation import code_saturation
from thematica.analysis.valence import valence_table
from thematica.domain.coreq import answer_coreq
from thematica.domain.identifying import is_identifying, left_out_note
from thematica.errors import InvalidInputError, ThematicaWarning
from thematica.reports.data import (
    AgreementFigure,
    AgreementSummary,
    CodebookEntry,
    ReportData,
    ReportMemo,
    StudySummary,
    SummaryNote,
)
from thematica.reports.formats import FORMATS, check_formats, write_formats
from thematica.reports.methods import derived_coreq, methods_paragraph
from thematica.services import report_options
from thematica.services.audit import audit_statement, verify_study_trail
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, study_scope
from thematica.services.study_data import gather
from thematica.storage import Database

if TYPE_CHECKING:
    from thematica.services.agreement import AgreementRow

__all__ = [
    "DEFAULT_SPLIT",
    "FORMATS",
    "default_report_folder",
    "gather_report",
    "unlinked_warning",
    "write_report",
]

#: The participant attribute barriers and facilitators are split by when none is named.
DEFAULT_SPLIT = "setting"


def _software() -> str:
    try:
        return f"Thematica {version('thematica')}"
    except PackageNotFoundError:  # running from a tree that was never installed
        return "Thematica"


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_BELOW = ("under", "less than", "below", "<")
_ABOVE = ("over", "more than", "above", ">")


def _band_key(value: str) -> tuple[float, int]:
    """Where a band such as "under 1 year", "18-24" or "over 65" falls on its scale."""
    found = _NUMBER.search(value)
    number = float(found.group()) if found else math.inf
    low = value.strip().casefold()
    if low.startswith(_BELOW):
        return number, -1
    if low.startswith(_ABOVE) or low.endswith("+"):
        return number, 1
    return number, 0


def _category_orders(people: Sequence[ParticipantRecord]) -> dict[str, list[str]]:
    """Bands (every value holds a number: ages, years in post) in their natural order; other
    attributes keep Table 1's default order (most frequent first)."""
    values: dict[str, set[str]] = {}
    for person in people:
        for name, held in person.attributes.items():
            values.setdefault(name, set()).update(held)
    return {
        name: sorted(held, key=lambda v: (*_band_key(v), v))
        for name, held in values.items()
        if held and all(_NUMBER.search(v) for v in held)
    }


def _why(row: AgreementRow, statistic: str) -> str:
    """Why a code's figure is what it is, when it is not the coders' agreement on it: a coder
    who never applied the code (the figure is at or below chance by construction), or the
    statistic's reason for being undefined."""
    counts = row.units_coded_by
    never = [coder for coder in row.coders if counts.get(coder, 0) == 0]
    used = [f"{coder} in {counts[coder]}" for coder in row.coders if counts.get(coder, 0)]
    if row.by == "code" and never and used:
        return (
            f"{' and '.join(never)} never applied this code in the units compared (applied by "
            f"{', '.join(used)}), so {statistic} cannot show agreement on it"
        )
    return row.note


def _agreement(
    db: Database, study: str, interviewer_turns: str = "include"
) -> tuple[AgreementSummary | None, str]:
    from thematica.services.agreement import measure_agreement

    try:
        with warnings.catch_warnings():
            # Undefined figures (a code one coder never used) are reported as notes in the rows.
            warnings.simplefilter("ignore", ThematicaWarning)
            found = measure_agreement(
                db,
                study=study,
                by="code",
                n_boot=500,
                seed=0,
                interviewer_turns=interviewer_turns,
            )
    except InvalidInputError as exc:
        return None, f"Agreement was not measured: {exc}."
    figures = []
    for row in found.rows:
        why = _why(row, found.statistic_name)
        figures.append(
            AgreementFigure(
                "all codes (pooled)" if row.by == "pooled" else row.label,
                row.value,
                row.ci_low,
                row.ci_high,
                # No verbal band where the figure says nothing about agreement (one coder never
                # used the code): the row says why instead.
                None if why != row.note else row.band,
                row.n_units,
                why,
                pooled=row.by == "pooled",
                ci_note=row.ci_note,
            )
        )
    rows = tuple(figures)
    summary = AgreementSummary(
        statistic=found.statistic_name,
        unit=found.unit_name or str(found.unit),
        coders=found.coders,
        documents=found.documents,
        confidence=found.confidence,
        rows=rows,
        units_note=found.interviewer_note,
        interviewer_turns=(
            ("left out" if found.interviewer_turns == "exclude" else "included")
            if found.units_interviewer
            else ""
        ),
    )
    return summary, ""


def gather_report(
    db: Database,
    study: str | None = None,
    *,
    by: str | None = None,
    layer: str | None = None,
    viewer: str | None = None,
    quote_attributes: Sequence[str] | None = None,
    page_size: str | None = None,
    memos: Sequence[str] = (),
    interviewer_turns: str = "include",
    progress: Progress = NO_PROGRESS,
) -> ReportData:
    """Everything the report shows, read from the study and analysed; changes nothing.

    ``quote_attributes`` and ``page_size`` override the study record's settings (see
    :mod:`thematica.services.report_options`). The project journal (memos on the study) is
    always printed; ``memos`` names other memos to print, by id or its start.
    ``interviewer_turns`` ("include" or "exclude") says whether agreement compares the units
    in the interviewer's turns.

    Raises
    ------
    NotFoundError
        No such study (or several and none named); ``layer`` names no person of the study.
    InvalidInputError
        ``by`` or a quote or Table 1 attribute names an attribute no participant has; a page
        size other than A4 or Letter.
    """
    progress(0, 3, "reading the study")
    with study_scope(db, study) as (uow, found):
        data = gather(uow, found, layer=layer, viewer=viewer or default_actor())
        trail = audit_statement(verify_study_trail(uow, found.id))
        record = uow.framework.record(found.id)
        summaries = uow.framework.summaries(found.id)
    book, labels = data.codebook, data.labels
    codebook_codes = [(code, book.path(code.id)) for code in book]
    paths = [" > ".join(path) for _, path in codebook_codes]
    segments = data.segments
    # Real names on the sheet are there for de-identification only: no table shows them.
    held = {name for person in data.participants for name in person.attributes}
    left_out = left_out_note(held, "the report")
    people = [
        ParticipantRecord(
            p.label,
            p.pseudonym,
            {k: v for k, v in p.attributes.items() if not is_identifying(k)},
        )
        for p in data.participants
    ]
    attributes = {name for person in people for name in person.attributes}
    if by is not None and is_identifying(by):
        raise InvalidInputError(
            f"--by: {by!r} holds real names (identifying; used only for de-identification), "
            "so no report shows it"
        )
    if by is not None and by not in attributes:
        known = ", ".join(sorted(attributes)) or "none"
        raise InvalidInputError(f"no participant has the attribute {by!r} (attributes: {known})")
    split = by if by is not None else (DEFAULT_SPLIT if DEFAULT_SPLIT in attributes else None)
    quoted = report_options.quote_attributes(quote_attributes, record, attributes)
    layout = report_options.table1_layout(record, attributes)
    paper = report_options.page_size(page_size, record, os.environ)

    progress(1, 3, "analysing")
    frequencies = code_frequencies(segments, people)
    used = {f.code: f for f in frequencies}
    codebook = tuple(
        CodebookEntry(
            path=text,
            name=code.name,
            theme=path[0],
            depth=len(path) - 1,
            definition=code.definition,
            inclusion=code.inclusion,
            exclusion=code.exclusion,
            example=code.example,
            colour=code.colour,
            codings=used[text].codings if text in used else 0,
            participants=used[text].participants if text in used else 0,
        )
        for (code, path), text in zip(codebook_codes, paths, strict=True)
    )
    code_paths = {str(code.id): text for (code, _), text in zip(codebook_codes, paths, strict=True)}
    cell_summaries: dict[tuple[str, str], str] = {}
    notes: dict[tuple[str, str], SummaryNote] = {}
    for s in summaries:
        if s.participant_id in labels and str(s.code_id) in code_paths:
            cell = (labels[s.participant_id], code_paths[str(s.code_id)])
            cell_summaries[cell] = s.text
            notes[cell] = SummaryNote(s.author, s.updated_at)
    framework = framework_matrix(
        segments, people, columns=paths, group_by=split, summaries=cell_summaries
    )
    valence = valence_table(segments, people, by=split)
    quotes = quote_bank(segments, people, top_n=2, outside="penalise", codes=paths)
    with warnings.catch_warnings():
        # Too few interviews, or a base with no codes: the verdict says so in words.
        warnings.simplefilter("ignore", ThematicaWarning)
        coded = {segment.document for segment in segments}
        saturation = code_saturation(
            segments, [d for d in data.documents if d.name in coded], ordered_by=data.order
        )
        coverage = text_coverage(segments, data.documents, people, by=split)
    co = co_occurrence(segments, within="turn", codes=paths)
    double_coded = data.double_coded
    unlinked = [d.name for d in data.documents if d.participant is None and d.name in coded]

    progress(2, 3, "measuring agreement")
    agreement, agreement_note = (
        _agreement(db, data.study.name, interviewer_turns)
        if double_coded
        else (None, "No transcript was coded by two coders, so agreement was not measured.")
    )
    summary = StudySummary(
        name=data.study.name,
        description=data.study.description,
        created_at=data.study.created_at,
        generated_at=datetime.now(UTC),
        software=_software(),
        participants=len(people),
        documents=len(data.documents),
        themes=len(data.themes),
        codes=len(codebook),
        coders=tuple(data.coders),
        codings=len(segments),
        coverage=coverage.overall,
        double_coded=double_coded,
        title=record.get("title", "").strip(),
        team=record.get("team", "").strip(),
    )
    interviewed = {d.participant for d in data.documents if d.participant}
    table_people = [p for p in people if p.label in interviewed] if interviewed else people
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ThematicaWarning)  # N = 0: percentages are NaN
        table = participants_table(
            table_people,
            attributes=layout.attributes,
            categories=_category_orders(table_people),
            labels=layout.labels,
            population="participants with a transcript" if interviewed else "participants",
        )
    themes = tuple(data.themes)
    derived = derived_coreq(summary, table, codebook, themes, saturation, agreement, quotes)
    progress(3, 3, "done")
    return ReportData(
        summary=summary,
        participants=tuple(people),
        participants_table=table,
        codebook=codebook,
        themes=themes,
        frequencies=frequencies,
        valence=valence,
        quotes=quotes,
        framework=framework,
        summary_notes=MappingProxyType(notes),
        saturation=saturation,
        co_occurrence=co,
        network=circle_layout(co),
        agreement=agreement,
        agreement_note=agreement_note,
        methods=(
            f"{methods_paragraph(record, summary, saturation, agreement, themes)} {data.layer} "
            f"{trail}" + (f" {left_out}." if left_out else "")
        ),
        coreq=tuple(answer_coreq(record, derived)),
        segments=tuple(segments),
        quote_attributes=quoted,
        coverage=coverage,
        record=MappingProxyType(dict(record)),
        analysis_layer=data.layer,
        page_size=paper,
        memos=_memos(db, data.study.name, memos),
        warnings=(unlinked_warning(len(unlinked)),) if unlinked else (),
    )


def unlinked_warning(count: int) -> str:
    """The report's warning that ``count`` coded transcripts count for no participant."""
    return (
        f"{count} coded transcript{'s are' if count != 1 else ' is'} linked to no participant: "
        "participant figures leave them out; link them with "
        "`thematica documents link DOC PARTICIPANT`"
    )


def _memos(db: Database, study: str, chosen: Sequence[str]) -> tuple[ReportMemo, ...]:
    from thematica.services.memos import MemoView, read_memos, show_memo

    def printed(view: MemoView, journal: bool) -> ReportMemo:
        return ReportMemo(
            view.id, view.title, view.text, view.author, view.about, view.created_at, journal
        )

    journal = [printed(view, True) for view in read_memos(db, study, on="study")]
    seen = {memo.id for memo in journal}
    picked = []
    for wanted in chosen:
        view = show_memo(db, wanted, study)
        if view.id not in seen:
            seen.add(view.id)
            picked.append(printed(view, False))
    return (*journal, *picked)


def default_report_folder(db: Database) -> Path:
    """``report/`` beside a SQLite database file, else ``report/`` in the working folder."""
    return Path(db.sqlite_path).parent / "report" if db.sqlite_path else Path("report")


def write_report(
    db: Database,
    out: Path,
    formats: Sequence[str] = ("html",),
    *,
    study: str | None = None,
    by: str | None = None,
    layer: str | None = None,
    quote_attributes: Sequence[str] | None = None,
    page_size: str | None = None,
    memos: Sequence[str] = (),
    interviewer_turns: str = "include",
    progress: Progress = NO_PROGRESS,
    warn: Callable[[str], object] = lambda _: None,
) -> list[Path]:
    """Write the study's report in ``formats`` (see :data:`FORMATS`) into the folder ``out``.

    Returns the paths written; ``warn`` is called with each of the report's warnings (see
    ``ReportData.warnings``). Nothing is left behind when any format fails.
    """
    check_formats(formats)  # before the study is read, not after
    report = gather_report(
        db,
        study,
        by=by,
        layer=layer,
        quote_attributes=quote_attributes,
        page_size=page_size,
        memos=memos,
        interviewer_turns=interviewer_turns,
        progress=progress,
    )
    for warning in report.warnings:
        warn(warning)
    return write_formats(report, Path(out), formats)
