"""The HTML pages: sign-in, studies, study home and the coding view (rendered on the server; the
coding view's behaviour is the ES module static/coding.js, which talks to the JSON API)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain.actors import Actor, Role
from thematica.services import studies as study_service
from thematica.services import workspace
from thematica.web.access import Rule, rule
from thematica.web.deps import check_csrf, current_session, require_session, state, study_actor
from thematica.web.offsets import Utf16Map
from thematica.web.security import COOKIE, Session

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)

Viewer = Annotated[Actor, Depends(study_actor(Role.VIEWER))]


def _page(request: Request, template: str, session: Session | None, **context: Any) -> Response:
    context.update(user=session.user if session else None, csrf=session.csrf if session else "")
    page: Response = state(request).templates.TemplateResponse(request, template, context)
    return page


@router.get("/", response_class=HTMLResponse)
@rule(Rule.PUBLIC)
def home(request: Request) -> Response:
    target = "/studies" if current_session(request) else "/signin"
    return RedirectResponse(target, status_code=303)


@router.get("/signin", response_class=HTMLResponse)
@rule(Rule.PUBLIC)
def sign_in_page(request: Request) -> Response:
    return _page(request, "signin.html", current_session(request), failed=False)


@router.get("/signin/{token}", response_class=HTMLResponse)
@rule(Rule.PUBLIC)
def sign_in(request: Request, token: str) -> Response:
    """Redeem a one-time sign-in link: a new session (never the one the browser came with)."""
    web = state(request)
    client = request.client.host if request.client else "unknown"
    if web.throttle.blocked(client):
        response = _page(request, "signin.html", None, failed=True, throttled=True)
        response.status_code = 429
        response.headers["retry-after"] = str(web.settings.throttle_seconds)
        return response
    user = web.links.redeem(token)
    if user is None:
        web.throttle.failed(client)
        response = _page(request, "signin.html", None, failed=True, throttled=False)
        response.status_code = 401
        return response
    sid, _ = web.sessions.start(user, replacing=request.cookies.get(COOKIE))
    response = RedirectResponse("/studies", status_code=303)
    response.set_cookie(
        COOKIE,
        sid,
        max_age=web.settings.session_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=web.settings.secure_cookies,
        path="/",
    )
    return response


@router.post("/signout")
@rule(Rule.SIGNED_IN)
def sign_out(request: Request, session: Annotated[Session, Depends(require_session)]) -> Response:
    state(request).sessions.end(request.cookies.get(COOKIE))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/studies", response_class=HTMLResponse)
@rule(Rule.SIGNED_IN)
def studies(request: Request, session: Annotated[Session, Depends(require_session)]) -> Response:
    directory = state(request).settings.directory
    mine = [
        (study, role)
        for study in study_service.list_studies(state(request).db)
        if (role := directory.role(session.user, study.name)) is not None
    ]
    return _page(request, "studies.html", session, studies=mine)


@router.get("/studies/{study}", response_class=HTMLResponse)
@rule(Rule.VIEWER)
def study_home(request: Request, study: str, actor: Viewer) -> Response:
    home = workspace.study_home(state(request).db, actor, study)
    coders = sorted({name for d in home.documents for name in d.coded_by})
    return _page(
        request, "study.html", current_session(request), home=home, coders=coders, actor=actor
    )


@router.get("/studies/{study}/documents/{document}", response_class=HTMLResponse)
@rule(Rule.VIEWER)
def coding_page(request: Request, study: str, document: str, actor: Viewer) -> Response:
    view = workspace.coding_view(state(request).db, actor, study, document)
    doc, units = view.document, Utf16Map(view.document.text)
    turns = doc.turns or ()
    blocks = []
    for turn in turns:
        start = turn.span.start + _label_length(turn.span.of(doc.text), turn.speaker)
        blocks.append(
            {
                "speaker": turn.speaker,
                "role": turn.role or "",
                "time": _clock(turn.start_seconds),
                "start": units.to_utf16(start),
                "text": doc.text[start : turn.span.end],
            }
        )
    blocks = blocks or [{"speaker": "", "role": "", "time": "", "start": 0, "text": doc.text}]
    return _page(
        request, "coding.html", current_session(request), view=view, blocks=blocks, actor=actor
    )


def _label_length(text: str, speaker: str) -> int:
    """The length of a leading ``Speaker:`` label (shown in the turn's heading instead)."""
    if speaker and text.startswith(f"{speaker}:"):
        return len(text) - len(text[len(speaker) + 1 :].lstrip(" \t"))
    return 0


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:d}:{whole // 60 % 60:02d}:{whole % 60:02d}"
