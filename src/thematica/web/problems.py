"""Errors as ``application/problem+json`` (RFC 9457) for the API, a calm page for people."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from thematica.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    StorageError,
    ThematicaError,
)
from thematica.web.deps import CsrfRefused, NotSignedIn, state

__all__ = ["install"]

_STATUS: list[tuple[type[ThematicaError], int]] = [
    (NotFoundError, 404),
    (ConflictError, 409),
    (PermissionDeniedError, 403),
    (InvalidInputError, 422),
    (StorageError, 503),
]


def _problem(request: Request, status: int, kind: str, title: str, detail: str) -> Response:
    if not request.url.path.startswith("/api/"):
        page: Response = state(request).templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "title": title, "detail": detail},
            status_code=status,
        )
        return page
    body: dict[str, Any] = {
        "type": f"https://thematica.invalid/problems/{kind}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def install(app: FastAPI) -> None:
    @app.exception_handler(ThematicaError)
    async def thematica_error(request: Request, exc: ThematicaError) -> Response:
        status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
        return _problem(request, status, exc.kind, exc.kind.replace("-", " "), str(exc))

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if request.url.path.startswith("/api/"):
            return _problem(request, 401, "not-signed-in", "not signed in", "sign in first")
        return RedirectResponse("/signin", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        detail = "this request lacks its session's CSRF token; reload the page and try again"
        return _problem(request, 403, "csrf", "request refused", detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        detail = f"{where}: {first.get('msg', 'invalid request')}"
        return _problem(request, 422, "invalid-input", "invalid input", detail)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        title = str(exc.detail) if exc.detail else "error"
        return _problem(request, exc.status_code, "http", title, title)
