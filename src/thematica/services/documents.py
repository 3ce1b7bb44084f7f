"""Bringing transcripts in, and reading them back."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from thematica.domain.events import EventKind, utcnow
from thematica.domain.ids import DocumentId, new_guid
from thematica.domain.interview_dates import parse_date
from thematica.domain.participant_names import participant_in_name
from thematica.domain.study import Document, Participant, Study, Turn, Turns, content_hash
from thematica.domain.suggest import did_you_mean
from thematica.domain.text import canonicalize
from thematica.errors import ConflictError, InvalidInputError, NotFoundError, ThematicaError
from thematica.interchange.formats import (
    DEFAULT_MAX_BYTES,
    ImportedText,
    read_limited,
    read_transcript,
)
from thematica.interchange.speakers import assign_roles, compile_speaker_pattern, detect_turns
from thematica.interchange.turn_checks import role_notice, turn_notices
from thematica.interchange.utterances import UtteranceColumns, read_utterance_table
from thematica.safeio.controls import replace_controls
from thematica.services.participants import upsert_participant
from thematica.services.scope import NO_PROGRESS, Progress, default_actor, record, study_scope
from thematica.storage import Database, UnitOfWork

__all__ = [
    "MAX_IMPORT_ENV",
    "ImportReport",
    "UtteranceColumns",
    "add_text",
    "document_event",
    "document_payload",
    "get_document",
    "get_original",
    "import_documents",
    "import_files",
    "import_limit",
    "list_documents",
    "set_interview_date",
    "with_roles",
]


def document_event(
    uow: UnitOfWork,
    study: Study,
    actor: str,
    document: Document,
    header: Sequence[tuple[str, str]] = (),
) -> None:
    """Record ``document.added`` with what a reviewer of the audit trail needs to know,
    including a transcription service's header lines (date, duration ...) when the file had them.
    """
    record(
        uow,
        study,
        actor,
        EventKind.DOCUMENT_ADDED,
        document.id,
        after={**document_payload(document), "header": [list(line) for line in header]},
    )


def document_payload(document: Document) -> dict[str, object]:
    """What the audit trail records of a document added (without its text)."""
    return {
        "name": document.name,
        "source_name": document.source_name,
        "source_format": document.source_format,
        "source_hash": document.source_hash,
        "characters": len(document.text),
        "turns": len(document.turns),
        "participant_id": str(document.participant_id) if document.participant_id else None,
    }


def _participant(
    uow: UnitOfWork, study: Study, label: str | None, actor: str, *, create: bool = True
) -> Participant | None:
    if label is None:
        return None
    if not create:
        existing = uow.participants.by_label(study.id, label.strip())
        if existing is None:
            known = [p.label for p in uow.participants.all(study.id)]
            raise NotFoundError(
                f"no participant {label!r}{did_you_mean(label, known)}; import the participants "
                "sheet first, or add them with --new-participant"
            )
        return existing
    participant, _ = upsert_participant(uow, study, label, actor)
    return participant


#: Environment variable for the import size limit, in megabytes (a setting, not a constant:
#: a team with very long transcripts can raise it without a code change).
MAX_IMPORT_ENV = "THEMATICA_MAX_IMPORT_MB"


def import_limit(max_bytes: int | None = None) -> int:
    """The import size limit: ``max_bytes``, else ``THEMATICA_MAX_IMPORT_MB``, else 50 MB."""
    if max_bytes is not None:
        return max_bytes
    configured = os.environ.get(MAX_IMPORT_ENV)
    if configured:
        try:
            return int(float(configured) * 1024 * 1024)
        except ValueError:
            raise InvalidInputError(
                f"{MAX_IMPORT_ENV} must be a number of megabytes, not {configured!r}"
            ) from None
    return DEFAULT_MAX_BYTES


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What a batch import took: every document made, and the files skipped (with why)."""

    documents: tuple[Document, ...]
    skipped: tuple[tuple[Path, str], ...] = ()
    #: With ``deidentify``: document name -> identifiers listed for its review.
    review_items: Mapping[str, int] = field(default_factory=dict)
    #: ``(document name, warning)``: what the researcher should check (text in no turn, one
    #: turn far longer than the rest, no roles assigned, control characters replaced ...).
    notices: tuple[tuple[str, str], ...] = ()
    #: Without a participant given: document name -> the participant id its file name holds.
    linked_by_name: Mapping[str, str] = field(default_factory=dict)
    #: Without a participant given: document name -> why it is linked to no participant.
    unlinked: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Read:
    path: Path
    name: str
    imported: ImportedText
    data: bytes
    digest: str


def import_documents(
    db: Database,
    paths: Sequence[Path],
    *,
    study: str | None = None,
    participant: str | None = None,
    actor: str | None = None,
    progress: Progress = NO_PROGRESS,
    interviewers: Collection[str] = (),
) -> list[Document]:
    """Import transcript files into a study: **all or nothing** (see :func:`import_files`)."""
    report = import_files(
        db,
        paths,
        study=study,
        participant=participant,
        actor=actor,
        progress=progress,
        interviewers=interviewers,
    )
    return list(report.documents)


def import_files(
    db: Database,
    paths: Sequence[Path],
    *,
    study: str | None = None,
    participant: str | None = None,
    actor: str | None = None,
    progress: Progress = NO_PROGRESS,
    interviewers: Collection[str] = (),
    skip_duplicates: bool = False,
    keep_originals: bool = True,
    max_bytes: int | None = None,
    deidentify: bool = False,
    create_participant: bool = True,
    speaker_pattern: str | None = None,
    utterance_columns: UtteranceColumns | None = None,
) -> ImportReport:
    """Import transcript files in any registered format: **all or nothing**.

    Every file is read and checked first. If any fails (unreadable, unsupported, empty, damaged,
    encrypted, too big, already imported, a name clash) nothing is imported, and the error names
    every file at fault, not just the first. With ``skip_duplicates``, a file already in the study
    (same bytes) is skipped and reported instead. ``participant`` links every file to that
    participant (created if new, unless ``create_participant`` is False: then an unknown one is an
    error with the closest labels); without it, a file whose name is a participant id of the
    study ("P01.docx") or holds exactly one as a whole token ("P01_interview.docx") is linked to
    that participant (the report lists the rest, and why); ``interviewers`` names the speakers
    who are interviewers (the rest are then participants); the original bytes are kept unless
    ``keep_originals`` is False.
    With ``deidentify`` the identifiers found are listed for review in the same transaction, so
    no document is ever codable before its review (see :mod:`thematica.services.deid`).

    Speaker turns are found again with ``speaker_pattern`` (a regular expression matched at each
    line's start) or with the names given (``interviewers``, ``participant``) counting from their
    first label; with ``utterance_columns`` every file is a table of utterances, one document
    each. The report's notices say what to check (text in no turn, one turn far longer than the
    rest, no roles assigned).
    """
    actor = actor or default_actor()
    limit = import_limit(max_bytes)
    reading = _Reading(
        limit,
        compile_speaker_pattern(speaker_pattern) if speaker_pattern else None,
        tuple(interviewers) + ((participant,) if participant else ()),
        utterance_columns,
    )
    # Files are parsed before the transaction opens: the write lock (SQLite) or the open
    # transaction (PostgreSQL) lasts only for the checks against the study and the inserts.
    parsed = _parse_all(paths, reading, progress)
    with study_scope(db, study) as (uow, found):
        reads, skipped = _read_all(uow, found, paths, parsed, skip_duplicates)
        linked = _participant(uow, found, participant, actor, create=create_participant)
        people = {} if linked else {p.label: p for p in uow.participants.all(found.id)}
        by_name: dict[str, str] = {}
        unlinked: dict[str, str] = {}
        documents: list[Document] = []
        notices: list[tuple[str, str]] = []
        for read in reads:
            owner = linked
            if linked is None:
                match = participant_in_name(read.name, people)
                if match.label is not None:
                    owner = people[match.label]
                    by_name[read.name] = match.label
                else:
                    unlinked[read.name] = match.why_not(bool(people))
            document = Document(
                DocumentId(new_guid()),
                found.id,
                read.name,
                read.imported.text,
                source_name=read.path.name,
                source_format=read.imported.source_format,
                source_hash=read.digest,
                participant_id=owner.id if owner else None,
                turns=with_roles(read.imported.turns, interviewers),
                created_at=utcnow(),
            )
            notices.extend((read.name, n) for n in _notices(read.imported, document.turns))
            uow.documents.add(document)
            if keep_originals:
                uow.documents.keep_original(document.id, read.data)
            document_event(uow, found, actor, document, read.imported.header)
            documents.append(document)
        review = put_up_for_review_if(deidentify, uow, found, documents, actor)
        progress(len(paths), len(paths), "saving")
        uow.commit()
    return ImportReport(tuple(documents), tuple(skipped), review, tuple(notices), by_name, unlinked)


@dataclass(frozen=True, slots=True)
class _Reading:
    """How to read each file of one import."""

    limit: int
    pattern: re.Pattern[str] | None
    known: tuple[str, ...]
    utterances: UtteranceColumns | None

    def read(self, path: Path) -> tuple[ImportedText, bytes]:
        if self.utterances is not None:
            data = read_limited(path, max_bytes=self.limit)
            return read_utterance_table(data, str(path), self.utterances), data
        imported, data = read_transcript(path, max_bytes=self.limit)
        if imported.detected and (self.pattern is not None or self.known):
            turns = detect_turns(imported.text, known=self.known, pattern=self.pattern)
            imported = replace(imported, turns=turns)
        return imported, data


def _notices(imported: ImportedText, turns: Sequence[Turn]) -> list[str]:
    """What the researcher should check about one imported document."""
    notices = list(imported.notices)
    if imported.detected:
        notices.extend(turn_notices(imported.text, turns))
    roles = (
        turns.speaker_roles() if isinstance(turns, Turns) else {t.speaker: t.role for t in turns}
    )
    notice = role_notice(list(roles), list(roles.values()))
    if notice is not None:
        notices.append(notice)
    return notices


def put_up_for_review_if(
    deidentify: bool, uow: UnitOfWork, study: Study, documents: Sequence[Document], actor: str
) -> dict[str, int]:
    """With ``deidentify``, list the documents' identifiers for review inside this import's
    unit of work; returns document name -> items listed."""
    if not deidentify or not documents:
        return {}
    # Imported here: the de-identification service itself finds documents through this module.
    from thematica.services.deid import put_up_for_review

    return {s.document: s.added for s in put_up_for_review(uow, study, documents, actor=actor)}


def with_roles(turns: Sequence[Turn], interviewers: Collection[str] = ()) -> Sequence[Turn]:
    """``turns`` with each speaker's role (see ``interchange.speakers.assign_roles``)."""
    if isinstance(turns, Turns):
        return turns.with_roles(assign_roles(turns.speakers(), interviewers))
    roles = assign_roles((t.speaker for t in turns), interviewers)
    return tuple(replace(t, role=roles.get(t.speaker)) for t in turns)


def _parse_all(
    paths: Sequence[Path], reading: _Reading, progress: Progress
) -> list[tuple[ImportedText, bytes] | InvalidInputError]:
    """Read and parse every file (no database involved): the text, or why it cannot be read."""
    parsed: list[tuple[ImportedText, bytes] | InvalidInputError] = []
    for done, path in enumerate(paths):
        progress(done, len(paths), path.name)
        try:
            parsed.append(reading.read(path))
        except InvalidInputError as exc:
            parsed.append(exc)
    return parsed


def _read_all(
    uow: UnitOfWork,
    study: Study,
    paths: Sequence[Path],
    parsed: Sequence[tuple[ImportedText, bytes] | InvalidInputError],
    skip_duplicates: bool,
) -> tuple[list[_Read], list[tuple[Path, str]]]:
    """Check every parsed file against the study; raise one error naming every file at fault."""
    reads: list[_Read] = []
    skipped: list[tuple[Path, str]] = []
    problems: list[ThematicaError] = []
    names: dict[str, Path] = {}
    hashes: dict[str, Path] = {}
    for path, outcome in zip(paths, parsed, strict=True):
        if isinstance(outcome, InvalidInputError):
            problems.append(outcome)
            continue
        imported, data = outcome
        digest = content_hash(data)
        name = path.stem
        earlier = uow.documents.by_hash(study.id, digest)
        if earlier is not None or digest in hashes:
            why = (
                f"was already imported as document {earlier.name!r}"
                if earlier is not None
                else f"is the same file as {hashes[digest]}"
            )
            if skip_duplicates:
                skipped.append((path, why))
            else:
                problems.append(ConflictError(f"{path} {why}"))
            continue
        if name in names:
            problems.append(
                InvalidInputError(
                    f"two files would both be named {name!r} ({names[name]} and {path})",
                    file=str(path),
                )
            )
            continue
        if uow.documents.by_name(study.id, name) is not None:
            problems.append(ConflictError(f"{path}: a document named {name!r} already exists"))
            continue
        names[name] = path
        hashes[digest] = path
        reads.append(_Read(path, name, imported, data, digest))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        listed = "; ".join(str(p) for p in problems)
        message = (
            f"nothing was imported: {len(problems)} of {len(paths)} files cannot be imported: "
            f"{listed}"
        )
        if all(isinstance(p, ConflictError) for p in problems):
            raise ConflictError(message)
        raise InvalidInputError(message)
    return reads, skipped


def add_text(
    db: Database,
    name: str,
    text: str,
    *,
    study: str | None = None,
    participant: str | None = None,
    actor: str | None = None,
) -> Document:
    """Add a document from a string (canonicalised; ``Name:`` turns detected)."""
    actor = actor or default_actor()
    canonical, _ = canonicalize(replace_controls(text, name)[0])
    if not canonical.strip():
        raise InvalidInputError("the text is empty", element=name)
    with study_scope(db, study) as (uow, found):
        if uow.documents.by_name(found.id, name) is not None:
            raise ConflictError(f"a document named {name!r} already exists")
        linked = _participant(uow, found, participant, actor)
        document = Document(
            DocumentId(new_guid()),
            found.id,
            name,
            canonical,
            source_format="text",
            source_hash=content_hash(canonical.encode()),
            turns=with_roles(detect_turns(canonical)),
            participant_id=linked.id if linked else None,
            created_at=utcnow(),
        )
        uow.documents.add(document)
        document_event(uow, found, actor, document)
        uow.commit()
    return document


def list_documents(db: Database, study: str | None = None) -> list[Document]:
    with study_scope(db, study) as (uow, found):
        return uow.documents.all(found.id)


def get_document(db: Database, name: str, study: str | None = None) -> Document:
    with study_scope(db, study) as (uow, found):
        return find_document(uow, found, name)


def get_original(db: Database, name: str, study: str | None = None) -> bytes:
    """The bytes of the file document ``name`` was imported from (its hash is the document's)."""
    with study_scope(db, study) as (uow, found):
        document = find_document(uow, found, name)
        original = uow.documents.original(document.id)
    if original is None:
        raise NotFoundError(f"the original file of document {name!r} was not kept")
    return original


def find_document(uow: UnitOfWork, study: Study, name: str) -> Document:
    document = uow.documents.by_name(study.id, name)
    if document is None:
        known = [d.name for d in uow.documents.all(study.id)]
        hint = (
            f" (documents: {', '.join(known[:10])}{' ...' if len(known) > 10 else ''})"
            if known
            else ""
        )
        raise NotFoundError(f"no document named {name!r}{hint}")
    return document


def set_interview_date(
    db: Database,
    name: str,
    when: str | None,
    *,
    study: str | None = None,
    actor: str | None = None,
) -> date | None:
    """Set (or, with ``when`` None or blank, clear) the date document ``name``'s interview took
    place; it wins over a transcript header or the participant sheet when interviews are put in
    order (saturation). ``when`` is read by :func:`~thematica.domain.interview_dates.parse_date`.
    """
    parsed = parse_date(when) if when and when.strip() else None
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        document = find_document(uow, found, name)
        before = uow.documents.interview_dates(found.id).get(document.id)
        uow.documents.set_interview_date(document.id, parsed)
        record(
            uow,
            found,
            actor,
            EventKind.DOCUMENT_DATED,
            document.id,
            before={"interview_date": before.isoformat() if before else None},
            after={"interview_date": parsed.isoformat() if parsed else None},
        )
        uow.commit()
    return parsed
