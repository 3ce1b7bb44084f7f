"""The analysis layer: the one set of codings every analysis of a study reads (DESIGN, 11).

Per document, the first that applies:

1. **Consensus**: the document was double-coded in a round that has been closed: the round's
   consensus layer (a coder of kind ``consensus``, found through the round, never by name). It
   holds the units all coders agreed on and every disagreement resolved ``present``, with the
   passage and valence decided; a disagreement resolved ``absent``, or not yet resolved, is not in
   it. A document in several closed rounds reads the last one closed.
2. **A chosen coder**: ``report --layer CODER``, else the study record's ``analysis_layer``: that
   person's codings only (documents only others coded are then left out, and counted).
3. **The union** of the people who coded it, each passage counted once: codings of one code that
   overlap, whoever made them, are one passage (from the first start to the last end), with the
   valence they agree on (none when they differ).

Before that, codings a blind round hides are taken out: while a blind round is open, a round
coder's codings of its documents are shown to that coder only (``viewer``), never to anyone else,
since a report or export can be passed on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from thematica.domain.codings import Coder, CoderKind, Coding, Valence
from thematica.domain.ids import CodeId, CoderId, DocumentId
from thematica.domain.rounds import CodingRound, shared_valence
from thematica.domain.study import Document, Study
from thematica.domain.text import Span
from thematica.errors import ConflictError, NotFoundError
from thematica.storage import UnitOfWork

__all__ = [
    "LAYER_RECORD_ITEM",
    "UNION_LABEL",
    "AnalysisLayer",
    "LayerPassage",
    "analysis_layer",
    "refuse_while_blind",
    "visible_codings",
]

#: The study record item that names the coder whose codings the analyses read (blank: union).
LAYER_RECORD_ITEM = "analysis_layer"
#: What union passages are attributed to.
UNION_LABEL = "union of coders"


@dataclass(frozen=True, slots=True)
class LayerPassage:
    """One passage of the analysis layer: ``code`` on ``span`` of ``document``."""

    document_id: DocumentId
    code_id: CodeId
    span: Span
    valence: Valence | None
    #: The consensus layer's or chosen coder's name, or :data:`UNION_LABEL`.
    source: str


@dataclass(frozen=True)
class AnalysisLayer:
    passages: list[LayerPassage]
    #: The people (and imported users) whose own codings are visible, sorted.
    coders: tuple[str, ...]
    #: Documents coded by two or more of them.
    double_coded: int
    #: How the layer was made, in sentences for the report's Methods.
    statement: str
    #: Codings left out because a blind round is open.
    hidden: int


def visible_codings(
    uow: UnitOfWork, study: Study, codings: Iterable[Coding], viewer: str | None
) -> tuple[list[Coding], dict[str, int]]:
    """The codings ``viewer`` may see, and by round name how many were hidden (see the module
    docstring). ``viewer`` is a name; one that is no coder's sees no hidden coding at all."""
    rounds = [r for r in uow.rounds.all(study.id) if r.blind and r.is_open]
    if not rounds:
        return list(codings), {}
    coder = uow.coders.by_name(study.id, viewer) if viewer else None
    viewer_id = coder.id if coder is not None else None
    kept: list[Coding] = []
    hidden: dict[str, int] = {}
    for coding in codings:
        hiding = next(
            (
                r
                for r in rounds
                if r.hides(viewer=viewer_id, author=coding.coder_id, document=coding.document_id)
            ),
            None,
        )
        if hiding is None:
            kept.append(coding)
        else:
            hidden[hiding.name] = hidden.get(hiding.name, 0) + 1
    return kept, hidden


def refuse_while_blind(uow: UnitOfWork, study: Study, what: str) -> None:
    """Refuse ``what`` (an export that carries every coding, e.g. a REFI-QDA project) while an
    open blind round holds codings of its coders on its documents: filtering them out would
    leave a project that looks whole and is not."""
    hidden = {
        r.name
        for r in uow.rounds.all(study.id)
        if r.blind and r.is_open
        for d in r.document_ids
        if any(c.coder_id in r.coder_ids for c in uow.codings.all(study.id, document_id=d))
    }
    if hidden:
        names = ", ".join(sorted(hidden))
        raise ConflictError(
            f"{what} would show the codings of open blind round(s) {names} to people they are "
            "hidden from; close the round(s) first (`thematica round close NAME`)"
        )


def _union(codings: Sequence[Coding]) -> list[tuple[CodeId, Span, Valence | None]]:
    """Overlapping codings of one code merged into one passage each."""
    by_code: dict[CodeId, list[Coding]] = {}
    for coding in codings:
        by_code.setdefault(coding.code_id, []).append(coding)
    merged: list[tuple[CodeId, Span, Valence | None]] = []
    for code, group in by_code.items():
        group.sort(key=lambda c: (c.span.start, c.span.end))
        first = group[0]
        span, valences = first.span, [first.valence]
        for coding in group[1:]:
            if coding.span.start < span.end:  # overlaps: the same passage
                if coding.span.end > span.end:
                    span = Span(span.start, coding.span.end)
                valences.append(coding.valence)
                continue
            merged.append(
                (code, span, valences[0] if len(valences) == 1 else shared_valence(valences))
            )
            span, valences = coding.span, [coding.valence]
        merged.append((code, span, valences[0] if len(valences) == 1 else shared_valence(valences)))
    return merged


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _chosen(uow: UnitOfWork, study: Study, layer: str | None, people: Sequence[Coder]) -> str:
    """The chosen coder's name ('' for the union), from ``layer`` or the study record."""
    name = layer if layer is not None else uow.framework.record(study.id).get(LAYER_RECORD_ITEM)
    if not name or not name.strip():
        return ""
    by_fold = {c.name.casefold(): c.name for c in people}
    found = by_fold.get(name.strip().casefold())
    if found is None:
        listed = ", ".join(sorted(by_fold.values(), key=str.casefold)) or "none yet"
        raise NotFoundError(
            f"the analysis layer names {name.strip()!r}, who is not a coder of this study "
            f"(its coders: {listed})"
        )
    return found


def analysis_layer(
    uow: UnitOfWork,
    study: Study,
    documents: Sequence[Document],
    codings: Iterable[Coding],
    *,
    layer: str | None = None,
    viewer: str | None = None,
) -> AnalysisLayer:
    """The study's analysis layer (see the module docstring) over ``codings``.

    Raises
    ------
    NotFoundError
        ``layer`` (or the study record's ``analysis_layer``) names no person of the study.
    """
    from thematica.services.rounds import unresolved_disagreements

    everyone = {c.id: c for c in uow.coders.all(study.id)}
    visible, hidden = visible_codings(uow, study, codings, viewer)
    own = [c for c in visible if everyone[c.coder_id].kind is not CoderKind.CONSENSUS]
    coded_by: dict[DocumentId, set[CoderId]] = {}
    for coding in own:
        coded_by.setdefault(coding.document_id, set()).add(coding.coder_id)
    coders = sorted({everyone[i].name for ids in coded_by.values() for i in ids}, key=str.casefold)
    people = [c for c in everyone.values() if c.kind is not CoderKind.CONSENSUS]
    chosen = _chosen(uow, study, layer, people)

    closed = sorted(
        (r for r in uow.rounds.all(study.id) if not r.is_open and r.consensus_coder_id),
        key=lambda r: (r.closed_at is None, r.closed_at),
    )
    consensus_of: dict[DocumentId, CodingRound] = {}
    for round_ in closed:
        consensus_of.update(dict.fromkeys(round_.document_ids, round_))
    by_document: dict[DocumentId, list[Coding]] = {}
    for coding in visible:
        by_document.setdefault(coding.document_id, []).append(coding)

    passages: list[LayerPassage] = []
    others_only = 0
    for document in documents:
        here = by_document.get(document.id, [])
        resolved = consensus_of.get(document.id)
        if resolved is not None and resolved.consensus_coder_id is not None:
            layer_id = resolved.consensus_coder_id
            passages.extend(
                LayerPassage(document.id, c.code_id, c.span, c.valence, everyone[layer_id].name)
                for c in here
                if c.coder_id == layer_id
            )
        elif chosen:
            mine = [c for c in here if everyone[c.coder_id].name == chosen]
            if not mine and coded_by.get(document.id):
                others_only += 1
            passages.extend(
                LayerPassage(document.id, c.code_id, c.span, c.valence, chosen) for c in mine
            )
        else:
            people_here = [c for c in here if everyone[c.coder_id].kind is not CoderKind.CONSENSUS]
            passages.extend(
                LayerPassage(document.id, code, span, valence, UNION_LABEL)
                for code, span, valence in _union(people_here)
            )

    parts: list[str] = []
    for round_ in closed:
        uses = [d for d in round_.document_ids if consensus_of.get(d) is round_]
        if not uses:
            continue
        open_ = unresolved_disagreements(uow, study, round_)
        parts.append(
            f"the consensus of round {round_.name} for its {_plural(len(uses), 'transcript')}"
            + (f" ({_plural(open_, 'disagreement')} not yet resolved, left out)" if open_ else "")
        )
    rest = "the other transcripts" if parts else "every transcript"
    if any(d.id not in consensus_of for d in documents) or not parts:
        if chosen:
            source = "chosen for this report" if layer is not None else "the study record's choice"
            parts.append(
                f"{chosen}'s codings for {rest} ({source})"
                + (
                    f"; {_plural(others_only, 'transcript')} coded only by others left out"
                    if others_only
                    else ""
                )
            )
        else:
            parts.append(
                f"the union of the coders' codings for {rest}, overlapping codings of a code "
                "counted once as one passage"
            )
    statement = f"Analysis layer: {'; '.join(parts)}."
    for name, count in hidden.items():
        statement += (
            f" Round {name} is open and blind: {_plural(count, 'coding')} of its transcripts "
            "are left out until it is closed (until then each of its coders sees only their own)."
        )
    double = sum(1 for ids in coded_by.values() if len(ids) > 1)
    return AnalysisLayer(passages, tuple(coders), double, statement, sum(hidden.values()))
