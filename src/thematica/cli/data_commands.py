"""Getting data in and looking at it: import, participants, documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, literal, progress_bar, table

if TYPE_CHECKING:
    from thematica.services.documents import ImportReport

_FILES = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=_FILES)
@click.option(
    "--participant", metavar="ID", help="Link the documents to this (existing) participant."
)
@click.option("--new-participant", is_flag=True, help="Add the --participant if it is new.")
@click.option(
    "--interviewer",
    "interviewers",
    metavar="NAME",
    multiple=True,
    help="A speaker who is an interviewer (repeatable); the other speakers are participants.",
)
@click.option(
    "--skip-duplicates",
    is_flag=True,
    help="Skip files already in the study (same bytes) instead of refusing the batch.",
)
@click.option(
    "--max-size",
    metavar="MB",
    type=click.FloatRange(min=0, min_open=True),
    help="Refuse files over this size [default: THEMATICA_MAX_IMPORT_MB, else 50].",
)
@click.option(
    "--text-column",
    metavar="COLUMN",
    help="FILE is a table of free-text answers (.csv/.xlsx): the column holding the text.",
)
@click.option("--id-column", metavar="COLUMN", help="With --text-column: the respondent id.")
@click.option(
    "--speaker-column",
    metavar="COLUMN",
    help="FILES are transcripts kept as tables (.csv/.xlsx), one row per utterance: the column "
    "naming the speaker (with --text-column for the speech); one document per file.",
)
@click.option(
    "--time-column", metavar="COLUMN", help="With --speaker-column: the utterance's start time."
)
@click.option(
    "--speaker-pattern",
    metavar="REGEX",
    help="Find speaker turns with this regular expression, matched at each line's start, "
    "instead of the built-in layouts; the speaker is its group 'speaker' (or its first group).",
)
@click.option(
    "--per",
    type=click.Choice(["response", "respondent"], case_sensitive=False),
    default="response",
    show_default=True,
    help="With --text-column: one document per response, or per respondent.",
)
@click.option(
    "--deidentify",
    is_flag=True,
    help="Detect identifiers in the imported documents and put them up for review "
    "(see `thematica deid`); they cannot be coded until the review is done.",
)
@common_options
@click.pass_obj
def import_(
    options: Options,
    files: tuple[Path, ...],
    participant: str | None,
    new_participant: bool,
    interviewers: tuple[str, ...],
    skip_duplicates: bool,
    max_size: float | None,
    text_column: str | None,
    id_column: str | None,
    per: str,
    deidentify: bool,
    speaker_column: str | None,
    time_column: str | None,
    speaker_pattern: str | None,
) -> None:
    """Import transcript FILES into the study: .txt, .md, .docx, .odt, .pdf, .rtf, .html, .vtt,
    .srt (and formats plugins add). Speaker turns are found; the original files are kept.

    All or nothing: if any file cannot be imported (unreadable, damaged, password-protected, a
    scan with no text, already imported, a name clash), no file is imported and the message names
    every file at fault. With --text-column, FILE is one survey table (CSV or XLSX): each answer
    becomes a document and the other columns the respondent's attributes; with --speaker-column
    too, each FILE is one transcript kept as a table of utterances. The import warns when much
    of a text lies in no speaker turn, one turn is far longer than the rest, or no speaker got a
    role.
    """
    from thematica.services.scope import open_db

    db = open_db(options.db)
    max_bytes = int(max_size * 1024 * 1024) if max_size is not None else None
    with progress_bar(options, "Importing") as progress:
        if text_column is not None and speaker_column is None:
            from thematica.services.responses import import_responses

            if len(files) != 1:
                raise click.UsageError("--text-column imports one table at a time")
            report = import_responses(
                db,
                files[0],
                text_column=text_column,
                id_column=id_column,
                per="respondent" if per == "respondent" else "response",
                study=options.study,
                progress=progress,
                max_bytes=max_bytes,
                deidentify=deidentify,
            )
        else:
            from thematica.services.documents import UtteranceColumns, import_files

            if id_column is not None:
                raise click.UsageError("--id-column needs --text-column")
            if (speaker_column is None) != (text_column is None) or (
                time_column is not None and speaker_column is None
            ):
                raise click.UsageError("--speaker-column and --text-column go together")
            report = import_files(
                db,
                list(files),
                study=options.study,
                participant=participant,
                create_participant=new_participant,
                interviewers=interviewers,
                skip_duplicates=skip_duplicates,
                progress=progress,
                max_bytes=max_bytes,
                deidentify=deidentify,
                speaker_pattern=speaker_pattern,
                utterance_columns=UtteranceColumns(speaker_column, text_column, time_column)
                if speaker_column is not None and text_column is not None
                else None,
            )
    review = report.review_items
    notices = report.notices
    rows: list[dict[str, object]] = [
        {
            "status": "imported",
            "document": d.name,
            "file": d.source_name,
            "format": d.source_format,
            "characters": len(d.text),
            "turns": len(d.turns),
            "speakers": sorted({t.speaker for t in d.turns}),
            **({"review_items": review[d.name]} if d.name in review else {}),
            "notices": [n for name, n in notices if name == d.name],
            **_link_fields(d.name, d.participant_id is not None, participant, report),
        }
        for d in report.documents
    ]
    rows += [
        {"status": "skipped", "file": str(path), "reason": why} for path, why in report.skipped
    ]

    def human() -> None:
        table(
            ["document", "source", "format", "characters", "turns", "speakers"],
            [
                [
                    d.name,
                    d.source_name,
                    d.source_format,
                    len(d.text),
                    len(d.turns),
                    ", ".join(sorted({t.speaker for t in d.turns})),
                ]
                for d in report.documents
            ],
        )
        for path, why in report.skipped:
            click.echo(f"Skipped {path}: it {why}.")
        click.echo(f"Imported {len(report.documents)} document(s) from {len(files)} file(s).")
        for name, notice in notices:
            click.echo(f"Check {name}: {notice}.")
        if report.linked_by_name:
            click.echo(
                f"Linked {len(report.linked_by_name)} document(s) to their participant by file "
                "name."
            )
        if report.unlinked:
            by_why: dict[str, list[str]] = {}
            for name, why in report.unlinked.items():
                by_why.setdefault(why, []).append(name)
            listed = "; ".join(f"{', '.join(names)} ({why})" for why, names in by_why.items())
            click.echo(
                f"Linked to no participant: {listed}. Link them with "
                "`thematica documents link DOC PARTICIPANT`."
            )
        if review:
            click.echo(
                f"De-identification: {sum(review.values())} detection(s) to review "
                "(`thematica deid review DOC`); a document can be coded once "
                "`thematica deid apply DOC` has replaced them."
            )

    emit(options, rows, human)


def _link_fields(
    name: str, linked: bool, given: str | None, report: ImportReport
) -> dict[str, object]:
    """How an imported document was linked to a participant, for --json."""
    if name in report.linked_by_name:
        return {"participant": report.linked_by_name[name], "linked_by": "name"}
    if linked:
        return {"participant": given, "linked_by": "option" if given else "id column"}
    return {"participant": None, "unlinked_because": report.unlinked.get(name)}


@cli.group()
def participants() -> None:
    """Participants and their attributes."""


@participants.command("import")
@click.argument("sheet", type=_FILES)
@click.option("--id-column", metavar="COLUMN", help="The column of participant ids.")
@click.option("--pseudonym-column", metavar="COLUMN", help="The column of pseudonyms.")
@click.option("--preview", is_flag=True, help="Show how the sheet will be read; write nothing.")
@common_options
@click.pass_obj
def participants_import(
    options: Options,
    sheet: Path,
    id_column: str | None,
    pseudonym_column: str | None,
    preview: bool,
) -> None:
    """Import a participants SHEET (.csv or .xlsx): an id column (participant_id, participant,
    id or case, or --id-column), an optional pseudonym column, and one column per attribute.
    Separate several values with ';'. "na", "n/a", "-" and blanks are missing; durations
    ("1:05:00", "65 min") become minutes. Rows without an id are skipped and listed."""
    from thematica.services.participants import import_participants
    from thematica.services.scope import open_db

    result = import_participants(
        open_db(options.db),
        sheet,
        study=options.study,
        id_column=id_column,
        pseudonym_column=pseudonym_column,
        preview=preview,
    )

    def human() -> None:
        table(
            ["column", "read as", "kind", "missing", "examples (as written -> as read)"],
            [
                (
                    c.column,
                    c.role,
                    c.kind,
                    c.missing,
                    "; ".join(f"{raw or '(blank)'} -> {read}" for raw, read in c.examples),
                )
                for c in result.columns
            ],
            ids=1,
            cut_columns=["examples (as written -> as read)"],
        )
        for line, why in result.skipped:
            literal(f"Skipped line {line}: {why}.")
        verb = "would be" if result.preview else "were"
        click.echo(
            f"Participants: {result.added} {verb} added, {result.updated} {verb} updated, "
            f"{len(result.skipped)} row(s) skipped."
            + (" Nothing was written (--preview)." if result.preview else "")
        )

    emit(
        options,
        {
            "added": result.added,
            "updated": result.updated,
            "skipped": [{"line": line, "reason": why} for line, why in result.skipped],
            "columns": [
                {
                    "column": c.column,
                    "role": c.role,
                    "kind": c.kind,
                    "missing": c.missing,
                    "examples": [list(e) for e in c.examples],
                }
                for c in result.columns
            ],
            "preview": result.preview,
        },
        human,
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
            ids=1,
            cut_columns=["attributes"],
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
            ids=1,
            cut_columns=["speakers", "source"],
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
                "role": t.role,
                "start_seconds": t.start_seconds,
                "end_seconds": t.end_seconds,
                "text": t.span.of(doc.text),
            }
            for t in doc.turns
        ],
    }

    def human() -> None:
        if not doc.turns:
            literal(doc.text)
            return
        for i, turn in enumerate(doc.turns, start=1):
            literal(f"turn {i} [{turn.span.start}-{turn.span.end}] {turn.span.of(doc.text)}\n")

    emit(options, data, human)


@documents.command("rename")
@click.argument("name")
@click.argument("new_name")
@click.option(
    "--drop-source-name",
    is_flag=True,
    help="Also forget the name of the file it came from (often the participant's name).",
)
@common_options
@click.pass_obj
def documents_rename(options: Options, name: str, new_name: str, drop_source_name: bool) -> None:
    """Rename the document NAME to NEW_NAME (recorded as an event)."""
    from thematica.services.document_edits import rename_document
    from thematica.services.scope import open_db

    done = rename_document(
        open_db(options.db), name, new_name, drop_source_name=drop_source_name, study=options.study
    )
    emit(
        options,
        {
            "document": done.new_name,
            "was": done.old_name,
            "source_name_dropped": done.source_name_dropped,
        },
        lambda: literal(
            f"Renamed {done.old_name} to {done.new_name}"
            + (" and dropped its source file name." if done.source_name_dropped else ".")
        ),
    )


@documents.command("link")
@click.argument("name")
@click.argument("participant", required=False)
@click.option("--unlink", is_flag=True, help="Link NAME to no participant instead.")
@common_options
@click.pass_obj
def documents_link(options: Options, name: str, participant: str | None, unlink: bool) -> None:
    """Link the document NAME to the participant with id PARTICIPANT (recorded as an event);
    before or after coding. Participant figures of the report count a transcript only through
    its participant."""
    from thematica.services.document_links import link_document
    from thematica.services.scope import open_db

    if unlink == (participant is not None):
        raise click.UsageError("give a PARTICIPANT, or --unlink (not both)")
    done = link_document(open_db(options.db), name, participant, study=options.study)
    emit(
        options,
        {"document": done.document, "participant": done.participant, "was": done.was},
        lambda: literal(
            f"Linked {done.document} to participant {done.participant}."
            if done.participant
            else f"Unlinked {done.document} from participant {done.was or '(erased)'}."
        ),
    )


@documents.command("remove")
@click.argument("name")
@common_options
@click.pass_obj
def documents_remove(options: Options, name: str) -> None:
    """Remove the document NAME, with its turns and original file, before anyone has coded it."""
    from thematica.services.document_edits import remove_document
    from thematica.services.scope import open_db

    removed = remove_document(open_db(options.db), name, study=options.study)
    emit(options, {"removed": removed}, lambda: literal(f"Removed document {removed}."))


@documents.command("set-date")
@click.argument("name")
@click.argument("when", metavar="DATE")
@common_options
@click.pass_obj
def documents_set_date(options: Options, name: str, when: str) -> None:
    """Set the date of the interview NAME holds (2024-03-12, 12/03/2024 or 12 March 2024; ""
    clears it). Interviews are put in date order for saturation; a date set here wins over a
    transcript's "Date:" header and the participant sheet's interview_date column."""
    from thematica.services.documents import set_interview_date
    from thematica.services.scope import open_db

    set_to = set_interview_date(open_db(options.db), name, when, study=options.study)
    shown = set_to.isoformat() if set_to else None
    emit(
        options,
        {"document": name, "interview_date": shown},
        lambda: click.echo(
            f"Interview date of {name}: {shown}." if shown else f"Cleared the date of {name}."
        ),
    )
