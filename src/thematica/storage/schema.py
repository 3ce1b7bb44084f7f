"""The tables. Every entity row is keyed by its GUID, so ids survive REFI-QDA round trips.

Offsets are stored as code points over the canonical text (see ``thematica.domain.text``).
Participant attributes live in their own table because values may be several per attribute.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Integer primary keys that autoincrement on both SQLite (INTEGER) and PostgreSQL (BIGINT).
_Sequence = BigInteger().with_variant(Integer(), "sqlite")
_When = DateTime(timezone=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class StudyRow(Base):
    __tablename__ = "studies"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(_When)


class CoderRow(Base):
    """A person who codes, a round's consensus layer, or a user imported from another tool
    (``kind``; see ``thematica.domain.codings.CoderKind``). Memo authors are rows here too (a
    memo needs an author), but only codings make someone a coder in the analyses."""

    __tablename__ = "coders"
    __table_args__ = (
        UniqueConstraint("study_id", "name"),
        CheckConstraint("kind IN ('person', 'consensus', 'imported')", "kind"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), default="person", server_default="person")


class ParticipantRow(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("study_id", "label"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    pseudonym: Mapped[str] = mapped_column(String(200), default="")


class AttributeRow(Base):
    __tablename__ = "participant_attributes"
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("study_id", "name"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(500), default="")
    source_format: Mapped[str] = mapped_column(String(20), default="txt")
    source_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(_When)
    #: Set by hand (``documents set-date``); else read from a transcript header or the sheet.
    interview_date: Mapped[date | None] = mapped_column(Date, nullable=True)


class TurnRow(Base):
    __tablename__ = "turns"
    __table_args__ = (CheckConstraint("start_offset >= 0 AND end_offset > start_offset", "span"),)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(200))
    start_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    end_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: ``interviewer`` or ``participant`` when known (see ``interchange.speakers``).
    role: Mapped[str | None] = mapped_column(String(20), nullable=True)


class DocumentOriginalRow(Base):
    """The file a document was imported from, byte for byte (its hash is the document's)."""

    __tablename__ = "document_originals"
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)


class CodeRow(Base):
    __tablename__ = "codes"
    # Sibling names are unique (domain.codebook); two partial indexes because a NULL parent
    # (a top-level code) would otherwise never clash with another NULL.
    __table_args__ = (
        Index(
            "uq_codes_sibling_name",
            "study_id",
            "parent_id",
            "name",
            unique=True,
            sqlite_where=text("parent_id IS NOT NULL"),
            postgresql_where=text("parent_id IS NOT NULL"),
        ),
        Index(
            "uq_codes_top_level_name",
            "study_id",
            "name",
            unique=True,
            sqlite_where=text("parent_id IS NULL"),
            postgresql_where=text("parent_id IS NULL"),
        ),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("codes.id", ondelete="RESTRICT"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(7), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class CodingRow(Base):
    __tablename__ = "codings"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", "span"),
        CheckConstraint("origin IN ('human', 'assisted', 'imported')", "origin"),
        CheckConstraint(
            "valence IS NULL OR valence IN ('barrier', 'facilitator', 'mixed')", "valence"
        ),
        Index("ix_codings_document", "document_id", "start_offset"),
        Index("ix_codings_code", "code_id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"))
    coder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coders.id", ondelete="RESTRICT"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(_When)
    origin: Mapped[str] = mapped_column(String(10), default="human")
    origin_detail: Mapped[str] = mapped_column(String(300), default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    valence: Mapped[str | None] = mapped_column(String(12), nullable=True)
    memo: Mapped[str] = mapped_column(Text, default="")
    # REFI-QDA keeps a selection (span) apart from its codings; these keep its GUID and the user
    # who made it (which some tools record differently from the coding's user) for round trips.
    selection_guid: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    selection_creator: Mapped[str] = mapped_column(String(200), default="", server_default="")


class MemoRow(Base):
    __tablename__ = "memos"
    __table_args__ = (
        CheckConstraint("target IN ('study', 'document', 'code', 'coding')", "target"),
        Index("ix_memos_target", "target", "target_id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("coders.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(_When)


class EventRow(Base):
    """Append-only: rows are inserted, never updated or deleted (the audit trail)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_study_sequence", "study_id", "sequence"),)
    sequence: Mapped[int] = mapped_column(_Sequence, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(_When)
    kind: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: SHA-256 of the canonical before/after, and the hash chained to the study's previous
    #: event (``thematica.domain.audit``); NULL only for rows written outside Thematica.
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RoundRow(Base):
    """A double-coding round (see ``thematica.domain.rounds``)."""

    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("study_id", "name"),
        CheckConstraint("status IN ('open', 'closed')", "status"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    blind: Mapped[bool] = mapped_column(Boolean)
    unit: Mapped[str] = mapped_column(String(20), default="turn")
    sampling: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(_When)
    closed_at: Mapped[datetime | None] = mapped_column(_When, nullable=True)
    #: The coder (kind ``consensus``) that holds this round's consensus layer, once closed.
    #: (No ON DELETE clause: SQLite keeps none for a column added to a table; coders are never
    #: deleted while a round refers to them.)
    consensus_coder_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("coders.id"), nullable=True
    )


class RoundCoderRow(Base):
    __tablename__ = "round_coders"
    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    coder_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("coders.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)


class RoundDocumentRow(Base):
    __tablename__ = "round_documents"
    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)


class ResolutionRow(Base):
    """How one disagreement was settled: the consensus decision, who made it, and why."""

    __tablename__ = "resolutions"
    __table_args__ = (
        UniqueConstraint("round_id", "document_id", "code_id", "start_offset"),
        CheckConstraint("decision IN ('present', 'absent')", "decision"),
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", "span"),
        CheckConstraint("passage_start IS NULL OR passage_start >= 0", "passage_start"),
        CheckConstraint(
            "valence IS NULL OR valence IN ('barrier', 'facilitator', 'mixed')", "valence"
        ),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str] = mapped_column(String(200))
    rationale: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(_When)
    #: The passage the consensus coding covers (default: what the coders coded in the unit)
    #: and the valence decided; both kept on the consensus coding too.
    passage_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    passage_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    valence: Mapped[str | None] = mapped_column(String(12), nullable=True)


class ImportedIdentityRow(Base):
    """The original GUID of an imported entity whose id here had to differ (another study of this
    database has the GUID), and the REFI-QDA attributes Thematica has no column for (see
    ``thematica.domain.imported``). ``entity_id`` is the entity's id here; for a selection, the
    selection GUID its codings carry."""

    __tablename__ = "imported_identities"
    study_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    guid: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    user_id: Mapped[str] = mapped_column(String(200), default="")
    codable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    creating_user: Mapped[str] = mapped_column(String(200), default="")
    modifying_user: Mapped[str] = mapped_column(String(200), default="")
    modified_at: Mapped[datetime | None] = mapped_column(_When, nullable=True)


class SetRow(Base):
    """A named set of documents and/or codes (REFI-QDA ``Set``)."""

    __tablename__ = "sets"
    __table_args__ = (UniqueConstraint("study_id", "name"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")


class SetMemberRow(Base):
    __tablename__ = "set_members"
    __table_args__ = (CheckConstraint("kind IN ('document', 'code')", "kind"),)
    set_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sets.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))


class FrameworkSummaryRow(Base):
    """A researcher's summary in one cell of the framework matrix (participant x code)."""

    __tablename__ = "framework_summaries"
    __table_args__ = (UniqueConstraint("participant_id", "code_id"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    code_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(_When)


class StudyRecordRow(Base):
    """Facts about how the study was done (team, setting, methods), for the methods paragraph
    and the COREQ checklist. One row per item; the event log keeps earlier answers."""

    __tablename__ = "study_record"
    study_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(_When)


# -- de-identification (see thematica.domain.review) --------------------------------------------


class DeidOwnerRow(Base):
    """Who may read the study's de-identification mapping (there is no login system yet: the
    owner is a name, checked against the acting user's name)."""

    __tablename__ = "deid_owners"
    study_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    owner: Mapped[str] = mapped_column(String(200))
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(_When)


class DeidTermRow(Base):
    """The study's own list of identifiers to look for (nicknames, a village, a ward's name).
    Holds identifiers, so only the mapping's owner may list it."""

    __tablename__ = "deid_terms"
    study_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(300), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(_When)


class DeidReviewRow(Base):
    """A document's de-identification review; a document with none was never put through it."""

    __tablename__ = "deid_reviews"
    __table_args__ = (CheckConstraint("status IN ('pending', 'applied', 'waived')", "status"),)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    started_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(_When)
    finished_by: Mapped[str] = mapped_column(String(200), default="")
    finished_at: Mapped[datetime | None] = mapped_column(_When, nullable=True)
    waiver_reason: Mapped[str] = mapped_column(Text, default="")


class DeidItemRow(Base):
    """One detection or reviewer's addition on the review list."""

    __tablename__ = "deid_items"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", "span"),
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", "status"),
        Index("ix_deid_items_document", "document_id", "start_offset"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    entity_type: Mapped[str] = mapped_column(String(20))
    detected_type: Mapped[str] = mapped_column(String(20))
    surface: Mapped[str] = mapped_column(Text)
    detector: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(_When)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None] = mapped_column(_When, nullable=True)


class DeidMappingRow(Base):
    """The study-wide mapping from an identifier (type and normal form) to its label number.
    Kept apart from the texts; only the owner may read it (``services.deid.read_mapping``)."""

    __tablename__ = "deid_mapping"
    __table_args__ = (UniqueConstraint("study_id", "entity_type", "number"),)
    study_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    entity_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    normal_form: Mapped[str] = mapped_column(String(500), primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(_When)


class RedactionRow(Base):
    """The redaction log: each replacement made, where, with what label, by whom and when.
    Append-only, and it never holds the identifier itself."""

    __tablename__ = "redactions"
    __table_args__ = (Index("ix_redactions_document", "document_id"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    item_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("deid_items.id", ondelete="SET NULL"), nullable=True
    )
    entity_type: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    original_start: Mapped[int] = mapped_column(Integer)
    original_end: Mapped[int] = mapped_column(Integer)
    new_start: Mapped[int] = mapped_column(Integer)
    new_end: Mapped[int] = mapped_column(Integer)
    applied_by: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime] = mapped_column(_When)
    waived: Mapped[bool] = mapped_column(Boolean, default=False)


class EmbeddingRow(Base):
    """A cached embedding: the vector a model gave a text, keyed by (model id, text hash), so
    the same passage is never embedded twice by the same model. Stored as little-endian
    float32 bytes; shared by every study in the database (a hash names no study's text)."""

    __tablename__ = "assist_embeddings"
    model_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimensions: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(_When)


class SuggestionRow(Base):
    """A code the local model proposed for a passage, and what a person decided (see
    ``thematica.domain.suggestions``). Rejected rows are kept: they teach the next round."""

    __tablename__ = "assist_suggestions"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", "status"),
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", "span"),
        Index("ix_assist_suggestions_study_status", "study_id", "status"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    study_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    model_id: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(_When)
    status: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(_When, nullable=True)
    coding_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("codings.id", ondelete="SET NULL"), nullable=True
    )


# -- web accounts (team mode of `thematica serve`) ----------------------------------------------


class AccountRow(Base):
    """A person who signs in to the web workspace in team mode (argon2 hash, never the password)."""

    __tablename__ = "accounts"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(_When)


class MembershipRow(Base):
    """An account's role in one study."""

    __tablename__ = "memberships"
    __table_args__ = (CheckConstraint("role IN ('owner', 'coder', 'viewer')", name="role"),)
    account: Mapped[str] = mapped_column(
        ForeignKey("accounts.name", ondelete="CASCADE"), primary_key=True
    )
    study_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(10))


class SignInRow(Base):
    """The audit trail of sign-ins: every attempt, kept (there is no update or delete)."""

    __tablename__ = "sign_ins"
    sequence: Mapped[int] = mapped_column(_Sequence, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(_When)
    account: Mapped[str] = mapped_column(String(200))
    client: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))
