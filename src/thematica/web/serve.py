"""Running the workspace: ``thematica serve`` (one person, this machine) or ``--team``."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from thematica.web.app import create_app
from thematica.web.settings import WebSettings

__all__ = ["serve"]


def serve(
    settings: WebSettings, *, user: str, open_browser: bool, say: Callable[[str], None]
) -> None:
    """Serve until interrupted. Alone: print (and open) a one-time sign-in link for ``user``.
    In team mode people sign in with their accounts (``thematica users``)."""
    import uvicorn

    app = create_app(settings)  # team mode: refuses a default secret or an old schema here
    where = f"http://{settings.host}:{settings.port}"
    say(f"Thematica is serving {app.state.thematica.db.describe()} at {where}")
    if settings.team:
        say("Team mode: people sign in with the accounts made by `thematica users add`.")
        if settings.proxy:
            say(f"Believing X-Forwarded-* headers from {settings.proxy} only.")
        url = f"{where}/signin"
    else:
        url = f"{where}/signin/{app.state.thematica.links.issue(user)}"
        say(f"Open this one-time sign-in link (it works once): {url}")
    say("Press Ctrl+C to stop.")
    if open_browser:
        webbrowser.open(url)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        proxy_headers=settings.proxy is not None,
        forwarded_allow_ips=settings.proxy or "",
        server_header=False,
        timeout_graceful_shutdown=2,  # live streams never end by themselves
    )
