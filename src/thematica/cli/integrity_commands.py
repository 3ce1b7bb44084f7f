"""Keeping the study safe: audit verify, backup, restore, participants export and erase."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.data_commands import participants
from thematica.cli.output import Options, emit


@cli.group()
def audit() -> None:
    """The audit trail: every change, hash-chained."""


@audit.command("verify")
@common_options
@click.pass_obj
def audit_verify(options: Options) -> None:
    """Check every event's hash against the chain; name the first broken link."""
    from thematica.services.audit import verify_audit
    from thematica.services.scope import open_db

    name, report = verify_audit(open_db(options.db), options.study)
    fault = report.first_break
    emit(
        options,
        {
            "study": name,
            "verified": report.verified,
            "events": report.events,
            "erased": report.erased,
            "head": report.head,
            "first_break": None
            if fault is None
            else {"sequence": fault.sequence, "event": str(fault.event_id), "reason": fault.reason},
        },
        lambda: click.echo(
            f"Audit trail of {name!r}: {report.events} events verified; head {report.head}"
            if fault is None
            else f"Audit trail of {name!r} is BROKEN at {fault.describe()}"
        ),
    )
    if fault is not None:
        sys.exit(8)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--include-mapping",
    is_flag=True,
    help="Keep the de-identification mapping and term list in the copy (they re-identify).",
)
@common_options
@click.pass_obj
def backup(options: Options, file: Path, include_mapping: bool) -> None:
    """Copy the SQLite study database to FILE, consistently, while others work.

    FILE must not exist. PostgreSQL: use pg_dump (docs/at-rest.md)."""
    from thematica.services.backups import backup_database

    made = backup_database(options.db, file, include_mapping=include_mapping)
    note = (
        "; the de-identification mapping and term list were left out"
        if made.mapping_left_out
        else ""
    )
    emit(
        options,
        {"backup": str(made.path), "bytes": made.size, "mapping_left_out": made.mapping_left_out},
        lambda: click.echo(f"Backed up to {made.path} ({made.size:,} bytes){note}."),
    )


@cli.command()
@click.argument("backup_file", metavar="BACKUP", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Restore over an existing database (kept first).")
@common_options
@click.pass_obj
def restore(options: Options, backup_file: Path, replace: bool) -> None:
    """Restore the SQLite study database from BACKUP."""
    from thematica.services.backups import restore_database

    done = restore_database(backup_file, options.db, replace=replace)
    kept = f"; the database it replaced is kept at {done.earlier_copy}" if done.earlier_copy else ""
    emit(
        options,
        {
            "database": str(done.database),
            "revision": done.revision,
            "replaced_copy": str(done.earlier_copy) if done.earlier_copy else None,
        },
        lambda: click.echo(f"Restored {done.database} from {backup_file}{kept}."),
    )


@participants.command("export")
@click.argument("participant_id", metavar="ID")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@common_options
@click.pass_obj
def participants_export(options: Options, participant_id: str, file: Path) -> None:
    """Write everything held about participant ID to FILE (JSON): a subject access request."""
    from thematica.services.rights import export_participant
    from thematica.services.scope import open_db

    data = export_participant(open_db(options.db), participant_id, study=options.study, file=file)
    counts = {k: len(v) for k, v in data.items() if isinstance(v, list)}
    emit(
        options,
        {"file": str(file), **counts},
        lambda: click.echo(
            f"Wrote everything held about {participant_id!r} to {file}: "
            + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
            + "."
        ),
    )


@participants.command("erase")
@click.argument("participant_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@common_options
@click.pass_obj
def participants_erase(options: Options, participant_id: str, yes: bool) -> None:
    """Erase participant ID everywhere: documents, codings, memos, attributes, mapping entries.

    The audit trail keeps each event's kind, time, actor and a digest, not its content."""
    from thematica.services.rights import erase_participant
    from thematica.services.scope import open_db

    if not yes:
        click.confirm(f"Erase {participant_id!r} and everything held about them?", abort=True)
    result = erase_participant(open_db(options.db), participant_id, study=options.study)

    def human() -> None:
        removed = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in result.removed.items())
        click.echo(f"Erased {participant_id!r}: {removed}.")
        click.echo(
            f"The audit trail keeps {result.events_kept} events about them with their content "
            "erased (kind, time, actor and a digest remain; the chain still verifies)."
        )
        if not result.scrubbed:
            click.echo("The WAL file could not be cleared while others have the database open.")
        for copy in result.earlier_copies:
            click.echo(f"Still holds their data (made before): {copy}")

    emit(options, result.as_dict(), human)
