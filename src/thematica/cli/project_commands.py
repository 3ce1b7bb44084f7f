"""Whole projects from and to other tools: `thematica project import|export`."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar
from thematica.domain import vocab

_KINDS = list(vocab.PROJECT_KINDS)  # the services read the same vocabulary
_TARGETS = list(vocab.EXPORT_TARGETS)


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
@click.option(
    "--coder-from",
    type=click.Choice(["selection", "coding"], case_sensitive=False),
    default="selection",
    show_default=True,
    help="When a selection and its coding name different users: whose is the coding (the "
    "other is kept).",
)
@click.option(
    "--positions",
    type=click.Choice(["auto", "code-points", "utf-16"], case_sensitive=False),
    default="auto",
    show_default=True,
    help="How the .qdpx counts positions: decided from the file, or as given.",
)
@click.option(
    "--max-source-mb",
    metavar="MB",
    type=click.FloatRange(min=0, min_open=True),
    help="Refuse any one source over this size [default: the transcript limit, "
    "THEMATICA_MAX_IMPORT_MB, else 50].",
)
@common_options
@click.pass_obj
def project_import(
    options: Options,
    file: Path,
    kind: str | None,
    name: str | None,
    which: str | None,
    coder_from: str,
    positions: str,
    max_source_mb: float | None,
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
            db,
            file,
            kind=kind,
            name=name or options.study,
            project=which,
            coder_from=coder_from,
            position_unit=None if positions == "auto" else positions,  # type: ignore[arg-type]
            max_source_bytes=int(max_source_mb * 1024 * 1024) if max_source_mb else None,
            progress=progress,
        )
    emit(options, result.as_dict(), lambda: click.echo("\n".join(result.summary_lines())))


@project.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--for",
    "target",
    type=click.Choice(_TARGETS, case_sensitive=False),
    help="The tool that will read the file; positions are counted as it counts them "
    "[default: UTF-16 units, right for NVivo, ATLAS.ti and MAXQDA].",
)
@click.option(
    "--positions",
    type=click.Choice(["code-points", "utf-16"], case_sensitive=False),
    help="Count positions this way whatever --for says.",
)
@common_options
@click.pass_obj
def project_export(options: Options, file: Path, target: str | None, positions: str | None) -> None:
    """Export the study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Tools count positions differently only in texts with emoji (characters beyond the Basic
    Multilingual Plane): use --for qualcoder for QualCoder; the default suits the others."""
    from thematica.services.projects import export_project
    from thematica.services.scope import open_db

    with progress_bar(options, "Exporting") as progress:
        result = export_project(
            open_db(options.db),
            file,
            study=options.study,
            target=target,
            position_unit=positions,  # type: ignore[arg-type]
            progress=progress,
        )

    def human() -> None:
        counts = ", ".join(f"{n} {kind}" for kind, n in result.written.items() if n)
        unit = "UTF-16 units" if result.position_unit == "utf-16" else "code points"
        click.echo(f"Wrote {file}: {counts or 'an empty project'}; positions in {unit}.")
        for line in result.left_out:
            click.echo(f"not exported: {line}")

    emit(options, result.as_dict(), human)
