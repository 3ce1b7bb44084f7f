"""``thematica serve``: the browser workspace (FastAPI is imported only here, when it starts)."""

from __future__ import annotations

import os

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--no-browser", is_flag=True, help="Print the sign-in link without opening it.")
@click.option(
    "--team",
    is_flag=True,
    help="Accounts and roles (thematica users); needs THEMATICA_SECRET and an upgraded database.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Team mode only: the address to bind (alone, always 127.0.0.1).",
)
@click.option(
    "--proxy",
    metavar="IP",
    help="Team mode: the reverse proxy whose X-Forwarded-* headers to believe (sets Secure "
    "cookies: the proxy serves HTTPS).",
)
@common_options
@click.pass_obj
def serve(
    options: Options, port: int, no_browser: bool, team: bool, host: str, proxy: str | None
) -> None:
    """Open the workspace in the browser: for you alone on 127.0.0.1, or with --team."""
    try:
        from thematica.web.access import SingleUser
        from thematica.web.serve import serve as run
        from thematica.web.settings import WebSettings
    except ImportError as exc:  # the web extra is not installed
        raise click.ClickException(
            f"the web workspace needs its extra: pip install 'thematica[web]' ({exc.name} missing)"
        ) from None
    from thematica.services.scope import default_actor

    if not team and (host != "127.0.0.1" or proxy):
        raise click.UsageError(
            "--host and --proxy are for --team; alone, Thematica binds 127.0.0.1"
        )
    user = default_actor()
    settings = WebSettings(
        database=options.db,
        directory=SingleUser(user),
        port=port,
        host=host,
        team=team,
        secret=os.environ.get("THEMATICA_SECRET", "") if team else "",
        proxy=proxy,
        secure_cookies=proxy is not None,
    )
    run(settings, user=user, open_browser=not no_browser and not team, say=click.echo)
