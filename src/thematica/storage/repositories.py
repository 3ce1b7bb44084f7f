"""Repositories: domain objects in, domain objects out. SQL stays here.

Each repository works inside the unit of work's session, so everything a service does in one
call commits or rolls back together.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import String, Table, delete, func, insert, select, type_coerce
from sqlalchemy.orm import Session

from thematica.domain.codebook import Code, Codebook
from thematica.domain.codings import Coder, CoderKind, Coding, Origin, Valence
from thematica.domain.ids import (
    CodeId,
    CoderId,
    CodingId,
    DocumentId,
    MemoId,
    ParticipantId,
    SetId,
    StudyId,
)
from thematica.domain.memos import Memo, MemoTarget
from thematica.domain.sets import NamedSet
from thematica.domain.study import Document, Participant, Study, Turn
from thematica.domain.text import Span
from thematica.storage.schema import (
    AttributeRow,
    Base,
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentOriginalRow,
    DocumentRow,
    EventRow,
    MemoRow,
    ParticipantRow,
    SetMemberRow,
    SetRow,
    StudyRow,
    TurnRow,
)

__all__ = [
    "CodeRepository",
    "CoderRepository",
    "CodingRepository",
    "DocumentRepository",
    "MemoRepository",
    "ParticipantRepository",
    "SetRepository",
    "StudyRepository",
]


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything Thematica stores is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class _Repository:
    def __init__(self, session: Session) -> None:
        self.session = session


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


#: Turns written per ``executemany`` when a document is added.
_TURN_BATCH = 20_000


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows in one DBAPI ``executemany``, converting values with the column types'
    own bind processors.

    This is the path for imports of tens of thousands of codings and events. Going through
    ``insert(table)`` costs several microseconds a row in generic parameter handling; here the
    processors are looked up once and applied in a tight loop, so the database driver does
    the rest. Values still pass through exactly the conversions SQLAlchemy would apply.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    converting = [(i, p) for i, p in enumerate(processors) if p is not None]
    quote = dialect.identifier_preparer
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)}) "
        f"VALUES ({', '.join([marker] * len(names))})"
    )
    parameters: list[tuple[Any, ...]] = []
    for row in rows:
        values = [row[name] for name in names]
        for i, process in converting:
            if values[i] is not None:
                values[i] = process(values[i])
        parameters.append(tuple(values))
    connection.exec_driver_sql(statement, parameters)


class StudyRepository(_Repository):
    def add(self, study: Study) -> None:
        self.session.add(
            StudyRow(
                id=study.id,
                name=study.name,
                description=study.description,
                created_at=study.created_at,
            )
        )
        self.session.flush()

    def all(self) -> list[Study]:
        rows = self.session.scalars(select(StudyRow).order_by(StudyRow.created_at))
        return [self._to_domain(row) for row in rows]

    def by_name(self, name: str) -> Study | None:
        row = self.session.scalar(select(StudyRow).where(StudyRow.name == name))
        return self._to_domain(row) if row else None

    @staticmethod
    def _to_domain(row: StudyRow) -> Study:
        return Study(StudyId(row.id), row.name, aware(row.created_at), row.description)


class CoderRepository(_Repository):
    def add(self, coder: Coder) -> None:
        self.session.add(
            CoderRow(id=coder.id, study_id=coder.study_id, name=coder.name, kind=coder.kind.value)
        )
        self.session.flush()

    def by_name(self, study_id: StudyId, name: str) -> Coder | None:
        row = self.session.scalar(
            select(CoderRow).where(CoderRow.study_id == study_id, CoderRow.name == name)
        )
        return self._to_domain(row) if row else None

    def all(self, study_id: StudyId) -> list[Coder]:
        rows = self.session.scalars(
            select(CoderRow).where(CoderRow.study_id == study_id).order_by(CoderRow.name)
        )
        return [self._to_domain(row) for row in rows]

    @staticmethod
    def _to_domain(row: CoderRow) -> Coder:
        return Coder(CoderId(row.id), StudyId(row.study_id), row.name, CoderKind(row.kind))


class ParticipantRepository(_Repository):
    def add(self, participant: Participant) -> None:
        self.session.add(
            ParticipantRow(
                id=participant.id,
                study_id=participant.study_id,
                label=participant.label,
                pseudonym=participant.pseudonym,
            )
        )
        self.session.flush()
        self._write_attributes(participant)

    def update(self, participant: Participant) -> None:
        row = self.session.get_one(ParticipantRow, participant.id)
        row.pseudonym = participant.pseudonym
        self.session.execute(
            delete(AttributeRow).where(AttributeRow.participant_id == participant.id)
        )
        self._write_attributes(participant)

    def _write_attributes(self, participant: Participant) -> None:
        rows = [
            {"participant_id": participant.id, "name": name, "position": i, "value": value}
            for name, values in participant.attributes.items()
            for i, value in enumerate(values)
        ]
        if rows:
            self.session.execute(insert(AttributeRow), rows)

    def by_label(self, study_id: StudyId, label: str) -> Participant | None:
        return next(iter(self._load(study_id, label=label)), None)

    def all(self, study_id: StudyId) -> list[Participant]:
        return self._load(study_id)

    def _load(self, study_id: StudyId, *, label: str | None = None) -> list[Participant]:
        query = select(ParticipantRow).where(ParticipantRow.study_id == study_id)
        if label is not None:
            query = query.where(ParticipantRow.label == label)
        rows = list(self.session.scalars(query.order_by(ParticipantRow.label)))
        attributes: dict[uuid.UUID, dict[str, list[str]]] = {row.id: {} for row in rows}
        if rows:
            for attr in self.session.scalars(
                select(AttributeRow)
                .where(AttributeRow.participant_id.in_(list(attributes)))
                .order_by(AttributeRow.participant_id, AttributeRow.name, AttributeRow.position)
            ):
                attributes[attr.participant_id].setdefault(attr.name, []).append(attr.value)
        return [
            Participant(
                ParticipantId(row.id),
                StudyId(row.study_id),
                row.label,
                row.pseudonym,
                {name: tuple(values) for name, values in attributes[row.id].items()},
            )
            for row in rows
        ]


class DocumentRepository(_Repository):
    def add(self, document: Document) -> None:
        self.session.add(
            DocumentRow(
                id=document.id,
                study_id=document.study_id,
                name=document.name,
                text=document.text,
                source_name=document.source_name,
                source_format=document.source_format,
                source_hash=document.source_hash,
                participant_id=document.participant_id,
                created_at=document.created_at or datetime.now(UTC),
            )
        )
        self.session.flush()
        # In batches through one executemany each: a transcript of two million short turns
        # must not become two million dictionaries at once.
        rows = (
            {
                "document_id": document.id,
                "position": i,
                "start_offset": t.span.start,
                "end_offset": t.span.end,
                "speaker": t.speaker,
                "start_seconds": t.start_seconds,
                "end_seconds": t.end_seconds,
                "role": t.role,
            }
            for i, t in enumerate(document.turns)
        )
        while batch := list(islice(rows, _TURN_BATCH)):
            bulk_insert(self.session, _table(TurnRow), batch)

    def keep_original(self, document_id: DocumentId, content: bytes) -> None:
        """Store the file ``document_id`` was imported from, byte for byte."""
        self.session.add(
            DocumentOriginalRow(document_id=document_id, content=content, size=len(content))
        )
        self.session.flush()

    def original(self, document_id: DocumentId) -> bytes | None:
        """The original file's bytes, or None if the study chose not to keep them."""
        row = self.session.get(DocumentOriginalRow, document_id)
        return bytes(row.content) if row else None

    def rename(self, document_id: DocumentId, name: str, source_name: str) -> None:
        row = self.session.get_one(DocumentRow, document_id)
        row.name, row.source_name = name, source_name
        self.session.flush()

    def set_participant(
        self, document_id: DocumentId, participant_id: ParticipantId | None
    ) -> None:
        self.session.get_one(DocumentRow, document_id).participant_id = participant_id
        self.session.flush()

    def remove(self, document_id: DocumentId) -> None:
        """Delete the document; its turns, original file and review items go with it."""
        self.session.execute(delete(DocumentRow).where(DocumentRow.id == document_id))

    def get(self, document_id: DocumentId) -> Document | None:
        row = self.session.get(DocumentRow, document_id)
        return self._to_domain(row) if row else None

    def by_name(self, study_id: StudyId, name: str) -> Document | None:
        row = self.session.scalar(
            select(DocumentRow).where(DocumentRow.study_id == study_id, DocumentRow.name == name)
        )
        return self._to_domain(row) if row else None

    def by_hash(self, study_id: StudyId, source_hash: str) -> Document | None:
        row = self.session.scalar(
            select(DocumentRow).where(
                DocumentRow.study_id == study_id, DocumentRow.source_hash == source_hash
            )
        )
        return self._to_domain(row) if row else None

    def interview_dates(self, study_id: StudyId) -> dict[DocumentId, date]:
        """The interview dates set by hand, by document."""
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.interview_date).where(
                DocumentRow.study_id == study_id, DocumentRow.interview_date.is_not(None)
            )
        )
        return {DocumentId(i): d for i, d in rows if d is not None}

    def set_interview_date(self, document_id: DocumentId, when: date | None) -> None:
        self.session.get_one(DocumentRow, document_id).interview_date = when
        self.session.flush()

    def text_by_name(self, study_id: StudyId, name: str) -> str | None:
        """Only the text of the named document (no turns, no other columns)."""
        return self.session.scalar(
            select(DocumentRow.text).where(
                DocumentRow.study_id == study_id, DocumentRow.name == name
            )
        )

    def names(self, study_id: StudyId) -> set[str]:
        """Every document name in the study, without loading the texts (for batch imports)."""
        return set(
            self.session.scalars(select(DocumentRow.name).where(DocumentRow.study_id == study_id))
        )

    def all(self, study_id: StudyId) -> list[Document]:
        rows = self.session.scalars(
            select(DocumentRow).where(DocumentRow.study_id == study_id).order_by(DocumentRow.name)
        )
        # Every document's turns in one query, not one query per document (a survey imports
        # thousands of answers as documents).
        turns: dict[uuid.UUID, list[Turn]] = {}
        for t in self.session.scalars(
            select(TurnRow)
            .join(DocumentRow, DocumentRow.id == TurnRow.document_id)
            .where(DocumentRow.study_id == study_id)
            .order_by(TurnRow.document_id, TurnRow.position)
        ):
            turns.setdefault(t.document_id, []).append(_turn(t))
        return [self._to_domain(row, tuple(turns.get(row.id, ()))) for row in rows]

    def text_lengths(self, study_id: StudyId) -> dict[DocumentId, int]:
        rows = self.session.execute(
            select(DocumentRow.id, func.length(DocumentRow.text)).where(
                DocumentRow.study_id == study_id
            )
        )
        return {DocumentId(doc_id): int(length) for doc_id, length in rows}

    def _to_domain(self, row: DocumentRow, turns: tuple[Turn, ...] | None = None) -> Document:
        if turns is None:
            # Columns, not ORM objects: a transcript has hundreds of turns, and building an
            # object per turn was most of the time of opening one document (the web codes one
            # passage per request, each reading its document).
            turns = tuple(
                Turn(Span(start, end), speaker, start_seconds, end_seconds, role)
                for start, end, speaker, start_seconds, end_seconds, role in self.session.execute(
                    select(
                        TurnRow.start_offset,
                        TurnRow.end_offset,
                        TurnRow.speaker,
                        TurnRow.start_seconds,
                        TurnRow.end_seconds,
                        TurnRow.role,
                    )
                    .where(TurnRow.document_id == row.id)
                    .order_by(TurnRow.position)
                )
            )
        return Document(
            DocumentId(row.id),
            StudyId(row.study_id),
            row.name,
            row.text,
            row.source_name,
            row.source_format,
            row.source_hash,
            ParticipantId(row.participant_id) if row.participant_id else None,
            turns,
            aware(row.created_at),
        )


def _turn(row: TurnRow) -> Turn:
    return Turn(
        Span(row.start_offset, row.end_offset),
        row.speaker,
        row.start_seconds,
        row.end_seconds,
        row.role,
    )


class CodeRepository(_Repository):
    def add(self, code: Code) -> None:
        self.session.add(CodeRow(**self._columns(code)))
        self.session.flush()

    def update(self, code: Code) -> None:
        row = self.session.get_one(CodeRow, code.id)
        for key, value in self._columns(code).items():
            setattr(row, key, value)
        self.session.flush()

    def remove(self, code_id: CodeId) -> None:
        self.session.execute(delete(CodeRow).where(CodeRow.id == code_id))

    def codebook(self, study_id: StudyId) -> Codebook:
        rows = self.session.scalars(select(CodeRow).where(CodeRow.study_id == study_id))
        return Codebook(self._to_domain(row) for row in rows)

    @staticmethod
    def _columns(code: Code) -> dict[str, Any]:
        return {
            "id": code.id,
            "study_id": code.study_id,
            "parent_id": code.parent_id,
            "name": code.name,
            "definition": code.definition,
            "inclusion": code.inclusion,
            "exclusion": code.exclusion,
            "example": code.example,
            "colour": code.colour,
            "position": code.position,
        }

    @staticmethod
    def _to_domain(row: CodeRow) -> Code:
        return Code(
            CodeId(row.id),
            StudyId(row.study_id),
            row.name,
            CodeId(row.parent_id) if row.parent_id else None,
            row.definition,
            row.inclusion,
            row.exclusion,
            row.example,
            row.colour,
            row.position,
        )


_CODING_COLUMNS = (
    "id",
    "study_id",
    "document_id",
    "code_id",
    "coder_id",
    "start_offset",
    "end_offset",
    "created_at",
    "origin",
    "origin_detail",
    "score",
    "valence",
    "memo",
    "selection_guid",
    "selection_creator",
)


_REPEATED = frozenset({"study_id", "document_id", "code_id", "coder_id"})
_ORIGINS = {origin.value: origin for origin in Origin}
_VALENCES = {valence.value: valence for valence in Valence}


class _RepeatedIds:
    """Turns raw id values (hex text on SQLite, UUIDs from PostgreSQL's driver) into UUIDs,
    building each distinct one once."""

    def __init__(self) -> None:
        self._seen: dict[object, uuid.UUID] = {}

    def __call__(self, raw: object) -> uuid.UUID:
        found = self._seen.get(raw)
        if found is None:
            found = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
            self._seen[raw] = found
        return found


class CodingRepository(_Repository):
    def add_many(self, codings: Sequence[Coding]) -> None:
        """Insert codings in one multi-row statement (the fast path for imports)."""
        if codings:
            # Not the ORM bulk path: it splits a batch into many statements whenever rows
            # differ in which columns are NULL (valence, score).
            bulk_insert(self.session, _table(CodingRow), [self._columns(c) for c in codings])

    def get(self, coding_id: CodingId) -> Coding | None:
        row = self.session.get(CodingRow, coding_id)
        return self._to_domain(row) if row else None

    def update(self, coding: Coding) -> None:
        row = self.session.get_one(CodingRow, coding.id)
        for key, value in self._columns(coding).items():
            setattr(row, key, value)
        self.session.flush()

    def remove(self, coding_id: CodingId) -> None:
        self.session.execute(delete(CodingRow).where(CodingRow.id == coding_id))

    def all(
        self,
        study_id: StudyId,
        *,
        document_id: DocumentId | None = None,
        coder_id: CoderId | None = None,
        code_ids: Iterable[CodeId] | None = None,
    ) -> list[Coding]:
        # Columns, not ORM objects: a study's codings are read whole for agreement, reports and
        # exports, and building (and identity-mapping) an object per row was most of that time.
        # The ids of a study, its documents, codes and coders recur on every row: read them
        # raw and turn each distinct one into a UUID once (see _RepeatedIds).
        columns = _table(CodingRow).c
        query = select(
            *(
                type_coerce(columns[name], String) if name in _REPEATED else columns[name]
                for name in _CODING_COLUMNS
            )
        ).where(columns.study_id == study_id)
        if document_id is not None:
            query = query.where(columns.document_id == document_id)
        if coder_id is not None:
            query = query.where(columns.coder_id == coder_id)
        if code_ids is not None:
            query = query.where(columns.code_id.in_(list(code_ids)))
        query = query.order_by(columns.document_id, columns.start_offset, columns.end_offset)
        ids = _RepeatedIds()
        return [
            Coding(
                CodingId(row[0]),
                StudyId(ids(row[1])),
                DocumentId(ids(row[2])),
                CodeId(ids(row[3])),
                CoderId(ids(row[4])),
                Span(row[5], row[6]),
                aware(row[7]),
                _ORIGINS[row[8]],
                row[9],
                row[10],
                _VALENCES[row[11]] if row[11] else None,
                row[12],
                row[13],
                row[14],
            )
            for row in self.session.execute(query)
        ]

    def ids(self, study_id: StudyId) -> list[CodingId]:
        """Every coding id in the study, and nothing else (to resolve a short id)."""
        return [
            CodingId(i)
            for i in self.session.scalars(
                select(CodingRow.id).where(CodingRow.study_id == study_id)
            )
        ]

    def coded_documents(self, study_id: StudyId) -> int:
        """How many of the study's documents have at least one coding."""
        return int(
            self.session.scalar(
                select(func.count(func.distinct(CodingRow.document_id))).where(
                    CodingRow.study_id == study_id
                )
            )
            or 0
        )

    def coded_pairs(self, study_id: StudyId) -> list[tuple[DocumentId, CoderId]]:
        """Each (document, coder) that has at least one coding, without loading the codings."""
        rows = self.session.execute(
            select(CodingRow.document_id, CodingRow.coder_id)
            .where(CodingRow.study_id == study_id)
            .distinct()
        )
        return [(DocumentId(d), CoderId(c)) for d, c in rows]

    def counts_by_coder(self, study_id: StudyId) -> dict[str, int]:
        rows = self.session.execute(
            select(CoderRow.name, func.count(CodingRow.id))
            .join(CodingRow, CodingRow.coder_id == CoderRow.id)
            .where(CodingRow.study_id == study_id)
            .group_by(CoderRow.name)
            .order_by(CoderRow.name)
        )
        return {name: int(n) for name, n in rows}

    @staticmethod
    def _columns(coding: Coding) -> dict[str, Any]:
        return {
            "id": coding.id,
            "study_id": coding.study_id,
            "document_id": coding.document_id,
            "code_id": coding.code_id,
            "coder_id": coding.coder_id,
            "start_offset": coding.span.start,
            "end_offset": coding.span.end,
            "created_at": coding.created_at,
            "origin": coding.origin.value,
            "origin_detail": coding.origin_detail,
            "score": coding.score,
            "valence": coding.valence.value if coding.valence else None,
            "memo": coding.memo,
            "selection_guid": coding.selection_guid,
            "selection_creator": coding.selection_creator,
        }

    @staticmethod
    def _to_domain(row: CodingRow) -> Coding:
        return Coding(
            CodingId(row.id),
            StudyId(row.study_id),
            DocumentId(row.document_id),
            CodeId(row.code_id),
            CoderId(row.coder_id),
            Span(row.start_offset, row.end_offset),
            aware(row.created_at),
            Origin(row.origin),
            row.origin_detail,
            row.score,
            Valence(row.valence) if row.valence else None,
            row.memo,
            row.selection_guid,
            row.selection_creator,
        )


class MemoRepository(_Repository):
    def add(self, memo: Memo) -> None:
        self.session.add(
            MemoRow(
                id=memo.id,
                study_id=memo.study_id,
                target=memo.target.value,
                target_id=memo.target_id,
                author_id=memo.author_id,
                title=memo.title,
                text=memo.text,
                created_at=memo.created_at,
            )
        )
        self.session.flush()

    def all(self, study_id: StudyId, *, target: MemoTarget | None = None) -> list[Memo]:
        query = select(MemoRow).where(MemoRow.study_id == study_id)
        if target is not None:
            query = query.where(MemoRow.target == target.value)
        rows = self.session.scalars(query.order_by(MemoRow.created_at))
        return [
            Memo(
                MemoId(row.id),
                StudyId(row.study_id),
                MemoTarget(row.target),
                row.target_id,
                CoderId(row.author_id),
                row.text,
                aware(row.created_at),
                row.title,
            )
            for row in rows
        ]


class SetRepository(_Repository):
    def add(self, named: NamedSet) -> None:
        self.session.add(
            SetRow(
                id=named.id, study_id=named.study_id, name=named.name, description=named.description
            )
        )
        self.session.flush()
        members = [
            {"set_id": named.id, "member_id": d, "kind": "document"} for d in named.document_ids
        ]
        members += [{"set_id": named.id, "member_id": c, "kind": "code"} for c in named.code_ids]
        if members:
            self.session.execute(insert(SetMemberRow), members)

    def all(self, study_id: StudyId) -> list[NamedSet]:
        rows = list(
            self.session.scalars(
                select(SetRow).where(SetRow.study_id == study_id).order_by(SetRow.name)
            )
        )
        members: dict[uuid.UUID, list[SetMemberRow]] = {row.id: [] for row in rows}
        if rows:
            for member in self.session.scalars(
                select(SetMemberRow).where(SetMemberRow.set_id.in_(list(members)))
            ):
                members[member.set_id].append(member)
        return [
            NamedSet(
                SetId(row.id),
                StudyId(row.study_id),
                row.name,
                row.description,
                tuple(DocumentId(m.member_id) for m in members[row.id] if m.kind == "document"),
                tuple(CodeId(m.member_id) for m in members[row.id] if m.kind == "code"),
            )
            for row in rows
        ]


def count_rows(session: Session, study_id: StudyId) -> dict[str, int]:
    """Counts of every entity kind in a study (for ``thematica stats``)."""
    tables: dict[str, Any] = {
        "documents": DocumentRow,
        "participants": ParticipantRow,
        "codes": CodeRow,
        "coders": CoderRow,
        "codings": CodingRow,
        "memos": MemoRow,
        "events": EventRow,
    }
    return {
        name: int(
            session.scalar(
                select(func.count()).select_from(table).where(table.study_id == study_id)
            )
            or 0
        )
        for name, table in tables.items()
    }
