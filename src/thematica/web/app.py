"""``create_app(settings)``: the web workspace as one FastAPI application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from thematica.services.scope import open_db
from thematica.web import api, pages, problems
from thematica.web.deps import WebState
from thematica.web.security import SecurityHeaders, SessionStore, SignInLinks, Throttle
from thematica.web.settings import WebSettings

__all__ = ["create_app"]

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
    app.state.thematica = WebState(
        settings=settings,
        db=open_db(settings.database),
        sessions=SessionStore(settings.session_minutes),
        links=SignInLinks(settings.sign_in_link_minutes),
        throttle=Throttle(settings.throttle_attempts, settings.throttle_seconds),
        templates=templates,
    )
    problems.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(SecurityHeaders)
    return app
