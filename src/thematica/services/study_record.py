"""The study record (how the study was done) and Framework Method summaries."""

from __future__ import annotations

from dataclasses import replace

from thematica.domain.coreq import COREQ_ITEMS
from thematica.domain.events import EventKind, snapshot, utcnow
from thematica.domain.framework import FrameworkSummary
from thematica.domain.ids import SummaryId, new_guid
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.scope import default_actor, record, study_scope
from thematica.storage import Database

__all__ = ["RECORD_ITEMS", "get_study_record", "set_study_record", "write_summary"]

#: What the study record holds: the COREQ items plus a few the methods paragraph uses.
RECORD_ITEMS: dict[str, str] = {
    "title": "The study's title",
    "aim": "What the study set out to understand",
    "team": "Who the research team were (e.g. lived-experience researchers, academics)",
    "analysis_approach": "How the analysis was done (e.g. collaborative thematic analysis)",
    "quote_attributes": "Report: participant attributes after each quote's pseudonym, in order "
    "(e.g. setting, role)",
    "table1_attributes": "Report: Table 1's attributes in order, each with an optional label "
    "(e.g. age=Age (years); gender=Gender)",
    "page_size": "Report: the Word document's page, A4 or Letter (default: by locale)",
    "analysis_layer": "The coder whose codings the analyses read where no double-coding round "
    "was resolved (blank: the union of the coders, each passage counted once)",
    **{item.key: item.guide for item in COREQ_ITEMS},
}


def set_study_record(
    db: Database, item: str, value: str, *, study: str | None = None, actor: str | None = None
) -> None:
    """Write one item of the study record (see :data:`RECORD_ITEMS`); the event keeps the old."""
    if item not in RECORD_ITEMS:
        raise InvalidInputError(
            f"unknown study record item {item!r}; known: {', '.join(sorted(RECORD_ITEMS))}"
        )
    actor = actor or default_actor()
    with study_scope(db, study) as (uow, found):
        before = uow.framework.record(found.id).get(item)
        uow.framework.set_record(found.id, item, value.strip(), actor, utcnow())
        record(
            uow,
            found,
            actor,
            EventKind.RECORD_UPDATED,
            found.id,
            before={item: before} if before is not None else None,
            after={item: value.strip()},
        )
        uow.commit()


def get_study_record(db: Database, study: str | None = None) -> dict[str, str]:
    with study_scope(db, study) as (uow, found):
        return uow.framework.record(found.id)


def write_summary(
    db: Database,
    participant: str,
    code: str,
    text: str,
    *,
    author: str,
    study: str | None = None,
) -> FrameworkSummary:
    """Write (or rewrite) the summary in the framework cell participant x code."""
    with study_scope(db, study) as (uow, found):
        person = uow.participants.by_label(found.id, participant)
        if person is None:
            raise NotFoundError(f"no participant {participant!r}")
        code_id = uow.codes.codebook(found.id).lookup(code).id
        earlier = uow.framework.summary(person.id, code_id)
        summary = (
            replace(earlier, text=text, author=author, updated_at=utcnow())
            if earlier
            else FrameworkSummary(
                SummaryId(new_guid()), found.id, person.id, code_id, text, author, utcnow()
            )
        )
        uow.framework.save_summary(summary)
        record(
            uow,
            found,
            author,
            EventKind.SUMMARY_WRITTEN,
            summary.id,
            before=snapshot(earlier) if earlier else None,
            after=snapshot(summary),
        )
        uow.commit()
    return summary
