"""The command group, global options and error handling."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from thematica.cli.output import Options
from thematica.errors import ThematicaError

F = TypeVar("F", bound=Callable[..., Any])


def _set(field: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        options = ctx.find_object(Options)
        if options is not None and value not in (None, False):
            setattr(options, field, value)
        return value

    return callback


def common_options(func: F) -> F:
    """``--db``, ``--study`` and ``--json`` on a command as well as on the group."""
    func = click.option(
        "--json",
        "json_",
        is_flag=True,
        expose_value=False,
        callback=_set("json"),
        help="Print data as JSON.",
    )(func)
    func = click.option(
        "--study",
        expose_value=False,
        callback=_set("study"),
        metavar="NAME",
        help="The study, when the database holds several.",
    )(func)
    func = click.option(
        "--db",
        expose_value=False,
        callback=_set("db"),
        metavar="URL",
        help="Database URL or SQLite file.",
    )(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    envvar="THEMATICA_DATABASE_URL",
    metavar="URL",
    help="Database URL or SQLite file [default: THEMATICA_DATABASE_URL, else ./thematica.db].",
)
@click.option("--study", metavar="NAME", help="The study, when the database holds several.")
@click.option("--json", "json_", is_flag=True, help="Print data as JSON.")
@click.version_option(package_name="thematica")
@click.pass_context
def cli(ctx: click.Context, db: str | None, study: str | None, json_: bool) -> None:
    """Thematica: participatory qualitative interview studies, end to end.

    Start with `thematica demo` to build the fictional demo study, or `thematica init NAME`.
    """
    ctx.obj = Options(db=db, study=study, json=json_)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning Thematica errors into a one-line message and exit code."""
    from thematica.cli import commands  # noqa: F401  (registers the commands)

    try:
        cli.main(args=argv, prog_name="thematica", standalone_mode=False)
    except ThematicaError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
