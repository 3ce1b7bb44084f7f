"""``create_app(settings)``: the web workspace as one FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from thematica.errors import InvalidInputError, StorageError
from thematica.services.schema import schema_status
from thematica.services.scope import open_db
from thematica.web import api, pages, problems
from thematica.web.access import TeamAccounts
from thematica.web.deps import WebState
from thematica.web.security import (
    DEFAULT_SECRETS,
    SecurityHeaders,
    SessionStore,
    SignInLinks,
    Throttle,
)
from thematica.web.settings import WebSettings

__all__ = ["check_team", "create_app"]

HERE = Path(__file__).parent


def create_app(settings: WebSettings) -> FastAPI:
    """The workspace for ``settings``; its sign-in links are issued with
    ``app.state.thematica.links.issue(user)``."""
    app = FastAPI(
        title="Thematica",
        summary="Read and code interview transcripts together.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    if settings.team:
        check_team(settings)
    db = open_db(settings.database)
    app.state.thematica = WebState(
        settings=settings,
        db=db,
        directory=TeamAccounts(db) if settings.team else settings.directory,
        sessions=SessionStore(settings.session_minutes),
        links=SignInLinks(settings.sign_in_link_minutes),
        throttle=Throttle(settings.throttle_attempts, settings.throttle_seconds),
        templates=templates,
    )
    problems.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(pages.sign_in_router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(SecurityHeaders)
    return app


def check_team(settings: WebSettings) -> None:
    """Refuse to serve a team with a default or short secret, or on a database whose schema is
    behind this version (a team database is upgraded on purpose: `thematica db upgrade`)."""
    secret = settings.secret
    if len(secret) < 32 or secret.strip().lower() in DEFAULT_SECRETS:
        raise InvalidInputError(
            "team mode needs THEMATICA_SECRET set to a random value of at least 32 characters"
            " (for example: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    status = schema_status(settings.database)
    if status["revision"] != status["head"]:
        raise StorageError(
            f"{status['database']} is at schema revision {status['revision']}, this Thematica"
            f" needs {status['head']}; run `thematica db upgrade` first"
        )
