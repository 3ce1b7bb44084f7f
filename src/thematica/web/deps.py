"""What routes depend on: the app's state, the signed-in session, the actor, the CSRF check."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request

from thematica.domain.actors import Actor, Role
from thematica.errors import InvalidInputError, NotFoundError
from thematica.web.access import Directory
from thematica.web.security import (
    COOKIE,
    CSRF_HEADER,
    UNSAFE_METHODS,
    Session,
    SessionStore,
    SignInLinks,
    Throttle,
    csrf_matches,
)
from thematica.web.settings import WebSettings

__all__ = [
    "CsrfRefused",
    "NotSignedIn",
    "WebState",
    "check_csrf",
    "check_path",
    "require_session",
    "state",
    "study_actor",
]


@dataclass
class WebState:
    settings: WebSettings
    db: Any  # the services' Database (the web layer does not import storage)
    directory: Directory
    sessions: SessionStore
    links: SignInLinks
    throttle: Throttle
    templates: Any  # Jinja2Templates
    #: Writes from this process go one at a time: SQLite takes one writer anyway, and waiting
    #: here is fair and prompt where its busy handler would back off and sleep.
    writes: threading.Lock = field(default_factory=threading.Lock)


class NotSignedIn(Exception):
    """No valid session: the API answers 401, pages send the browser to the sign-in page."""


class CsrfRefused(Exception):
    """An unsafe request without its session's CSRF token."""


def state(request: Request) -> WebState:
    found: WebState = request.app.state.thematica
    return found


def current_session(request: Request) -> Session | None:
    return state(request).sessions.get(request.cookies.get(COOKIE))


def require_session(request: Request) -> Session:
    session = current_session(request)
    if session is None:
        raise NotSignedIn
    return session


async def check_csrf(request: Request) -> None:
    """Every unsafe request carries its session's token, as a header (scripts) or a form field."""
    if request.method not in UNSAFE_METHODS:
        return
    session = current_session(request)
    if session is None:  # nothing to forge without a session: say so plainly
        raise NotSignedIn
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        body = await request.body()
        if len(body) <= 64 * 1024:  # the only forms are small ones (sign out)
            fields = parse_qs(body.decode("utf-8", "replace"))
            given = next(iter(fields.get("csrf_token", [])), None)
    if not csrf_matches(session, given):
        raise CsrfRefused


async def check_path(request: Request) -> None:
    """A path parameter holding a NUL is refused in one line naming it (PostgreSQL cannot even
    compare text with a NUL, so the lookup would fail as a database error)."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and "\x00" in value:
            raise InvalidInputError(f"path parameter {name}: a NUL character is not allowed")


def study_actor(needed: Role) -> Callable[[Request, str], Awaitable[Actor]]:
    """A dependency giving the signed-in user as an actor of the study in the path, with their
    role; a study they are not a member of is answered as absent."""

    async def actor(request: Request, study: str) -> Actor:
        session = require_session(request)
        role = state(request).directory.role(session.user, study)
        if role is None:
            raise NotFoundError(f"no study named {study!r} that you are a member of")
        found = Actor(session.user, role)
        found.require(needed, f"do this (route {request.url.path})")
        return found

    return actor
