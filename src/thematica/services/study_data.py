"""Gathering a study's data as the plain records the analyses take (``analysis.records``).

The codings are the study's analysis layer (:mod:`thematica.services.analysis_layer`): one passage
per decision, never one per coder. Interviews are put in order by interview date when every coded
interview has one (set by hand, a transcript header, or the participant sheet: see
:mod:`thematica.domain.interview_dates`), else in import order; :attr:`StudyData.order` says which.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from thematica.analysis.records import DocumentRecord, ParticipantRecord, SegmentRecord
from thematica.domain.codebook import Codebook
from thematica.domain.ids import DocumentId, ParticipantId
from thematica.domain.interview_dates import DateSource, header_date, is_date_attribute, parse_date
from thematica.domain.study import Document, Participant, Study
from thematica.errors import InvalidInputError
from thematica.services.analysis_layer import analysis_layer
from thematica.storage import UnitOfWork

__all__ = ["StudyData", "gather", "interview_dates"]


@dataclass(frozen=True)
class StudyData:
    study: Study
    #: The analysis layer's passages.
    segments: list[SegmentRecord]
    participants: list[ParticipantRecord]
    #: Every document, ``order`` its place in the interview order.
    documents: list[DocumentRecord]
    #: The people whose codings the study holds (consensus layers and memo authors are not).
    coders: list[str]
    themes: list[str]
    codebook: Codebook
    labels: Mapping[ParticipantId, str]
    #: Transcripts coded by two or more of those people.
    double_coded: int = 0
    #: How the analysis layer was made, for the report.
    layer: str = ""
    #: How the coded interviews were put in order, for the saturation sentence.
    order: str = ""


def interview_dates(
    uow: UnitOfWork,
    documents: Sequence[Document],
    people: Sequence[Participant],
) -> dict[DocumentId, tuple[date, DateSource]]:
    """Each document's interview date and where it was found (see the module docstring)."""
    manual = uow.documents.interview_dates(documents[0].study_id) if documents else {}
    sheet: dict[ParticipantId, date] = {}
    for person in people:
        for name, values in person.attributes.items():
            if is_date_attribute(name) and len(values) == 1:
                # An unreadable cell leaves the document undated (and the report says so).
                with contextlib.suppress(InvalidInputError):
                    sheet[person.id] = parse_date(values[0])
    dates: dict[DocumentId, tuple[date, DateSource]] = {}
    for document in documents:
        if document.id in manual:
            dates[document.id] = (manual[document.id], DateSource.MANUAL)
        elif (found := header_date(document.text)) is not None:
            dates[document.id] = (found, DateSource.HEADER)
        elif document.participant_id in sheet:
            dates[document.id] = (sheet[document.participant_id], DateSource.SHEET)
    return dates


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _order(
    documents: Sequence[Document],
    coded: set[DocumentId],
    dates: Mapping[DocumentId, tuple[date, DateSource]],
) -> tuple[list[Document], str]:
    """The documents in interview order, and a phrase saying which order that is."""
    imported = sorted(documents, key=lambda d: (d.created_at is None, d.created_at, d.name))
    rank = {d.id: i for i, d in enumerate(imported)}
    of_coded = [d for d in imported if d.id in coded]
    undated = [d for d in of_coded if d.id not in dates]
    if of_coded and not undated:
        sources: dict[DateSource, int] = {}
        for d in of_coded:
            sources[dates[d.id][1]] = sources.get(dates[d.id][1], 0) + 1
        where = ", ".join(f"{s.value} {n}" for s, n in sources.items())
        ordered = sorted(
            documents,
            key=lambda d: (
                d.id not in dates,
                dates[d.id][0] if d.id in dates else date.max,
                rank[d.id],
            ),
        )
        return ordered, (
            f"the {_plural(len(of_coded), 'coded interview')} in order of interview date "
            f"(dates from: {where})"
        )
    if not of_coded:
        return imported, "no interview coded yet"
    missing = (
        "none of them has an interview date"
        if len(undated) == len(of_coded)
        else f"{len(undated)} of them {'has' if len(undated) == 1 else 'have'} no interview date"
    )
    return imported, (
        f"the {_plural(len(of_coded), 'coded interview')} in the order they were imported, "
        f"since {missing} (set one with `thematica documents set-date`)"
    )


def gather(
    uow: UnitOfWork, study: Study, *, layer: str | None = None, viewer: str | None = None
) -> StudyData:
    """Everything the analyses need, read in one unit of work.

    ``layer`` names the coder whose codings the analyses read where no round was resolved (else
    the study record's choice, else the union); ``viewer`` is who will see the result (codings
    an open blind round hides from them are left out).
    """
    book = uow.codes.codebook(study.id)
    people = uow.participants.all(study.id)
    labels = {p.id: p.label for p in people}
    documents = uow.documents.all(study.id)
    chosen = analysis_layer(
        uow, study, documents, uow.codings.all(study.id), layer=layer, viewer=viewer
    )
    coded = {p.document_id for p in chosen.passages}
    ordered, order = _order(documents, coded, interview_dates(uow, documents, people))
    by_id = {d.id: d for d in documents}
    turn_starts = {d.id: [t.span.start for t in d.turns] for d in documents}
    paths: dict[object, tuple[str, ...]] = {}
    segments = []
    for passage in chosen.passages:
        document = by_id[passage.document_id]
        if passage.code_id not in paths:
            paths[passage.code_id] = book.path(passage.code_id)
        path = paths[passage.code_id]
        starts = turn_starts[document.id]
        turn = bisect.bisect_right(starts, passage.span.start) - 1 if starts else None
        segments.append(
            SegmentRecord(
                document.name,
                labels.get(document.participant_id) if document.participant_id else None,
                " > ".join(path),
                path[0],
                passage.source,
                passage.span.start,
                passage.span.end,
                passage.span.of(document.text),
                passage.valence.value if passage.valence else None,
                turn if turn is not None and turn >= 0 else None,
            )
        )
    return StudyData(
        study,
        segments,
        [ParticipantRecord(p.label, p.pseudonym, p.attributes) for p in people],
        [
            DocumentRecord(
                d.name, labels.get(d.participant_id) if d.participant_id else None, i, len(d.text)
            )
            for i, d in enumerate(ordered)
        ],
        list(chosen.coders),
        [c.name for c in book.children(None)],
        book,
        labels,
        double_coded=chosen.double_coded,
        layer=chosen.statement,
        order=order,
    )
