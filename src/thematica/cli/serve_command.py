"""``thematica serve``: the browser workspace (FastAPI is imported only here, when it starts)."""

from __future__ import annotations

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option("--no-browser", is_flag=True, help="Print the sign-in link without opening it.")
@common_options
@click.pass_obj
def serve(options: Options, port: int, no_browser: bool) -> None:
    """Open the workspace in the browser, for you alone, on 127.0.0.1 only."""
    try:
        from thematica.web.access import SingleUser
        from thematica.web.serve import serve as run
        from thematica.web.settings import WebSettings
    except ImportError as exc:  # the web extra is not installed
        raise click.ClickException(
            f"the web workspace needs its extra: pip install 'thematica[web]' ({exc.name} missing)"
        ) from None
    from thematica.services.scope import default_actor

    user = default_actor()
    settings = WebSettings(database=options.db, directory=SingleUser(user), port=port)
    run(settings, user=user, open_browser=not no_browser, say=click.echo)
