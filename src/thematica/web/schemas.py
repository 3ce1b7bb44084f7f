"""What the API answers, as its OpenAPI document publishes it (``/api/v1/openapi.json``).

The routes build plain dicts; these models only describe them (FastAPI checks each answer against
its model), so a client, or Schemathesis, can hold the API to its document. Every error is an
RFC 9457 problem, ``application/problem+json``, declared for every operation.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

__all__ = [
    "EVENT_STREAM",
    "PROBLEMS",
    "Coding",
    "DocumentView",
    "Me",
    "Problem",
    "StudyHome",
    "StudySummary",
]

Valence = Literal["barrier", "facilitator", "mixed", ""]


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str


class Me(BaseModel):
    user: str
    csrf_token: str


class StudySummary(BaseModel):
    name: str
    description: str
    role: Literal["owner", "coder", "viewer"]


class DocumentProgress(BaseModel):
    name: str
    characters: int
    coded_by: dict[str, int]


class Activity(BaseModel):
    at: str
    actor: str
    kind: str


class StudyHome(BaseModel):
    name: str
    role: Literal["owner", "coder", "viewer"]
    documents: list[DocumentProgress]
    recent: list[Activity]


class Coding(BaseModel):
    id: str
    code: str
    code_id: str
    colour: str
    coder: str
    start: int
    end: int
    start_utf16: int
    end_utf16: int
    valence: Valence
    memo: str
    mine: bool


class Turn(BaseModel):
    speaker: str
    role: str
    start_seconds: float | None
    start: int
    end: int
    start_utf16: int
    end_utf16: int


class CodeEntry(BaseModel):
    id: str
    path: str
    definition: str
    inclusion: str
    exclusion: str
    colour: str


class DocumentView(BaseModel):
    study: str
    name: str
    text: str
    length: int
    length_utf16: int
    can_code: bool
    turns: list[Turn]
    codes: list[CodeEntry]
    codings: list[Coding]


_WHY = {
    400: "The request body could not be read (not UTF-8 or not JSON).",
    401: "Not signed in.",
    403: "The CSRF token is missing, or the role does not allow this.",
    404: "No such study (that you are a member of), document or coding.",
    409: "The change conflicts with the study's current state.",
    422: "The request is invalid: the detail names the field or span.",
    503: "The database could not take the change now (busy or unreachable): retry.",
}

#: The errors every API operation may answer, each an ``application/problem+json`` body.
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": why,
        "content": {"application/problem+json": {"schema": Problem.model_json_schema()}},
    }
    for status, why in _WHY.items()
}


def _coding_event() -> dict[str, Any]:
    coding = Coding.model_json_schema()
    return {
        "type": "object",
        "required": ["kind", "id", "coding"],
        "properties": {
            "kind": {"type": "string"},
            "id": {"type": "string"},
            "coding": {"anyOf": [coding, {"type": "null"}]},
        },
    }


#: The live stream's 200: each server-sent event is a ``coding`` event whose data is JSON.
EVENT_STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-sent events, one per change to the document's codings.",
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "required": ["event", "data", "id"],
                    "properties": {
                        "event": {"const": "coding"},
                        "id": {"type": "string", "pattern": "^[0-9]+$"},
                        "data": {
                            "type": "string",
                            "contentMediaType": "application/json",
                            "contentSchema": _coding_event(),
                        },
                    },
                }
            }
        },
    }
}
