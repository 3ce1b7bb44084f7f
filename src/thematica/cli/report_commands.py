"""The study report: thematica report --out DIR [--format html|docx|xlsx|csv|all]."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar

#: The formats by name, as the services name them (kept here so --help needs no import).
FORMAT_CHOICES = ("html", "docx", "xlsx", "csv", "all")


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The folder to write the report into (created if needed).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMAT_CHOICES),
    multiple=True,
    help="html (one self-contained page), docx (to edit for a paper), xlsx (framework matrix "
    "and coded segments), csv (participants x codes, 0/1, with attributes) or all; repeat "
    "for several [default: html].",
)
@click.option(
    "--by",
    metavar="ATTRIBUTE",
    help="The participant attribute to split barriers and facilitators by [default: setting, "
    "when participants have it].",
)
@common_options
@click.pass_obj
def report(options: Options, out: Path, formats: tuple[str, ...], by: str | None) -> None:
    """Write the study report into DIR and print the paths written.

    Each file is written under a temporary name and renamed when every format has been
    rendered, so a failure leaves no half-written report.
    """
    from thematica.services.report import FORMATS, write_report
    from thematica.services.scope import open_db

    chosen = list(FORMATS) if "all" in formats else list(formats or ("html",))
    db = open_db(options.db)
    with progress_bar(options, "Writing the report") as progress:
        written = write_report(db, out, chosen, study=options.study, by=by, progress=progress)

    def human() -> None:
        for path in written:
            click.echo(str(path))

    emit(options, {"written": [str(path) for path in written]}, human)
