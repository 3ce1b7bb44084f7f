"""The one typed settings object of the web workspace."""

from __future__ import annotations

from dataclasses import dataclass, field

from thematica.web.access import Directory, SingleUser

__all__ = ["WebSettings"]


@dataclass(frozen=True)
class WebSettings:
    """How the workspace runs. ``thematica serve`` builds one; tests build their own.

    ``directory`` answers who may open which study with which role: on one's own machine, the one
    local user owns every study.
    """

    database: str | None
    directory: Directory = field(default_factory=lambda: SingleUser("me"))
    host: str = "127.0.0.1"
    port: int = 8765
    #: Set behind an HTTPS proxy: cookies then carry ``Secure``.
    secure_cookies: bool = False
    session_minutes: int = 12 * 60
    sign_in_link_minutes: int = 15
    #: Failed sign-in attempts allowed per client in ``throttle_seconds`` before refusing.
    throttle_attempts: int = 5
    throttle_seconds: int = 60
    #: Team mode: accounts with passwords and per-study roles (``thematica users``).
    team: bool = False
    #: Team mode's secret (``THEMATICA_SECRET``): signs the sign-in form's CSRF token.
    secret: str = ""
    #: The reverse proxy whose ``X-Forwarded-*`` headers are believed (none: believe none).
    proxy: str | None = None
