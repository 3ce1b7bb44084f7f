"""The JSON API under ``/api/v1``: what the pages do, through the same services as the CLI.

Offsets: responses give both code points (``start``, ``end``: what Thematica stores) and UTF-16
units (``start_utf16``, ``end_utf16``: what a browser's strings count). Requests say which they
send with ``unit``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BaseModel, Field

from thematica.domain.actors import Actor, Role
from thematica.domain.ids import CodingId
from thematica.errors import InvalidInputError
from thematica.services import studies as study_service
from thematica.services import workspace
from thematica.web.access import Rule, rule
from thematica.web.deps import check_csrf, check_path, require_session, state, study_actor
from thematica.web.offsets import Utf16Map
from thematica.web.schemas import (
    EVENT_STREAM,
    PROBLEMS,
    Coding,
    DocumentView,
    Me,
    StudyHome,
    StudySummary,
)
from thematica.web.security import Session

__all__ = ["router"]

router = APIRouter(
    prefix="/api/v1", dependencies=[Depends(check_csrf), Depends(check_path)], responses=PROBLEMS
)

#: How often a live stream reads the event log (SQLite and PostgreSQL alike; several server
#: processes share updates through the database this way).
POLL_SECONDS = 0.25

#: The largest event sequence (a 64-bit signed integer in the database).
LAST_SEQUENCE = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("a NUL character is not allowed")
    return value


#: Text the API stores: a NUL is refused (as every reader does), whichever database holds it.
Text = Annotated[str, AfterValidator(_no_nul)]

Viewer = Annotated[Actor, Depends(study_actor(Role.VIEWER))]
Coder = Annotated[Actor, Depends(study_actor(Role.CODER))]


class CodingIn(BaseModel):
    start: int = Field(ge=0, strict=True)  # strict: `false` is no offset
    end: int = Field(ge=0, strict=True)
    unit: Literal["codepoint", "utf16"] = "codepoint"
    code: Text = Field(min_length=1, max_length=1000)
    valence: Literal["barrier", "facilitator", "mixed", ""] = ""
    memo: Text = Field(default="", max_length=20000)


class CodingChange(BaseModel):
    start: int | None = Field(default=None, ge=0, strict=True)
    end: int | None = Field(default=None, ge=0, strict=True)
    unit: Literal["codepoint", "utf16"] = "codepoint"
    code: Text | None = Field(default=None, min_length=1, max_length=1000)
    valence: Literal["barrier", "facilitator", "mixed", ""] | None = None
    memo: Text | None = Field(default=None, max_length=20000)


def coding_json(coding: workspace.VisibleCoding, units: Utf16Map) -> dict[str, Any]:
    return {
        "id": coding.id,
        "code": coding.code,
        "code_id": coding.code_id,
        "colour": coding.colour,
        "coder": coding.coder,
        "start": coding.start,
        "end": coding.end,
        "start_utf16": units.to_utf16(coding.start),
        "end_utf16": units.to_utf16(coding.end),
        "valence": coding.valence,
        "memo": coding.memo,
        "mine": coding.mine,
    }


def document_json(view: workspace.CodingView) -> dict[str, Any]:
    doc, units = view.document, units_of(view.document.text)
    return {
        "study": view.study,
        "name": doc.name,
        "text": doc.text,
        "length": len(doc.text),
        "length_utf16": units.units,
        "can_code": view.can_code,
        "turns": [
            {
                "speaker": t.speaker,
                "role": t.role or "",
                "start_seconds": t.start_seconds,
                "start": t.span.start,
                "end": t.span.end,
                "start_utf16": units.to_utf16(t.span.start),
                "end_utf16": units.to_utf16(t.span.end),
            }
            for t in doc.turns
        ],
        "codes": [
            {
                "id": str(code.id),
                "path": path,
                "definition": code.definition,
                "inclusion": code.inclusion,
                "exclusion": code.exclusion,
                "colour": code.colour,
            }
            for path, code in view.codes
        ],
        "codings": [coding_json(c, units) for c in view.codings],
    }


@lru_cache(maxsize=32)
def units_of(text: str) -> Utf16Map:
    """The offset map of a document's text (a coded document's text never changes)."""
    return Utf16Map(text)


def _points(text: str, start: int | None, end: int | None, unit: str) -> tuple[Any, Any]:
    if unit == "codepoint":
        return start, end
    units = units_of(text)
    return (
        None if start is None else units.to_point(start, what="start"),
        None if end is None else units.to_point(end, what="end"),
    )


def _coding_id(value: str) -> CodingId:
    try:
        return CodingId(uuid.UUID(value))
    except ValueError:
        raise InvalidInputError(f"not a coding id: {value!r}") from None


@router.get("/me", response_model=Me)
@rule(Rule.SIGNED_IN)
async def me(session: Annotated[Session, Depends(require_session)]) -> dict[str, Any]:
    return {"user": session.user, "csrf_token": session.csrf}


@router.get("/studies", response_model=list[StudySummary])
@rule(Rule.SIGNED_IN)
def studies(
    request: Request, session: Annotated[Session, Depends(require_session)]
) -> list[dict[str, Any]]:
    directory = state(request).directory
    found = []
    for study in study_service.list_studies(state(request).db):
        role = directory.role(session.user, study.name)
        if role is not None:
            found.append({"name": study.name, "description": study.description, "role": role})
    return found


@router.get("/studies/{study}", response_model=StudyHome)
@rule(Rule.VIEWER)
def study_home(request: Request, study: str, actor: Viewer) -> dict[str, Any]:
    home = workspace.study_home(state(request).db, actor, study)
    return {
        "name": home.study.name,
        "role": actor.role.value,
        "documents": [
            {"name": d.name, "characters": d.characters, "coded_by": d.coded_by}
            for d in home.documents
        ],
        "recent": [
            {"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind.value} for e in home.recent
        ],
    }


@router.get("/studies/{study}/documents/{document}", response_model=DocumentView)
@rule(Rule.VIEWER)
def document(request: Request, study: str, document: str, actor: Viewer) -> dict[str, Any]:
    return document_json(workspace.coding_view(state(request).db, actor, study, document))


@router.post(
    "/studies/{study}/documents/{document}/codings", status_code=201, response_model=Coding
)
@rule(Rule.CODER)
def add_coding(
    request: Request, study: str, document: str, body: CodingIn, actor: Coder
) -> dict[str, Any]:
    db = state(request).db
    text = workspace.document_text(db, actor, study, document)
    start, end = _points(text, body.start, body.end, body.unit)
    with state(request).writes:
        coding = workspace.code_passage(
            db, actor, study, document, start, end, body.code, valence=body.valence, memo=body.memo
        )
    return coding_json(coding, units_of(text))


@router.patch("/studies/{study}/documents/{document}/codings/{coding_id}", response_model=Coding)
@rule(Rule.CODER)
def change_coding(
    request: Request, study: str, document: str, coding_id: str, body: CodingChange, actor: Coder
) -> dict[str, Any]:
    db = state(request).db
    text = workspace.document_text(db, actor, study, document)
    start, end = _points(text, body.start, body.end, body.unit)
    with state(request).writes:
        coding = workspace.change_coding(
            db,
            actor,
            study,
            document,
            _coding_id(coding_id),
            start=start,
            end=end,
            code=body.code,
            valence=body.valence,
            memo=body.memo,
        )
    return coding_json(coding, units_of(text))


@router.delete("/studies/{study}/documents/{document}/codings/{coding_id}", status_code=204)
@rule(Rule.CODER)
def remove_coding(
    request: Request, study: str, document: str, coding_id: str, actor: Coder
) -> Response:
    with state(request).writes:
        workspace.remove_coding(state(request).db, actor, study, document, _coding_id(coding_id))
    return Response(status_code=204)


class EventStream(StreamingResponse):
    """Server-sent events (declared so in the OpenAPI document)."""

    media_type = "text/event-stream"


@router.get(
    "/studies/{study}/documents/{document}/events",
    response_class=EventStream,
    responses=EVENT_STREAM,
)
@rule(Rule.VIEWER)
async def coding_events(
    request: Request,
    study: str,
    document: str,
    actor: Viewer,
    after: Annotated[int, Query(ge=0, le=LAST_SEQUENCE)] = 0,
    follow: bool = True,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventStream:
    """Server-sent events: each change to the document's codings that the actor may see, read
    from the event log. A reconnect sends ``Last-Event-ID`` and resumes after it. With
    ``follow=false`` the stream ends once it has caught up (for scripts that poll)."""
    from starlette.concurrency import run_in_threadpool

    db = state(request).db
    resume = last_event_id or ""
    known = resume.isascii() and resume.isdigit() and int(resume) <= LAST_SEQUENCE
    cursor = int(resume) if known else after
    text = await run_in_threadpool(workspace.document_text, db, actor, study, document)
    units = units_of(text)

    async def stream() -> AsyncIterator[str]:
        nonlocal cursor
        yield "retry: 1000\n\n"
        while not await request.is_disconnected():
            last, changes = await run_in_threadpool(
                workspace.coding_changes, db, actor, study, document, after=cursor
            )
            for change in changes:
                data = {
                    "kind": change.kind,
                    "id": change.coding_id,
                    "coding": coding_json(change.coding, units) if change.coding else None,
                }
                yield f"id: {change.sequence}\nevent: coding\ndata: {json.dumps(data)}\n\n"
            if last > cursor and not changes:
                yield f"id: {last}\n: nothing for this page\n\n"
            cursor = last
            if not follow:
                return
            await asyncio.sleep(POLL_SECONDS)

    return EventStream(stream())
