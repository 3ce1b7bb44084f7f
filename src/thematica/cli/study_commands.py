"""Studies and databases: init, stats, demo, db upgrade."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, literal, progress_bar, table
from thematica.domain import vocab


@cli.command()
@click.argument("name")
@click.option(
    "--template",
    type=click.Choice(vocab.TEMPLATES, case_sensitive=False),
    default="blank",
    show_default=True,
    help="The codebook to start from.",
)
@common_options
@click.pass_obj
def init(options: Options, name: str, template: str) -> None:
    """Create a study called NAME (and the database, if new)."""
    from thematica.services.scope import open_db
    from thematica.services.studies import init_study

    db = open_db(options.db, create=True)
    made = init_study(db, name, template=template)
    emit(
        options,
        {
            "study": made.study.name,
            "id": str(made.study.id),
            "codes": made.codes,
            "database": db.describe(),
        },
        lambda: literal(
            f"Created study {made.study.name!r} in {db.describe()} "
            f"with {made.codes} codes from the {template!r} template."
        ),
    )


@cli.command()
@common_options
@click.pass_obj
def stats(options: Options) -> None:
    """Counts of everything in the study, and codings by coder."""
    from thematica.services.scope import open_db
    from thematica.services.studies import study_stats

    result = study_stats(open_db(options.db), options.study)

    def human() -> None:
        data = result.as_dict()
        del data["codings_by_coder"]
        table(["what", "count"], list(data.items()), title=f"Study: {result.study}")
        if result.codings_by_coder:
            table(
                ["coder", "codings"],
                sorted(result.codings_by_coder.items()),
                title="Codings by coder",
            )

    emit(options, result.as_dict(), human)


@cli.command()
@click.option(
    "--source",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The demo material [default: examples/peer-support-demo].",
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Where to write the demo study's report, every format [default: report/ beside the "
    "database file].",
)
@common_options
@click.pass_obj
def demo(options: Options, source: Path | None, report_dir: Path | None) -> None:
    """Build the fictional demo study, end to end, into a fresh database, and its report."""
    from thematica.cli.agreement_commands import print_report
    from thematica.services.demo import DEMO_STUDY, build_demo
    from thematica.services.report import FORMATS, default_report_folder, write_report
    from thematica.services.scope import open_db

    db = open_db(options.db, create=True)
    with progress_bar(options, "Building the demo") as progress:
        result = build_demo(db, source=source, progress=progress)
    with progress_bar(options, "Writing the report") as progress:
        folder = report_dir or default_report_folder(db)
        written = write_report(db, folder, list(FORMATS), study=DEMO_STUDY, progress=progress)

    def human() -> None:
        click.echo("Built the FICTIONAL demo study (no real participant, service or interview):")
        click.echo(f"  from   {result.folder}")
        click.echo(f"  into   {db.describe()}")
        s = result.stats
        table(
            ["what", "count"],
            [
                ("documents", s.documents),
                ("participants", s.participants),
                ("codes", s.codes),
                ("coders", s.coders),
                ("codings", s.codings),
                ("events", s.events),
            ],
            title=f"Study: {s.study}",
        )
        table(["coder", "codings"], sorted(s.codings_by_coder.items()), title="Codings by coder")
        if result.deidentified is not None:
            d = result.deidentified
            waived = f"; review waived for {', '.join(d.waived)}" if d.waived else ""
            click.echo(
                f"\nDe-identified {result.transcripts} transcripts before coding: "
                f"{d.replaced} identifiers replaced after a (pre-decided) review{waived}."
            )
        click.echo(
            f"\nRound {result.round!r} (blind, closed): {result.disagreements} "
            "disagreement(s) listed for consensus."
        )
        click.echo(f"\nAgreement in round {result.round!r}, before consensus:")
        print_report(result.agreement)
        db_opt = f"--db {db.sqlite_path}" if db.sqlite_path else "--db URL"
        click.echo("\nWhat next:")
        click.echo(f"  thematica {db_opt} stats --json        counts as JSON")
        click.echo(f"  thematica {db_opt} documents show P01   read a transcript with its turns")
        click.echo(f"  thematica {db_opt} codebook list        the peer-support codebook")
        click.echo(f"  thematica {db_opt} codings export codings.csv")
        click.echo(f"  thematica {db_opt} round disagreements {result.round!r}")
        click.echo(f"  thematica {db_opt} deid log              the redaction log")
        click.echo(f"  thematica {db_opt} report --out DIR --format all")
        click.echo(f"  thematica {db_opt} serve                 code it in the browser")
        click.echo("\nThe demo study's report (open the HTML in a browser):")
        for path in written:
            click.echo(f"  {path}")

    emit(
        options,
        {
            "folder": str(result.folder),
            "database": db.describe(),
            "stats": result.stats.as_dict(),
            "agreement": result.agreement.as_dict(),
            "report": [str(path) for path in written],
        },
        human,
    )


@cli.group()
def db() -> None:
    """The database schema: status and upgrades."""


@db.command("upgrade")
@common_options
@click.pass_obj
def db_upgrade(options: Options) -> None:
    """Upgrade the database to this version's schema (needed for team databases)."""
    from thematica.services.schema import upgrade_database

    before, after = upgrade_database(options.db)
    emit(
        options,
        {"before": before, "after": after},
        lambda: click.echo(
            f"Schema {before or '(empty)'} -> {after}"
            if before != after
            else f"Schema already at {after}."
        ),
    )


@db.command("status")
@common_options
@click.pass_obj
def db_status(options: Options) -> None:
    """Show the database's schema revision and this version's."""
    from thematica.services.schema import schema_status

    status = schema_status(options.db)
    emit(options, status, lambda: table(["", ""], list(status.items())))
