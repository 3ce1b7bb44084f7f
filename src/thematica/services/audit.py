"""Checking the audit trail: every event's hash against the chain (see ``domain.audit``)."""

from __future__ import annotations

from thematica.domain.audit import ChainReport, verify_chain
from thematica.domain.ids import StudyId
from thematica.services.scope import study_scope
from thematica.storage import Database, UnitOfWork

__all__ = ["audit_statement", "verify_audit", "verify_study_trail"]


def verify_audit(db: Database, study: str | None = None) -> tuple[str, ChainReport]:
    """Verify the study's event chain; returns the study's name and what was found."""
    with study_scope(db, study) as (uow, found):
        return found.name, verify_study_trail(uow, found.id)


def verify_study_trail(uow: UnitOfWork, study_id: StudyId) -> ChainReport:
    return verify_chain(uow.events.chained(study_id))


def audit_statement(report: ChainReport) -> str:
    """One sentence for the report's methods section."""
    if not report.verified:
        assert report.first_break is not None
        return f"The audit trail did NOT verify: {report.first_break.describe()}."
    erased = (
        f", {report.erased} of them with their content erased at a participant's request"
        if report.erased
        else ""
    )
    return (
        f"The audit trail ({report.events:,} events{erased}) verified: each event's SHA-256 hash "
        f"chains to the one before (head {report.head[:16]})."
    )
