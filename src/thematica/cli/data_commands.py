"""Getting data in and looking at it: import, participants, documents."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar, table

_FILES = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=_FILES)
@click.option("--participant", metavar="ID", help="Link the documents to this participant.")
@common_options
@click.pass_obj
def import_(options: Options, files: tuple[Path, ...], participant: str | None) -> None:
    """Import transcript FILES (.txt, .md) into the study.

    All or nothing: if any file cannot be imported (unreadable, empty, not UTF-8, already
    imported, a name clash), no file is imported and the message names the file at fault.
    """
    from thematica.services.documents import import_documents
    from thematica.services.scope import open_db

    db = open_db(options.db)
    with progress_bar(options, "Importing") as progress:
        documents = import_documents(
            db, list(files), study=options.study, participant=participant, progress=progress
        )
    rows = [
        {
            "document": d.name,
            "source": d.source_name,
            "characters": len(d.text),
            "turns": len(d.turns),
        }
        for d in documents
    ]

    def human() -> None:
        table(["document", "source", "characters", "turns"], [list(r.values()) for r in rows])
        click.echo(f"Imported {len(rows)} document(s).")

    emit(options, rows, human)


@cli.group()
def participants() -> None:
    """Participants and their attributes."""


@participants.command("import")
@click.argument("sheet", type=_FILES)
@common_options
@click.pass_obj
def participants_import(options: Options, sheet: Path) -> None:
    """Import a participants SHEET (CSV): an id column (participant_id or id), an optional
    pseudonym column, and one column per attribute. Separate several values with ';'."""
    from thematica.services.participants import import_participants
    from thematica.services.scope import open_db

    result = import_participants(open_db(options.db), sheet, study=options.study)
    emit(
        options,
        {"added": result.added, "updated": result.updated},
        lambda: click.echo(f"Participants: {result.added} added, {result.updated} updated."),
    )


@participants.command("list")
@common_options
@click.pass_obj
def participants_list(options: Options) -> None:
    """List participants with their attributes."""
    from thematica.services.participants import list_participants
    from thematica.services.scope import open_db

    people = list_participants(open_db(options.db), options.study)
    data = [
        {
            "participant": p.label,
            "pseudonym": p.pseudonym,
            "attributes": {k: list(v) for k, v in p.attributes.items()},
        }
        for p in people
    ]
    emit(
        options,
        data,
        lambda: table(
            ["participant", "pseudonym", "attributes"],
            [
                (
                    p.label,
                    p.pseudonym,
                    "; ".join(f"{k}={'+'.join(v)}" for k, v in p.attributes.items()),
                )
                for p in people
            ],
        ),
    )


@cli.group()
def documents() -> None:
    """Documents: their texts, turns and speakers."""


@documents.command("list")
@common_options
@click.pass_obj
def documents_list(options: Options) -> None:
    """List documents."""
    from thematica.services.documents import list_documents
    from thematica.services.scope import open_db

    docs = list_documents(open_db(options.db), options.study)
    data = [
        {
            "document": d.name,
            "characters": len(d.text),
            "turns": len(d.turns),
            "speakers": sorted({t.speaker for t in d.turns}),
            "source": d.source_name,
            "format": d.source_format,
        }
        for d in docs
    ]
    emit(
        options,
        data,
        lambda: table(
            ["document", "characters", "turns", "speakers", "source"],
            [
                (
                    d.name,
                    len(d.text),
                    len(d.turns),
                    ", ".join(sorted({t.speaker for t in d.turns})),
                    d.source_name,
                )
                for d in docs
            ],
        ),
    )


@documents.command("show")
@click.argument("name")
@common_options
@click.pass_obj
def documents_show(options: Options, name: str) -> None:
    """Show a document's text, turn by turn."""
    from thematica.services.documents import get_document
    from thematica.services.scope import open_db

    doc = get_document(open_db(options.db), name, options.study)
    data = {
        "document": doc.name,
        "text": doc.text,
        "source": doc.source_name,
        "hash": doc.source_hash,
        "turns": [
            {
                "speaker": t.speaker,
                "start": t.span.start,
                "end": t.span.end,
                "start_seconds": t.start_seconds,
                "text": t.span.of(doc.text),
            }
            for t in doc.turns
        ],
    }

    def human() -> None:
        if not doc.turns:
            click.echo(doc.text)
            return
        for turn in doc.turns:
            click.echo(f"[{turn.span.start}-{turn.span.end}] {turn.span.of(doc.text)}\n")

    emit(options, data, human)
