"""Whole projects from and to other tools: `thematica project import|export`."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar
from thematica.domain import vocab

_KINDS = list(vocab.PROJECT_KINDS)  # the services read the same vocabulary


@cli.group()
def project() -> None:
    """Whole projects from and to NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette."""


@project.command("import")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--from",
    "kind",
    type=click.Choice(vocab.PROJECT_KINDS, case_sensitive=False),
    help="The kind of project [default: from the name: .qdpx, a QualCoder .qda folder or its "
    "data.qda, a Taguette .sqlite3].",
)
@click.option("--name", metavar="NAME", help="The new study's name [default: the project's].")
@click.option(
    "--project",
    "which",
    metavar="NAME|ID",
    help="Which project, when a Taguette database holds several.",
)
@common_options
@click.pass_obj
def project_import(
    options: Options, file: Path, kind: str | None, name: str | None, which: str | None
) -> None:
    """Import a whole project as a new study, all or nothing: a REFI-QDA .qdpx (NVivo,
    ATLAS.ti, MAXQDA, QualCoder ...), a QualCoder project or a Taguette database.

    Users become coders, the code book codes, text sources documents with their codings, notes
    memos, cases participants with their attributes. Positions are moved onto the canonical
    text (Taguette's, counted in its HTML, included). The summary lists, element by element,
    what could not be imported. The database is created if it does not exist.
    """
    from thematica.services.projects import import_project
    from thematica.services.scope import database_for_new_study

    with database_for_new_study(options.db) as db, progress_bar(options, "Importing") as progress:
        result = import_project(
            db, file, kind=kind, name=name or options.study, project=which, progress=progress
        )
    emit(options, result.as_dict(), lambda: click.echo("\n".join(result.summary_lines())))


@project.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--positions",
    type=click.Choice(["code-points", "utf-16"], case_sensitive=False),
    default="code-points",
    show_default=True,
    help="How to count positions: characters, or UTF-16 units as NVivo does.",
)
@common_options
@click.pass_obj
def project_export(options: Options, file: Path, positions: str) -> None:
    """Export the study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    from thematica.services.projects import export_project
    from thematica.services.scope import open_db

    with progress_bar(options, "Exporting") as progress:
        result = export_project(
            open_db(options.db),
            file,
            study=options.study,
            position_unit="utf-16" if positions == "utf-16" else "code-points",
            progress=progress,
        )

    def human() -> None:
        counts = ", ".join(f"{n} {kind}" for kind, n in result.written.items() if n)
        click.echo(f"Wrote {file}: {counts or 'an empty project'}.")
        for line in result.left_out:
            click.echo(f"not exported: {line}")

    emit(options, result.as_dict(), human)
