"""The HTML pages: sign-in, studies, study home and the coding view (rendered on the server; the
coding view's behaviour is the ES module static/coding.js, which talks to the JSON API)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from thematica.domain.actors import Actor, Role
from thematica.errors import NotFoundError
from thematica.services import accounts, workspace
from thematica.services import studies as study_service
from thematica.web.access import Rule, rule
from thematica.web.deps import (
    CsrfRefused,
    check_csrf,
    check_path,
    current_session,
    require_session,
    state,
    study_actor,
)
from thematica.web.offsets import Utf16Map
from thematica.web.security import COOKIE, SIGN_IN_COOKIE, Session, sign_in_form_token

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(check_csrf), Depends(check_path)], include_in_schema=False)
#: The one unsafe route with no session yet: it checks its own token (see sign_in_form_token).
sign_in_router = APIRouter(include_in_schema=False)

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
    return _sign_in_form(request, failed=False, status=200)


def _sign_in_form(
    request: Request, *, failed: bool, status: int, throttled: bool = False
) -> Response:
    """The sign-in page; in team mode with a password form and its CSRF token."""
    web = state(request)
    nonce = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)
    token = sign_in_form_token(web.settings.secret, nonce) if web.settings.team else ""
    response = _page(
        request,
        "signin.html",
        current_session(request),
        failed=failed,
        throttled=throttled,
        team=web.settings.team,
        form_token=token,
    )
    response.status_code = status
    if web.settings.team:
        response.set_cookie(
            SIGN_IN_COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=web.settings.secure_cookies,
            path="/signin",
        )
    return response


@sign_in_router.post("/signin", response_class=HTMLResponse)
@rule(Rule.PUBLIC)
async def sign_in_with_password(request: Request) -> Response:
    """Team mode: name and password; throttled per client and per account; every attempt is
    in the audit trail."""
    web = state(request)
    body = await request.body()
    fields = parse_qs(body.decode("utf-8", "replace")) if len(body) <= 16 * 1024 else {}
    name = (fields.get("name") or [""])[0].strip()[:200]
    password = (fields.get("password") or [""])[0]
    given = (fields.get("csrf_token") or [""])[0]
    nonce = request.cookies.get(SIGN_IN_COOKIE, "")
    expected = sign_in_form_token(web.settings.secret, nonce)
    if not nonce or not hmac.compare_digest(given.encode(), expected.encode()):
        raise CsrfRefused
    if not web.settings.team:
        raise NotFoundError("password sign-in is for team mode (thematica serve --team)")
    client = request.client.host if request.client else "unknown"
    throttled = web.throttle.blocked(client) or web.throttle.blocked(f"account:{name}")
    ok = accounts.sign_in(web.db, name, password, client=client, throttled=throttled)
    if throttled:
        return _sign_in_form(request, failed=True, status=429, throttled=True)
    if not ok:
        web.throttle.failed(client)
        web.throttle.failed(f"account:{name}")
        return _sign_in_form(request, failed=True, status=401)
    return _signed_in(request, name)


def _signed_in(request: Request, user: str) -> Response:
    """A new session for ``user`` (never the one the browser came with), then the studies."""
    web = state(request)
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
    response.delete_cookie(SIGN_IN_COOKIE, path="/signin")
    return response


@router.get("/signin/{token}", response_class=HTMLResponse)
@rule(Rule.PUBLIC)
def sign_in(request: Request, token: str) -> Response:
    """Redeem a one-time sign-in link: a new session (never the one the browser came with)."""
    web = state(request)
    client = request.client.host if request.client else "unknown"
    if web.throttle.blocked(client):
        response = _sign_in_form(request, failed=True, status=429, throttled=True)
        response.headers["retry-after"] = str(web.settings.throttle_seconds)
        return response
    user = web.links.redeem(token)
    if user is None:
        web.throttle.failed(client)
        return _sign_in_form(request, failed=True, status=401)
    return _signed_in(request, user)


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
    directory = state(request).directory
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
