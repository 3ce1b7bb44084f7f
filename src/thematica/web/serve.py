"""Running the workspace: ``thematica serve`` (single user, on this machine only)."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from thematica.web.app import create_app
from thematica.web.settings import WebSettings

__all__ = ["serve"]


def serve(
    settings: WebSettings, *, user: str, open_browser: bool, say: Callable[[str], None]
) -> None:
    """Serve until interrupted; print (and open) a one-time sign-in link for ``user``."""
    import uvicorn

    app = create_app(settings)
    token = app.state.thematica.links.issue(user)
    url = f"http://{settings.host}:{settings.port}/signin/{token}"
    say(f"Thematica is serving {app.state.thematica.db.describe()} on this machine only.")
    say(f"Open this one-time sign-in link (it works once): {url}")
    say("Press Ctrl+C to stop.")
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
