"""Blind double-coding rounds, disagreements and the consensus layer.

The rules live in :mod:`thematica.domain.rounds`; this module gathers what they need, records
events, and keeps every transaction whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from thematica.analysis.units import Unitisation, presence, units_for
from thematica.domain.codebook import Codebook
from thematica.domain.codings import Coder, CoderKind, Coding, Origin, Valence
from thematica.domain.events import EventKind, make_event, snapshot, utcnow
from thematica.domain.ids import (
    CodeId,
    CoderId,
    CodingId,
    DocumentId,
    ResolutionId,
    RoundId,
    new_guid,
)
from thematica.domain.rounds import (
    CodingRound,
    Decision,
    Disagreement,
    Resolution,
    RoundStatus,
    coded_passage,
    consensus_coder_name,
    sample_documents,
    shared_valence,
)
from thematica.domain.study import Document, Study
from thematica.domain.text import Span
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.safeio.csvfiles import write_csv
from thematica.services.coding import ensure_coder, find_coder
from thematica.services.documents import find_document
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "DisagreementView",
    "close_round",
    "export_resolutions",
    "list_disagreements",
    "list_rounds",
    "open_round",
    "resolve_disagreement",
]


def _find_round(uow: UnitOfWork, study: Study, name: str) -> CodingRound:
    found = uow.rounds.by_name(study.id, name)
    if found is None:
        known = ", ".join(r.name for r in uow.rounds.all(study.id)) or "none"
        raise NotFoundError(f"no round named {name!r} (rounds: {known})")
    return found


def open_round(
    db: Database,
    name: str,
    *,
    coders: Sequence[str],
    documents: Sequence[str] | None = None,
    fraction: float | None = None,
    seed: int = 0,
    stratify_by: str | None = None,
    blind: bool = True,
    unit: str = "turn",
    study: str | None = None,
    actor: str | None = None,
    new_coders: bool = True,
) -> CodingRound:
    """Assign documents to two or more coders for double-coding.

    A coder not yet in the study is added, unless ``new_coders`` is False: then an unknown name
    (a typo) is an error with the closest names, never a new coder made in silence.

    ``documents`` names them; otherwise every document is a candidate, and ``fraction`` (e.g.
    0.2) draws a reproducible sample (``seed``), stratified by the participant attribute
    ``stratify_by`` if given. In a ``blind`` round each coder sees only their own codings of the
    round's documents until the round is closed.
    """
    actor = actor or default_actor()
    if unit not in {u.value for u in Unitisation}:  # refuse it now, not at close
        choices = ", ".join(u.value for u in Unitisation)
        raise InvalidInputError(f"unknown unit {unit!r}; choose one of: {choices}")
    with study_scope(db, study) as (uow, found):
        if uow.rounds.by_name(found.id, name) is not None:
            raise ConflictError(f"a round named {name!r} already exists")
        coder_ids = tuple(
            (ensure_coder(uow, found, c, actor) if new_coders else find_coder(uow, found, c)).id
            for c in dict.fromkeys(coders)
        )
        if documents:
            chosen = tuple(find_document(uow, found, d).id for d in dict.fromkeys(documents))
            sampling = "documents named by the user"
        else:
            candidates = _strata(uow, found, stratify_by)
            if fraction is None:
                chosen = tuple(d for d, _ in candidates)
                sampling = "all documents"
            else:
                chosen = sample_documents(candidates, fraction, seed=seed)
                sampling = (
                    f"random sample of {fraction:.0%} of {len(candidates)} documents "
                    f"(seed {seed}{f', stratified by {stratify_by}' if stratify_by else ''})"
                )
        round_ = CodingRound(
            RoundId(new_guid()),
            found.id,
            name.strip(),
            coder_ids,
            chosen,
            blind,
            utcnow(),
            unit,
            sampling,
        )
        uow.rounds.add(round_)
        record(uow, found, actor, EventKind.ROUND_OPENED, round_.id, after=snapshot(round_))
        uow.commit()
    return round_


def _strata(uow: UnitOfWork, study: Study, attribute: str | None) -> list[tuple[DocumentId, str]]:
    documents = uow.documents.all(study.id)
    if attribute is None:
        return [(d.id, "") for d in documents]
    people = {p.id: p for p in uow.participants.all(study.id)}
    if not any(attribute in p.attributes for p in people.values()):
        raise InvalidInputError(f"no participant has the attribute {attribute!r}")
    return [
        (
            d.id,
            "; ".join(people[d.participant_id].attributes.get(attribute, ("(none)",)))
            if d.participant_id in people
            else "(no participant)",
        )
        for d in documents
    ]


def list_rounds(db: Database, study: str | None = None) -> list[CodingRound]:
    with study_scope(db, study) as (uow, found):
        return uow.rounds.all(found.id)


@dataclass(frozen=True)
class DisagreementView:
    """A disagreement as people read it, with its resolution once there is one."""

    disagreement: Disagreement
    document: str
    code: str
    text: str
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]
    resolution: Resolution | None


def _compare(
    round_: CodingRound, documents: Sequence[Document], codings: Sequence[Coding]
) -> tuple[list[Disagreement], list[tuple[DocumentId, Span, CodeId]]]:
    """Disagreements and the units every coder coded alike as present, per code and unit."""
    by_key: dict[tuple[DocumentId, CodeId, CoderId], list[tuple[int, int]]] = {}
    for coding in codings:
        by_key.setdefault((coding.document_id, coding.code_id, coding.coder_id), []).append(
            (coding.span.start, coding.span.end)
        )
    codes = sorted({c.code_id for c in codings}, key=str)
    disagreements: list[Disagreement] = []
    agreed: list[tuple[DocumentId, Span, CodeId]] = []
    for document in documents:
        units = units_for(
            document.text, round_.unit, [(t.span.start, t.span.end) for t in document.turns]
        )
        for code in codes:
            marks = {
                coder: presence(units, by_key.get((document.id, code, coder), []))
                for coder in round_.coder_ids
            }
            for i, (start, end) in enumerate(units.tolist()):
                yes = tuple(c for c in round_.coder_ids if marks[c][i])
                if not yes:
                    continue
                span = Span(start, end)
                if len(yes) == len(round_.coder_ids):
                    agreed.append((document.id, span, code))
                else:
                    no = tuple(c for c in round_.coder_ids if not marks[c][i])
                    disagreements.append(Disagreement(document.id, span, code, yes, no))
    return disagreements, agreed


def _round_data(
    uow: UnitOfWork, study: Study, round_: CodingRound, only: DocumentId | None = None
) -> tuple[list[Document], list[Coding]]:
    """The round's documents (or just ``only``, if it is one of them) and its coders' codings."""
    ids = [i for i in round_.document_ids if only is None or i == only]
    documents = [d for d in (uow.documents.get(i) for i in ids) if d is not None]
    coders = set(round_.coder_ids)
    codings = [
        c
        for d in documents
        for c in uow.codings.all(study.id, document_id=d.id)
        if c.coder_id in coders
    ]
    return documents, codings


def _views(
    uow: UnitOfWork,
    study: Study,
    round_: CodingRound,
    documents: Sequence[Document],
    disagreements: Sequence[Disagreement],
) -> list[DisagreementView]:
    """The disagreements found in ``documents`` (as :func:`_round_data` read them), for people."""
    book: Codebook = uow.codes.codebook(study.id)
    names = {c.id: c.name for c in uow.coders.all(study.id)}
    by_id = {d.id: d for d in documents}
    resolved = {
        (r.document_id, r.code_id, r.span.start): r for r in uow.rounds.resolutions(round_.id)
    }
    views = []
    for d in disagreements:
        document = by_id[d.document_id]
        views.append(
            DisagreementView(
                d,
                document.name,
                book.path_text(d.code_id),
                d.span.of(document.text),
                tuple(names[c] for c in d.coded_by),
                tuple(names[c] for c in d.not_coded_by),
                resolved.get((d.document_id, d.code_id, d.span.start)),
            )
        )
    return views


def list_disagreements(
    db: Database, name: str, *, study: str | None = None
) -> list[DisagreementView]:
    """Every unit and code on which the round's coders differ, with resolutions so far."""
    with study_scope(db, study) as (uow, found):
        round_ = _find_round(uow, found, name)
        if round_.blind and round_.is_open:
            # Who coded what is exactly what a blind round keeps from its coders.
            raise ConflictError(
                f"round {name!r} is open and blind: its disagreements are listed once it is "
                f"closed (`thematica round close {name}`)"
            )
        documents, codings = _round_data(uow, found, round_)
        disagreements, _ = _compare(round_, documents, codings)
        return _views(uow, found, round_, documents, disagreements)


def _consensus_coding(
    study: Study,
    consensus: CoderId,
    document: DocumentId,
    span: Span,
    code: CodeId,
    memo: str,
    valence: Valence | None = None,
) -> Coding:
    return Coding(
        CodingId(new_guid()),
        study.id,
        document,
        code,
        consensus,
        span,
        utcnow(),
        Origin.HUMAN,
        "consensus",
        None,
        valence,
        memo,
    )


def _in_unit(
    codings: Sequence[Coding], document: DocumentId, code: CodeId, unit: Span
) -> list[Coding]:
    """The codings of ``code`` in ``document`` that overlap ``unit``."""
    return [
        c
        for c in codings
        if c.document_id == document
        and c.code_id == code
        and c.span.start < unit.end
        and unit.start < c.span.end
    ]


def _consensus_coder(uow: UnitOfWork, study: Study, round_: CodingRound, actor: str) -> Coder:
    """The round's consensus layer: a coder of kind ``consensus``, made when the round closes
    (under a name no person of the study has)."""
    if round_.consensus_coder_id is not None:
        for coder in uow.coders.all(study.id):
            if coder.id == round_.consensus_coder_id:
                return coder
    taken = {c.name for c in uow.coders.all(study.id)}
    name, n = consensus_coder_name(round_.name), 1
    while name in taken:
        n += 1
        name = f"{consensus_coder_name(round_.name)} {n}"
    coder = Coder(CoderId(new_guid()), study.id, name, CoderKind.CONSENSUS)
    uow.coders.add(coder)
    record(uow, study, actor, EventKind.CODER_ADDED, coder.id, after=snapshot(coder))
    return coder


def unresolved_disagreements(uow: UnitOfWork, study: Study, round_: CodingRound) -> int:
    """How many of a closed round's disagreements have no resolution yet."""
    documents, codings = _round_data(uow, study, round_)
    disagreements, _ = _compare(round_, documents, codings)
    resolved = {(r.document_id, r.code_id, r.span.start) for r in uow.rounds.resolutions(round_.id)}
    return sum(1 for d in disagreements if (d.document_id, d.code_id, d.span.start) not in resolved)


def close_round(
    db: Database, name: str, *, study: str | None = None, actor: str | None = None
) -> list[DisagreementView]:
    """Close a round: blind views end, units all coders coded alike enter the consensus layer,
    and every disagreement is listed for resolution."""
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        round_ = _find_round(uow, found, name)
        if not round_.is_open:
            raise ConflictError(f"round {name!r} is already closed")
        documents, codings = _round_data(uow, found, round_)
        disagreements, agreed = _compare(round_, documents, codings)
        consensus = _consensus_coder(uow, found, round_, actor)
        layer = []
        for d, unit, code in agreed:
            theirs = _in_unit(codings, d, code, unit)
            layer.append(
                _consensus_coding(
                    found,
                    consensus.id,
                    d,
                    coded_passage(unit, [c.span for c in theirs]),
                    code,
                    "all coders agreed",
                    shared_valence([c.valence for c in theirs]),
                )
            )
        uow.codings.add_many(layer)
        uow.events.append(
            [
                make_event(found.id, actor, EventKind.CODING_APPLIED, c.id, after=snapshot(c))
                for c in layer
            ]
        )
        closed = replace(
            round_, status=RoundStatus.CLOSED, closed_at=utcnow(), consensus_coder_id=consensus.id
        )
        uow.rounds.set_status(closed)
        record(
            uow,
            found,
            actor,
            EventKind.ROUND_CLOSED,
            closed.id,
            before={"status": "open"},
            after={
                "status": "closed",
                "disagreements": len(disagreements),
                "agreed_units": len(agreed),
            },
        )
        views = _views(uow, found, closed, documents, disagreements)
        uow.commit()
    return views


def resolve_disagreement(
    db: Database,
    name: str,
    *,
    document: str,
    start: int,
    code: str,
    decision: Decision | str,
    decided_by: str,
    rationale: str,
    passage: tuple[int, int] | None = None,
    valence: Valence | str | None = None,
    study: str | None = None,
) -> Resolution:
    """Settle the disagreement on ``code`` in the unit starting at ``start`` of ``document``.

    ``present`` adds a passage to the consensus layer: ``passage`` (start, end inside the unit),
    else what the coders who applied the code coded in the unit; with ``valence``, else the
    valence those coders agree on. ``absent`` leaves the passage out of the layer (and so out of
    every analysis). Either way the decision, who made it and why are kept, and the coders' own
    codings are not touched.
    """
    verdict = Decision(decision)
    chosen_valence = valence if isinstance(valence, Valence) else Valence.parse(valence)
    if verdict is Decision.ABSENT and (passage is not None or chosen_valence is not None):
        raise InvalidInputError("an 'absent' decision takes no passage or valence")
    with study_scope(db, study) as (uow, found):
        round_ = _find_round(uow, found, name)
        if round_.is_open:
            raise ConflictError(f"close round {name!r} before resolving its disagreements")
        doc = find_document(uow, found, document)
        code_id = uow.codes.codebook(found.id).lookup(code).id
        documents, codings = _round_data(uow, found, round_, only=doc.id)
        disagreements, _ = _compare(round_, documents, codings)
        match = next(
            (
                d
                for d in disagreements
                if d.document_id == doc.id and d.code_id == code_id and d.span.start == start
            ),
            None,
        )
        if match is None:
            raise NotFoundError(
                f"no disagreement on {code!r} in the unit of {document} starting at {start}; "
                "see `thematica round disagreements`"
            )
        if any(
            r.document_id == doc.id and r.code_id == code_id and r.span.start == start
            for r in uow.rounds.resolutions(round_.id)
        ):
            raise ConflictError("this disagreement is already resolved")
        decided_passage: Span | None = None
        if verdict is Decision.PRESENT:
            theirs = _in_unit(codings, doc.id, code_id, match.span)
            decided_passage = (
                Span(*passage)
                if passage is not None
                else coded_passage(match.span, [c.span for c in theirs])
            )
            if chosen_valence is None:
                chosen_valence = shared_valence([c.valence for c in theirs])
        resolution = Resolution(
            ResolutionId(new_guid()),
            round_.id,
            doc.id,
            match.span,
            code_id,
            verdict,
            decided_by,
            rationale,
            utcnow(),
            decided_passage,
            chosen_valence,
        )
        uow.rounds.add_resolution(resolution)
        if decided_passage is not None:
            consensus = _consensus_coder(uow, found, round_, decided_by)
            coding = _consensus_coding(
                found, consensus.id, doc.id, decided_passage, code_id, rationale, chosen_valence
            )
            uow.codings.add_many([coding])
            record(
                uow, found, decided_by, EventKind.CODING_APPLIED, coding.id, after=snapshot(coding)
            )
        record(
            uow,
            found,
            decided_by,
            EventKind.DISAGREEMENT_RESOLVED,
            resolution.id,
            after=snapshot(resolution),
        )
        uow.commit()
    return resolution


RESOLUTION_COLUMNS = (
    "round",
    "document",
    "unit_start",
    "unit_end",
    "text",
    "code",
    "coded_by",
    "not_coded_by",
    "decision",
    "decided_by",
    "rationale",
    "decided_at",
)


def export_resolutions(db: Database, name: str, path: Path, *, study: str | None = None) -> int:
    """The resolution log as CSV (every disagreement, resolved or not), for a paper's appendix."""
    views = list_disagreements(db, name, study=study)
    rows = (
        [
            name,
            v.document,
            v.disagreement.span.start,
            v.disagreement.span.end,
            v.text,
            v.code,
            "; ".join(v.coded_by),
            "; ".join(v.not_coded_by),
            v.resolution.decision.value if v.resolution else "unresolved",
            v.resolution.decided_by if v.resolution else "",
            v.resolution.rationale if v.resolution else "",
            v.resolution.at.isoformat() if v.resolution else "",
        ]
        for v in views
    )
    return write_csv(path, RESOLUTION_COLUMNS, rows)


__all__ += ["RESOLUTION_COLUMNS", "unresolved_disagreements"]
