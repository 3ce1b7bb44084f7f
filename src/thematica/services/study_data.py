"""Gathering a study's data as the plain records the analyses take (``analysis.records``)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass

from thematica.analysis.records import DocumentRecord, ParticipantRecord, SegmentRecord
from thematica.domain.codebook import Codebook
from thematica.domain.ids import ParticipantId
from thematica.domain.rounds import consensus_coder_name
from thematica.domain.study import Study
from thematica.storage import UnitOfWork

__all__ = ["StudyData", "gather"]


@dataclass(frozen=True)
class StudyData:
    study: Study
    segments: list[SegmentRecord]
    participants: list[ParticipantRecord]
    documents: list[DocumentRecord]
    coders: list[str]
    themes: list[str]
    codebook: Codebook
    labels: Mapping[ParticipantId, str]


def gather(uow: UnitOfWork, study: Study) -> StudyData:
    """Everything the analyses need, read in one unit of work.

    Consensus layers (one coder per closed double-coding round) are left out, so that a passage
    two coders agreed on is not counted three times.
    """
    book = uow.codes.codebook(study.id)
    people = uow.participants.all(study.id)
    labels = {p.id: p.label for p in people}
    documents = sorted(uow.documents.all(study.id), key=lambda d: (d.created_at, d.name))
    coders = {c.id: c.name for c in uow.coders.all(study.id)}
    consensus = {consensus_coder_name(r.name) for r in uow.rounds.all(study.id)}
    by_id = {d.id: d for d in documents}
    turn_starts = {d.id: [t.span.start for t in d.turns] for d in documents}
    segments = []
    paths: dict[object, tuple[str, ...]] = {}  # a code's path, found once per code
    for coding in uow.codings.all(study.id):
        coder = coders[coding.coder_id]
        if coder in consensus:
            continue
        document = by_id[coding.document_id]
        path = paths.get(coding.code_id) or paths.setdefault(
            coding.code_id, book.path(coding.code_id)
        )
        starts = turn_starts[document.id]
        turn = bisect.bisect_right(starts, coding.span.start) - 1 if starts else None
        segments.append(
            SegmentRecord(
                document.name,
                labels.get(document.participant_id) if document.participant_id else None,
                " > ".join(path),
                path[0],
                coder,
                coding.span.start,
                coding.span.end,
                coding.span.of(document.text),
                coding.valence.value if coding.valence else None,
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
            for i, d in enumerate(documents)
        ],
        sorted(name for name in coders.values() if name not in consensus),
        [c.name for c in book.children(None)],
        book,
        labels,
    )
